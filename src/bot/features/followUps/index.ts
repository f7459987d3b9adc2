/**
 * Follow-ups the guidance requires, recorded as NEW entities linked to the decision (parentId);
 * nothing is ever overwritten:
 *  - "They have been told" / "They will not be told (why)" on a share without consent
 *    → kind 'follow_up_subject_informed' (§4 Recording: whether the person was subsequently informed);
 *  - "withdraw consent <case ref>" → kind 'consent_withdrawn', then one "Told them" per earlier
 *    share → kind 'follow_up_party_informed' linked to that share (§1: inform all parties ASAP).
 *
 * Card data is untrusted: every action re-reads the records in the clicking user's tenant, checks
 * they are what the card claims, and that the user is the original practitioner or a manager.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { StorageUnavailableError, type NewRecord, type StoredRecord } from '../../../storage/contract';
import { normaliseCaseReference } from '../../../storage/keys';
import type { AdaptiveCard } from '../../cards/templates';
import { adaptiveAttachment } from '../../cards/attachment';
import { CASE_REFERENCE_PATTERN } from '../questionnaire/recordForm';
import { messageCard } from '../questionnaire/views';
import { isManager } from '../records/access';
import { commandMatcher, type BotFeature, type CardActionResult, type Turn } from '../types';
import {
  PARTY_INFORMED_VERB,
  SUBJECT_INFORMED_VERB,
  WITHDRAWAL_STATUS_VERB,
  followUpDoneCard,
  recipientText,
  subjectFollowUpCard,
  withdrawalCard,
  type WithdrawalShare,
} from './views';
import { findContactDetail } from '../../contactDetails';
import { userTextSchema } from '../../userText';

const RecordId = z.string().trim().regex(/^D-\d{8}-[0-9A-Z]{6}$/i).max(20);

const SubjectInformedSchema = z.object({
  r: RecordId,
  how: z.enum(['told', 'not_telling']),
  why: userTextSchema(500, { multiline: true }).optional(),
});
const PartyInformedSchema = z.object({ w: RecordId, s: RecordId });
const WithdrawalStatusSchema = z.object({ w: RecordId });

const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const card = (c: AdaptiveCard): CardActionResult => ({ card: c });
const NOT_SAVED = 'NOT SAVED: the records store could not be reached, so nothing was recorded. Please press the button again in a moment.';

/** A share: a decision that records information going to someone. */
export function isShare(r: StoredRecord): boolean {
  return r.kind === 'decision' && (r.decision.startsWith('share_') || r.recipientAgency !== undefined);
}

async function mayActFor(turn: Turn, practitionerAadIds: string[]): Promise<boolean> {
  const me = turn.identity.user.aadObjectId;
  if (practitionerAadIds.some((id) => sameId(id, me))) return true;
  return isManager(turn.services, turn.identity.scope.tenantId, me);
}

// ---- subject informed ----------------------------------------------------------------------

async function onSubjectInformed(turn: Turn, data: Record<string, unknown>): Promise<CardActionResult> {
  const parsed = SubjectInformedSchema.safeParse(data);
  if (!parsed.success) return { message: 'That button could not be read. Type "help" to see what I can do.' };
  const { stores, logger } = turn.services;
  const tenantId = turn.identity.scope.tenantId;
  const decision = await stores.decisions.get(tenantId, parsed.data.r);
  if (!decision || decision.kind !== 'decision') return { message: 'That decision could not be found.' };
  if (!decision.openFollowUps.includes('inform_subject_later')) return { message: 'No "tell the person later" follow-up is owed for that decision.' };
  if (!(await mayActFor(turn, [decision.decidedBy.aadObjectId])))
    return { message: 'Only the practitioner who recorded this decision, or a manager, can record its follow-up.' };

  const audience = turn.identity.scope.conversationKind === 'personal' ? 'personal' : 'channel';
  const why = parsed.data.why?.trim() ?? '';
  if (parsed.data.how === 'not_telling') {
    const problem =
      why === '' ? 'Please say why the person will not be told.'
      : findContactDetail(why) ? 'Please remove the contact details — record no names or contact details.'
      : undefined;
    if (problem) return card(subjectFollowUpCard(decision, undefined, audience, turn.services.now(), { notice: problem, why }));
  }

  const existing = (await stores.decisions.byCase(tenantId, decision.caseReference)).find(
    (r) => r.kind === 'follow_up_subject_informed' && r.parentId === decision.id,
  );
  let followUp = existing;
  if (!followUp) {
    const input: NewRecord = {
      // One follow-up per decision: a double click, or two people clicking, records it once.
      idempotencyKey: `followup-subject|${decision.id}`,
      kind: 'follow_up_subject_informed',
      parentId: decision.id,
      scope: decision.scope,
      decidedBy: turn.identity.user,
      rulePackVersion: decision.rulePackVersion,
      ruleId: decision.ruleId,
      decision: decision.decision,
      answers: {},
      consentStatus: decision.consentStatus,
      subjectInformed: parsed.data.how === 'told' ? 'yes' : 'not_informing',
      ...(parsed.data.how === 'not_telling' ? { subjectNotInformedReason: why } : {}),
      caseReference: decision.caseReference,
      openFollowUps: decision.openFollowUps.filter((f) => f !== 'inform_subject_later'),
    };
    try {
      followUp = (await stores.decisions.record(input)).record;
    } catch (err) {
      if (!(err instanceof StorageUnavailableError)) throw err;
      logger.error({ event: 'followup.not_saved', err: err.message }, 'follow-up could not be saved');
      return card(subjectFollowUpCard(decision, undefined, audience, turn.services.now(), { notice: NOT_SAVED, why }));
    }
    logger.info({ event: 'followup.recorded', kind: 'follow_up_subject_informed', recordId: followUp.id, parentId: decision.id }, 'follow-up recorded');
  }
  await stores.reminders.closeFollowUp(tenantId, decision.id, 'follow_up_recorded').catch(() => undefined);
  const told = followUp.subjectInformed === 'yes';
  return card(
    followUpDoneCard(
      existing ? 'Follow-up already recorded' : 'Follow-up recorded',
      `${told ? 'The person has been told' : 'The person will not be told'} — recorded as ${followUp.id}, linked to decision ${decision.id}. No more reminders will be sent for it.`,
      [
        { title: 'Follow-up', value: followUp.id },
        { title: 'Decision', value: decision.id },
        { title: 'Recorded by', value: followUp.decidedBy.name || '—' },
      ],
    ),
  );
}

