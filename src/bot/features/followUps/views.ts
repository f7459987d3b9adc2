/**
 * Cards for the follow-ups the guidance requires:
 *  - "has the person been told?" after a share without consent (§4 Recording), and
 *  - "consent withdrawn: tell everyone you shared with" (§1), one "Told them" per recipient.
 * Channel versions leave out the case reference and recipient: everyone in the channel sees them.
 */
import { rulePack, rulePackById, type RulePack } from '../../../domain';
import { rulePackIdOf, type StoredRecord } from '../../../storage/contract';
import type { FollowUpTracker } from '../../../storage/reminderStore';
import { renderCard, type AdaptiveCard } from '../../cards/templates';
import { formatLocal } from '../../../reminders/schedule';
import { CHANNEL_CHOICES, recipientTitle, titleOf } from '../../kit/choices';
import { VERBS } from '../../kit/verbs';

/**
 * The guidance lines are the rule pack's (followUpTexts), cited there: the pack the record was
 * decided under (a withdrawal carries the pack of the decision it was recorded against), so a
 * follow-up says what the decision's own guidance says. A pack no longer installed: the default's.
 */
const packOfRecord = (record: StoredRecord): RulePack => rulePackById(rulePackIdOf(record)) ?? rulePack;

export function recipientText(record: StoredRecord): string {
  return recipientTitle(record) ?? 'Recipient not recorded';
}

function daysSince(iso: string, now: Date): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(iso)) / 86_400_000));
}

/** The reminder sent to the practitioner (personal) or the team (channel). */
export function subjectFollowUpCard(
  record: StoredRecord,
  tracker: Pick<FollowUpTracker, 'dueAt' | 'remindersSent'> | undefined,
  audience: 'personal' | 'channel',
  now: Date,
  opts: { notice?: string; why?: string } = {},
): AdaptiveCard {
  const recorded = formatLocal(record.recordedAt);
  const intro =
    audience === 'personal'
      ? `You shared information without consent on ${recorded} (decision ${record.id}) and recorded that the person had not yet been told. Please record whether they have now been told, or why they will not be.`
      : `A decision recorded in this team by ${record.decidedBy.name || 'a practitioner'} on ${recorded} (decision ${record.id}) shared information without consent, and the person has not yet been recorded as told. ${record.decidedBy.name || 'The practitioner'} or a manager can record it here.`;
  const facts =
    audience === 'personal'
      ? [
          { title: 'Decision', value: record.id },
          { title: 'Case reference', value: record.caseReference },
          { title: 'Shared with', value: recipientText(record) },
          { title: 'Recorded', value: recorded },
          { title: 'Waiting', value: `${daysSince(record.recordedAt, now)} day(s)` },
        ]
      : [
          { title: 'Decision', value: record.id },
          { title: 'Recorded by', value: record.decidedBy.name || '—' },
          { title: 'Waiting', value: `${daysSince(record.recordedAt, now)} day(s)` },
        ];
  if (tracker && tracker.remindersSent > 0)
    facts.push({ title: 'Reminders so far', value: String(tracker.remindersSent) });
  return renderCard('followup-subject', {
    intro,
    facts,
    guidance: packOfRecord(record).followUpTexts.personNotTold.text,
    hasNotice: Boolean(opts.notice),
    notice: opts.notice ?? '',
    why: opts.why ?? '',
    toldData: { verb: VERBS.subjectInformed, r: record.id, how: 'told' },
    notTellingData: { verb: VERBS.subjectInformed, r: record.id, how: 'not_telling' },
  });
}

export function followUpDoneCard(
  title: string,
  text: string,
  facts: Array<{ title: string; value: string }>,
): AdaptiveCard {
  return renderCard('followup-done', { title, text, facts });
}

export interface WithdrawalShare {
  share: StoredRecord;
  informed?: StoredRecord;
}

export function withdrawalCard(
  withdrawal: StoredRecord,
  rows: readonly WithdrawalShare[],
  opts: { notice?: string } = {},
): AdaptiveCard {
  const done = rows.filter((r) => r.informed).length;
  const progress =
    rows.length === 0
      ? ''
      : done === rows.length
        ? `All ${rows.length} recipient(s) have been told.`
        : `${done} of ${rows.length} recipient(s) told so far.`;
  return renderCard('followup-withdrawal', {
    caseReference: withdrawal.caseReference,
    withdrawalId: withdrawal.id,
    progress,
    headerStyle: rows.length > 0 && done === rows.length ? 'good' : 'warning',
    guidance: packOfRecord(withdrawal).followUpTexts.consentWithdrawn.text,
    hasNotice: Boolean(opts.notice),
    notice: opts.notice ?? '',
    shares: rows.map(({ share, informed }) => ({
      recipient: recipientText(share),
      facts: [
        { title: 'Shared', value: formatLocal(share.recordedAt) },
        { title: 'By', value: share.decidedBy.name || '—' },
        { title: 'How', value: titleOf(CHANNEL_CHOICES, share.channel) ?? '—' },
        { title: 'Decision', value: share.id },
      ],
      done: Boolean(informed),
      doneText: informed
        ? `Told — recorded by ${informed.decidedBy.name || 'a colleague'} on ${formatLocal(informed.recordedAt)} (${informed.id})`
        : '',
      toldData: { verb: VERBS.partyInformed, w: withdrawal.id, s: share.id },
    })),
    refreshData: { verb: VERBS.withdrawalStatus, w: withdrawal.id },
  });
}
