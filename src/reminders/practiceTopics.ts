/**
 * Practice reminders for team channels. Their wording and citations are the rule pack's
 * (rulepacks/2015-local/practice-reminders.json, validated with the pack), so a reminder never says more than
 * the guidance does; this module only finds one by what a practitioner types.
 *
 * Always the default pack's, whatever pack a tenant decides under: a channel reminder is a
 * standing schedule that stores its topic code and is sent later by the background scheduler, and
 * its codes and the aliases below are the 2015 chapter's. Following a tenant's pack would need
 * each schedule to keep the pack it was set up under; until then the default is the one source.
 */
import { rulePack } from '../domain';

export interface PracticeTopic {
  code: string;
  title: string;
  text: string;
  /** Where in the guidance it comes from, as shown on the card, e.g. "§4 Security of the Information". */
  cite: string;
}

export const PRACTICE_TOPICS: readonly PracticeTopic[] = rulePack.practiceReminders.map((r) => ({
  code: r.code,
  title: r.title,
  text: r.text,
  cite: r.citations.map((c) => `§${c.section} ${c.heading}`).join('; '),
}));

const ALIASES: Record<string, string> = {
  callers: 'verify-callers',
  'verify-caller': 'verify-callers',
  verify: 'verify-callers',
  'call-back': 'verify-callers',
  email: 'secure-email',
  'secure-mail': 'secure-email',
  consent: 'record-consent',
  recording: 'record-consent',
  phone: 'record-phone',
  fax: 'fax-check',
  withdrawal: 'consent-withdrawn',
  'need-to-know': 'proportionality',
  marking: 'protective-marking',
};

export function findTopic(input: string): PracticeTopic | undefined {
  const key = input
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
  const code = ALIASES[key] ?? key;
  return PRACTICE_TOPICS.find((t) => t.code === code);
}