// ---- consent withdrawn ----------------------------------------------------------------------

async function withdrawalRows(turn: Turn, withdrawal: StoredRecord, manager: boolean): Promise<{ rows: WithdrawalShare[]; hidden: number }> {
  const history = await turn.services.stores.decisions.byCase(withdrawal.scope.tenantId, withdrawal.caseReference);
  const me = turn.identity.user.aadObjectId;
  const informed = new Map<string, StoredRecord>();
  for (const r of history) {
    if (r.kind === 'follow_up_party_informed' && r.parentId && r.recordedAt >= withdrawal.recordedAt && !informed.has(r.parentId)) informed.set(r.parentId, r);
  }
  const shares = history.filter((r) => isShare(r) && r.recordedAt <= withdrawal.recordedAt).reverse(); // oldest first
  const visible = shares.filter((s) => manager || sameId(s.decidedBy.aadObjectId, me));
  return { rows: visible.map((share) => ({ share, informed: informed.get(share.id) })), hidden: shares.length - visible.length };
}

function hiddenNotice(hidden: number): string | undefined {
  return hidden > 0 ? `${hidden} other share(s) on this case were recorded by colleagues; they or a manager will see them with "withdraw consent" too.` : undefined;
}

async function withdrawCommand(turn: Turn, args: string): Promise<void> {
  const { ctx, identity, services } = turn;
  const send = (c: AdaptiveCard) => ctx.sendActivity({ attachments: [adaptiveAttachment(c)] });
  if (identity.scope.conversationKind !== 'personal') {
    await send(messageCard('Please do this in a personal chat', 'Consent withdrawal lists who a case was shared with, so I only do it in a personal chat with you.', { style: 'warning' }));
    return;
  }
  const caseReference = args.trim();
  if (!CASE_REFERENCE_PATTERN.test(caseReference)) {
    await send(messageCard('Which case?', 'Type **withdraw consent** followed by the case reference, e.g. "withdraw consent CS-1234".', { style: 'warning' }));
    return;
  }
  const tenantId = identity.scope.tenantId;
  try {
    const history = await services.stores.decisions.byCase(tenantId, caseReference);
    const decisions = history.filter((r) => r.kind === 'decision');
    const latest = decisions[0];
    if (!latest) {
      await send(messageCard('Nothing recorded for that case', `No decisions are recorded for case ${caseReference}, so there is no one on record to tell. If information was shared, tell the recipients yourself.`));
      return;
    }
    const manager = await isManager(services, tenantId, identity.user.aadObjectId);
    // Typing the command again re-shows the open withdrawal rather than recording a second one.
    let withdrawal = history.find((r) => r.kind === 'consent_withdrawn' && r.recordedAt >= latest.recordedAt);
    if (!withdrawal) {
      const anyShares = decisions.some(isShare);
      const input: NewRecord = {
        idempotencyKey: randomUUID(),
        kind: 'consent_withdrawn',
        scope: identity.scope,
        decidedBy: identity.user,
        rulePackVersion: latest.rulePackVersion,
        ruleId: latest.ruleId,
        decision: latest.decision,
        answers: {},
        consentStatus: 'withdrawn',
        subjectInformed: 'not_applicable',
        caseReference: latest.caseReference,
        openFollowUps: anyShares ? ['inform_all_parties_consent_withdrawn'] : [],
      };
      withdrawal = (await services.stores.decisions.record(input)).record;
      services.logger.info({ event: 'followup.recorded', kind: 'consent_withdrawn', recordId: withdrawal.id }, 'consent withdrawal recorded');
    }
    const { rows, hidden } = await withdrawalRows(turn, withdrawal, manager);
    await send(withdrawalCard(withdrawal, rows, { notice: hiddenNotice(hidden) }));
  } catch (err) {
    if (!(err instanceof StorageUnavailableError)) throw err;
    services.logger.error({ event: 'followup.not_saved', err: err.message }, 'consent withdrawal could not be saved');
    await send(messageCard('Not saved', 'NOT SAVED: the records store could not be reached, so the withdrawal has not been recorded. Please try again in a moment.', { style: 'attention' }));
  }
}

