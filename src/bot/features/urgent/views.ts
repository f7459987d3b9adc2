/**
 * The urgent card ("share now, record after") and its personal-chat reminder. Everything but the
 * status line comes from the rule pack and is rendered without storage: the 999 line and the steps
 * are on the card whatever storage does.
 */
import { DEFAULT_RULE_PACK_ID, rulePack, rulePackById, type RulePack } from '../../../domain';
import type { StoredRecord } from '../../../storage/contract';
import type { FollowUpTracker } from '../../../storage/reminderStore';
import { formatLocal } from '../../../reminders/schedule';
import { citeText } from '../../cards/format';
import { renderCard, type AdaptiveCard } from '../../cards/templates';
import { VERBS } from '../../kit/verbs';
import { urgentOpenData } from '../../kit/urgentEntries';

/** What storage did with the press, as the card must say it. */
export type UrgentStatus =
  | { kind: 'saved'; entry: StoredRecord; again: boolean; reminderHours: number }
  /** The entry was saved, its follow-up (the reminder to record the decision) was not. */
  | { kind: 'follow_up_not_saved'; entry: StoredRecord; key: string }
  /** Nothing was saved (storage unreachable): the same key again records it once. */
  | { kind: 'not_saved'; key: string }
  /** The button's data could not be read: nothing was saved; a fresh key is offered. */
  | { kind: 'unreadable' };

export const SHARED_URGENT_NOTICE =
  'Everyone in this conversation can see this card. Your reminder to record the decision comes to your personal chat with me.';

const urgentText = (pack: RulePack) => {
  const u = pack.urgentShare;
  return {
    immediateDanger: u.immediateDanger,
    summary: { text: u.summary.text, cites: citeText(u.summary.citations) },
    steps: u.steps.map((s, i) => ({ number: i + 1, text: s.text, cites: citeText(s.citations) })),
    recordAfter: { text: u.recordAfter.text, cites: citeText(u.recordAfter.citations) },
  };
};

function statusLine(status: UrgentStatus): { text: string; style: 'good' | 'warning' | 'attention' } {
  switch (status.kind) {
    case 'saved':
      return {
        style: 'good',
        text: `${status.again ? 'This urgent share was already saved; nothing was saved twice. ' : ''}Urgent entry **${status.entry.id}** saved (${formatLocal(status.entry.recordedAt)}), with a follow-up to record the decision: I will remind you in our personal chat in ${status.reminderHours} hour(s), then daily, until the decision is recorded. When you can, press **Record the decision now**.`,
      };
    case 'follow_up_not_saved':
      return {
        style: 'attention',
        text: `Urgent entry **${status.entry.id}** saved, but its follow-up to record the decision was NOT SAVED: the records store could not be reached, so I cannot remind you. Press **Save the follow-up again** in a moment, or record the decision now.`,
      };
    case 'not_saved':
      return {
        style: 'attention',
        text: 'NOT SAVED: the records store could not be reached, so neither the urgent entry nor the follow-up to record the decision was saved, and I cannot remind you. Share now all the same, following the steps above; then press **Try saving again**, or record the decision yourself later.',
      };
    case 'unreadable':
      return {
        style: 'warning',
        text: 'NOT SAVED: that button could not be read (it may be an old or altered card), so nothing was saved. Follow the steps above; press **Save the urgent entry** to save it with its follow-up.',
      };
  }
}

export function urgentCard(status: UrgentStatus, pack: RulePack, opts: { shared?: boolean } = {}): AdaptiveCard {
  const line = statusLine(status);
  const entry = status.kind === 'saved' || status.kind === 'follow_up_not_saved' ? status.entry : undefined;
  const retry =
    status.kind === 'saved'
      ? undefined
      : status.kind === 'unreadable'
        ? { title: 'Save the urgent entry', data: urgentOpenData() }
        : {
            title: status.kind === 'not_saved' ? 'Try saving again' : 'Save the follow-up again',
            data: { verb: VERBS.urgentOpen, k: status.key },
          };
  return renderCard('urgent', {
    ...urgentText(pack),
    status: line.text,
    statusStyle: line.style,
    hasSharedNotice: Boolean(opts.shared),
    sharedNotice: SHARED_URGENT_NOTICE,
    canRecord: entry !== undefined,
    recordData: entry ? { verb: VERBS.start, u: entry.id } : {},
    canRetry: retry !== undefined,
    retryTitle: retry?.title ?? '',
    retryData: retry?.data ?? {},
  });
}

/** The personal-chat reminder: an urgent share whose decision is not yet recorded. */
export function urgentReminderCard(
  entry: StoredRecord,
  tracker: Pick<FollowUpTracker, 'remindersSent'> | undefined,
): AdaptiveCard {
  // The pack the entry was made under (the default if that pack is no longer installed).
  const u = (rulePackById(entry.rulePackId ?? DEFAULT_RULE_PACK_ID) ?? rulePack).urgentShare;
  const sent = tracker?.remindersSent ?? 0;
  return renderCard('urgent-reminder', {
    headline: `You shared information urgently on ${formatLocal(entry.recordedAt)} (urgent entry ${entry.id}), and the decision is not yet recorded. Please record it now.`,
    recordAfter: { text: u.recordAfter.text, cites: citeText(u.recordAfter.citations) },
    repeatLine: `I remind you daily until the decision is recorded${sent > 0 ? ` (reminders so far: ${sent})` : ''}.`,
    recordData: { verb: VERBS.start, u: entry.id },
  });
}
