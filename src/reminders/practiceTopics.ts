/**
 * Practice reminders for team channels, each drawn from a requirement of the local information
 * sharing guidance (section cited), so a reminder never says more than the guidance does.
 */
export interface PracticeTopic {
  code: string;
  title: string;
  text: string;
  cite: string;
}

export const PRACTICE_TOPICS: readonly PracticeTopic[] = [
  {
    code: 'verify-callers',
    title: 'Verify callers before you share',
    text: 'Unless you already know them, verify anyone who phones asking for information by calling their agency back before you divulge anything.',
    cite: '§4 Confidentiality of Exchanges of Information',
  },
  {
    code: 'secure-email',
    title: 'Use secure email, with a confidentiality warning',
    text: 'Send confidential information by a secure electronic system wherever possible, not by internet email, and put a confidentiality warning on emails that contain it.',
    cite: '§4 Confidentiality of Exchanges of Information',
  },
  {
    code: 'record-consent',
    title: 'Record consent status',
    text: 'Every record of information sought or shared must say whether consent was sought and obtained, sought and refused, or not sought; if shared without consent, record why and whether the person was later told.',
    cite: '§4 Recording of Information Sought and Shared',
  },
  {
    code: 'record-phone',
    title: 'Record what you relay by phone or in person',
    text: 'Make a record of any information you relay by phone or in person.',
    cite: '§4 Confidentiality of Exchanges of Information',
  },
  {
    code: 'fax-check',
    title: 'Fax only when absolutely necessary',
    text: 'Fax personal and sensitive information only when absolutely necessary; check the number very carefully (preferably with a colleague) and record reassurance about how the other agency will handle it.',
    cite: '§4 Confidentiality of Exchanges of Information',
  },
  {
    code: 'consent-withdrawn',
    title: 'When consent is withdrawn, tell everyone you shared with',
    text: 'Consent can be withdrawn at any stage. If it is, inform all professional parties involved as soon as possible; sharing should stop unless there is justification to continue without consent. Type "withdraw consent <case ref>" to see whom to tell.',
    cite: '§1 Local Context and Justification for Sharing Information',
  },
  {
    code: 'proportionality',
    title: 'Share only what they need to know',
    text: 'Apply proportionality: share no more information, with no more people, than is necessary to protect the child — take particular care with sensitive information.',
    cite: '§1 Local Context; §2 Common Law',
  },
  {
    code: 'protective-marking',
    title: 'Mark what you share',
    text: 'Any information you share should carry the appropriate protective marking.',
    cite: '§4 Security of the Information',
  },
];

const ALIASES: Record<string, string> = {
  callers: 'verify-callers', 'verify-caller': 'verify-callers', verify: 'verify-callers', 'call-back': 'verify-callers',
  email: 'secure-email', 'secure-mail': 'secure-email',
  consent: 'record-consent', recording: 'record-consent',
  phone: 'record-phone', fax: 'fax-check', withdrawal: 'consent-withdrawn', 'need-to-know': 'proportionality', marking: 'protective-marking',
};

export function findTopic(input: string): PracticeTopic | undefined {
  const key = input.trim().toLowerCase().replace(/[\s_]+/g, '-');
  const code = ALIASES[key] ?? key;
  return PRACTICE_TOPICS.find((t) => t.code === code);
}