async function loadWithdrawal(turn: Turn, id: string): Promise<StoredRecord | undefined> {
  const record = await turn.services.stores.decisions.get(turn.identity.scope.tenantId, id);
  return record?.kind === 'consent_withdrawn' ? record : undefined;
}

async function onPartyInformed(turn: Turn, data: Record<string, unknown>): Promise<CardActionResult> {
  const parsed = PartyInformedSchema.safeParse(data);
  if (!parsed.success) return { message: 'That button could not be read. Type "help" to see what I can do.' };
  const { stores, logger } = turn.services;
  const tenantId = turn.identity.scope.tenantId;
  const withdrawal = await loadWithdrawal(turn, parsed.data.w);
  const share = await stores.decisions.get(tenantId, parsed.data.s);
  if (
    !withdrawal ||
    !share ||
    !isShare(share) ||
    normaliseCaseReference(share.caseReference) !== normaliseCaseReference(withdrawal.caseReference) ||
    share.recordedAt > withdrawal.recordedAt
  ) {
    return { message: 'That share or withdrawal could not be found.' };
  }
  if (!(await mayActFor(turn, [share.decidedBy.aadObjectId, withdrawal.decidedBy.aadObjectId])))
    return { message: 'Only the practitioner who recorded the share, whoever recorded the withdrawal, or a manager can record this.' };
  const manager = await isManager(turn.services, tenantId, turn.identity.user.aadObjectId);
  try {
    const input: NewRecord = {
      idempotencyKey: `followup-party|${withdrawal.id}|${share.id}`,
      kind: 'follow_up_party_informed',
      parentId: share.id,
      scope: share.scope,
      decidedBy: turn.identity.user,
      rulePackVersion: share.rulePackVersion,
      ruleId: share.ruleId,
      decision: share.decision,
      answers: {},
      consentStatus: 'withdrawn',
      ...(share.recipientAgency ? { recipientAgency: share.recipientAgency } : {}),
      ...(share.recipientRole ? { recipientRole: share.recipientRole } : {}),
      subjectInformed: 'not_applicable',
      caseReference: share.caseReference,
      openFollowUps: [],
    };
    const saved = await stores.decisions.record(input);
    logger.info(
      { event: 'followup.recorded', kind: 'follow_up_party_informed', recordId: saved.record.id, parentId: share.id, created: saved.created },
      'party informed recorded',
    );
  } catch (err) {
    if (!(err instanceof StorageUnavailableError)) throw err;
    logger.error({ event: 'followup.not_saved', err: err.message }, 'party-informed could not be saved');
    const { rows, hidden } = await withdrawalRows(turn, withdrawal, manager);
    return card(withdrawalCard(withdrawal, rows, { notice: `${NOT_SAVED}${hidden ? ` ${hiddenNotice(hidden)}` : ''}` }));
  }
  const { rows, hidden } = await withdrawalRows(turn, withdrawal, manager);
  return card(withdrawalCard(withdrawal, rows, { notice: hiddenNotice(hidden) ?? `Recorded: ${recipientText(share)} has been told.` }));
}

async function onWithdrawalStatus(turn: Turn, data: Record<string, unknown>): Promise<CardActionResult> {
  const parsed = WithdrawalStatusSchema.safeParse(data);
  if (!parsed.success) return { message: 'That button could not be read.' };
  const withdrawal = await loadWithdrawal(turn, parsed.data.w);
  if (!withdrawal) return { message: 'That withdrawal could not be found.' };
  const manager = await isManager(turn.services, turn.identity.scope.tenantId, turn.identity.user.aadObjectId);
  if (!manager && !sameId(withdrawal.decidedBy.aadObjectId, turn.identity.user.aadObjectId)) {
    return { message: 'Only whoever recorded the withdrawal, or a manager, can see this.' };
  }
  const { rows, hidden } = await withdrawalRows(turn, withdrawal, manager);
  return card(withdrawalCard(withdrawal, rows, { notice: hiddenNotice(hidden) }));
}

export const followUpsFeature: BotFeature = {
  name: 'followUps',
  commands: [
    {
      usage: 'withdraw consent <case ref>',
      description: 'Record that consent was withdrawn, and see everyone the case was shared with so you can tell them (§1).',
      match: commandMatcher('withdraw consent', 'consent withdrawn'),
      handle: withdrawCommand,
    },
  ],
  actions: [
    { verb: SUBJECT_INFORMED_VERB, handle: onSubjectInformed },
    { verb: PARTY_INFORMED_VERB, handle: onPartyInformed },
    { verb: WITHDRAWAL_STATUS_VERB, handle: onWithdrawalStatus },
  ],
};
