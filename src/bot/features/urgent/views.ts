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
  /**
   * Storage did not answer: the entry may or may not have been written (a lost response). The same
   * key again saves it once, or finds the one saved.
   */
  | { kind: 'not_saved'; key: string }
  /** The tenant's pack could not be confirmed: nothing was saved; the same key saves it once it can be. */
  | { kind: 'pack_unconfirmed'; key: string }
  /** Already saved, and its decision is recorded (`decisionId` when found): no reminder will come. */
  | { kind: 'already_recorded'; entry: StoredRecord; decisionId: string | undefined }
  /** Not saved: the practitioner already has `limit` urgent entries awaiting their decision. */
  | { kind: 'too_many_open'; key: string; limit: number }
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
        text: 'NOT CONFIRMED: the records store did not answer, so the urgent entry and its follow-up to record the decision may not have been saved, and I may not be able to remind you. Share now all the same, following the steps above; then press **Try saving again** in a moment — pressing again never saves twice — or record the decision yourself later.',
      };
    case 'pack_unconfirmed':
      return {
        style: 'attention',
        text: "NOT SAVED: your organisation's rule pack could not be confirmed (storage could not be reached), so nothing was saved and I cannot remind you yet. Share now all the same, following the steps above; then press **Try saving again** in a moment — pressing again never saves twice.",
      };
    case 'already_recorded':
      return {
        style: 'good',
        text: `This urgent share was already saved as urgent entry **${status.entry.id}** (${formatLocal(status.entry.recordedAt)}), and its decision is already recorded${status.decisionId ? ` as record **${status.decisionId}**` : ''}. Nothing was saved twice, and no reminder will come. To change that decision, type **my decisions**, open it and record a correction.`,
      };
    case 'too_many_open':
      return {
        style: 'attention',
        text: `NOT SAVED: you already have ${status.limit} urgent entries whose decision is not yet recorded, so this one was not saved. Share now all the same, following the steps above. Then record the decisions for your earlier urgent entries (press **Record the decision now** on their reminders), and press **Try saving again** to save this one.`,
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
    status.kind === 'saved' || status.kind === 'already_recorded'
      ? undefined
      : status.kind === 'unreadable'
        ? { title: 'Save the urgent entry', data: urgentOpenData() }
        : {
            title: status.kind === 'follow_up_not_saved' ? 'Save the follow-up again' : 'Try saving again',
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
