/**
 * Follow-ups the guidance requires, recorded as NEW entities linked to the decision (parentId);
 * nothing is ever overwritten:
 *  - "They have been told" / "They will not be told (why)" on a share without consent
 *    → kind 'follow_up_subject_informed' (§4 Recording: whether the person was subsequently informed);
 *  - "withdraw consent <case ref>" → kind 'consent_withdrawn', then one "Told them" per earlier
 *    share → kind 'follow_up_party_informed' linked to that share (§1: inform all parties ASAP).
 *
 * Card data is untrusted: every action re-reads the records in the clicking user's tenant, checks
 * they are what the card claims, and that the user is entitled to the *target* record
 * (entitlement.ts); an unentitled user gets exactly the "not found" answer.
 */
import { z } from 'zod';
import { StorageUnavailableError, type NewRecord, type StoredRecord } from '../../../storage/contract';
import { IdempotencyKeyInUseError } from '../../../storage/errors';
import { normaliseCaseReference } from '../../../storage/keys';
import { errorFields } from '../../../logger';
import type { AdaptiveCard } from '../../cards/templates';
import { plainCard, renderedOr } from '../../cards/fallback';
import { CASE_REFERENCE_PATTERN } from '../../kit/ids';
import { messageCard } from '../../kit/messageCard';
import { isManagerHere } from '../../kit/access';
import { commandMatcher, type BotFeature, type CardActionResult, type Turn } from '../types';
import { VERBS } from '../../kit/verbs';
import { followUpDoneCard, recipientText, subjectFollowUpCard, withdrawalCard, type WithdrawalShare } from './views';
import { findContactDetail } from '../../contactDetails';
import { isShare, mayFollowUp, mayHandleWithdrawal, recordedByMe } from './entitlement';
import { cappedNotice, mySharesInCase, readCase, type CaseHistory } from './caseHistory';
import { userTextSchema } from '../../userText';

const RecordId = z
  .string()
  .trim()
  .regex(/^D-\d{8}-[0-9A-Z]{6}$/i)
  .max(20);

const SubjectInformedSchema = z.object({
  r: RecordId,
  how: z.enum(['told', 'not_telling']),
  why: userTextSchema(500, { multiline: true }).optional(),
});
const PartyInformedSchema = z.object({ w: RecordId, s: RecordId });
const WithdrawalStatusSchema = z.object({ w: RecordId });

const card = (c: AdaptiveCard): CardActionResult => ({ card: c });
const NOT_SAVED =
  'NOT SAVED: the records store could not be reached, so nothing was recorded. Please press the button again in a moment.';

// One answer for "does not exist" and "not yours": the bot never confirms a record to someone with no part in it.
const DECISION_NOT_FOUND =
  'That decision could not be found. Only the practitioner who recorded this decision, or a manager, can record its follow-up.';
const SHARE_NOT_FOUND =
  'That share or withdrawal could not be found. Only the practitioner who recorded the share, or a manager, can record that its recipient was told.';
const WITHDRAWAL_NOT_FOUND =
  'That withdrawal could not be found. Only practitioners who recorded a share in its case, or a manager, can see it.';

function nothingToWithdrawCard(caseReference: string): AdaptiveCard {
  return messageCard(
    'No shares of yours on record for that case',
    `No shares you can act on are recorded for case ${caseReference}. A withdrawal can be recorded by a practitioner who recorded a share in the case, or by a manager. If information about this case was shared, tell the recipients yourself.`,
  );
}

// ---- subject informed ----------------------------------------------------------------------

async function onSubjectInformed(turn: Turn, data: Record<string, unknown>): Promise<CardActionResult> {
  const parsed = SubjectInformedSchema.safeParse(data);
  if (!parsed.success) return { message: 'That button could not be read. Type "help" to see what I can do.' };
  const { stores, logger } = turn.services;
  const tenantId = turn.identity.scope.tenantId;
  const [decision, manager] = await Promise.all([stores.decisions.get(tenantId, parsed.data.r), isManagerHere(turn)]);
  // Entitlement first: nothing below may tell an outsider anything about the record.
  if (!decision || decision.kind !== 'decision' || !mayFollowUp(turn, decision, manager))
    return { message: DECISION_NOT_FOUND };
  if (!decision.openFollowUps.includes('inform_subject_later'))
    return { message: 'No "tell the person later" follow-up is owed for that decision.' };

  const audience = turn.identity.scope.conversationKind === 'personal' ? 'personal' : 'channel';
  const why = parsed.data.why?.trim() ?? '';
  if (parsed.data.how === 'not_telling') {
    const problem =
      why === ''
        ? 'Please say why the person will not be told.'
        : findContactDetail(why)
          ? 'Please remove the contact details — record no names or contact details.'
          : undefined;
    if (problem)
      return card(subjectFollowUpCard(decision, undefined, audience, turn.services.now(), { notice: problem, why }));
  }

  // The whole case (not byCase's newest window), so a long or flooded case cannot hide it.
  const findExisting = async () =>
    (await readCase(stores.decisions, tenantId, decision.caseReference)).records.find(
      (r) => r.kind === 'follow_up_subject_informed' && r.parentId === decision.id,
    );
  let existing = await findExisting();
  let followUp = existing;
  if (!followUp) {
    const input: NewRecord = {
      // One follow-up per decision: a double click records it once; a second entitled user racing
      // the first is refused by the store (the key is bound to its minter) and shown the first one.
      idempotencyKey: `followup-subject|${decision.id}`,
      kind: 'follow_up_subject_informed',
      parentId: decision.id,
      scope: decision.scope,
      decidedBy: turn.identity.user,
      rulePackId: decision.rulePackId,
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
      const saved = await stores.decisions.record(input);
      followUp = saved.record;
      if (!saved.created) existing = saved.record;
      else
        logger.info(
          {
            event: 'followup.recorded',
            kind: 'follow_up_subject_informed',
            recordId: followUp.id,
            parentId: decision.id,
          },
          'follow-up recorded',
        );
    } catch (err) {
      if (err instanceof IdempotencyKeyInUseError) {
        existing = await findExisting();
        followUp = existing;
      } else if (err instanceof StorageUnavailableError) {
        logger.error({ event: 'followup.not_saved', err: errorFields(err) }, 'follow-up could not be saved');
        return card(
          subjectFollowUpCard(decision, undefined, audience, turn.services.now(), { notice: NOT_SAVED, why }),
        );
      } else throw err;
    }
    if (!followUp) throw new Error('follow-up key in use but no follow-up found for the decision');
  }
  await stores.reminders.closeFollowUp(tenantId, decision.id, 'follow_up_recorded').catch(() => undefined);
  const told = followUp.subjectInformed === 'yes';
  const title = existing ? 'Follow-up already recorded' : 'Follow-up recorded';
  const text = `${told ? 'The person has been told' : 'The person will not be told'} — recorded as ${followUp.id}, linked to decision ${decision.id}. No more reminders will be sent for it.`;
  const recorded = followUp;
  return card(
    renderedOr(
      logger,
      'followup-done',
      () =>
        followUpDoneCard(title, text, [
          { title: 'Follow-up', value: recorded.id },
          { title: 'Decision', value: decision.id },
          { title: 'Recorded by', value: recorded.decidedBy.name || '—' },
        ]),
      () => plainCard(title, [text]),
    ),
  );
}

// ---- consent withdrawn ----------------------------------------------------------------------

interface ListedShares {
  rows: WithdrawalShare[];
  hidden: number;
  /** The case was longer than could be read: older shares may be missing (the card says so). */
  capped: boolean;
}

async function withdrawalRows(
  turn: Turn,
  withdrawal: StoredRecord,
  manager: boolean,
  caseHistory?: CaseHistory,
): Promise<ListedShares> {
  caseHistory ??= await readCase(turn.services.stores.decisions, withdrawal.scope.tenantId, withdrawal.caseReference);
  const history = caseHistory.records;
  const informed = new Map<string, StoredRecord>();
  for (const r of history) {
    if (
      r.kind === 'follow_up_party_informed' &&
      r.parentId &&
      r.recordedAt >= withdrawal.recordedAt &&
      !informed.has(r.parentId)
    )
      informed.set(r.parentId, r);
  }
  const shares = history.filter((r) => isShare(r) && r.recordedAt <= withdrawal.recordedAt).reverse(); // oldest first
  const visible = shares.filter((s) => manager || recordedByMe(turn, s));
  return {
    rows: visible.map((share) => ({ share, informed: informed.get(share.id) })),
    hidden: shares.length - visible.length,
    capped: caseHistory.capped,
  };
}

function hiddenNotice(hidden: number): string | undefined {
  return hidden > 0
    ? `${hidden} other share(s) on this case were recorded by colleagues; they or a manager will see them with "withdraw consent" too.`
    : undefined;
}

/** What the card must add to the list: shares of colleagues not shown, and a case too long to read whole. */
function listNotice(listed: ListedShares): string | undefined {
  const notes = [cappedNotice(listed.capped), hiddenNotice(listed.hidden)].filter((n) => n !== undefined);
  return notes.length ? notes.join(' ') : undefined;
}

/** The withdrawal card, or — if it cannot be rendered — a plain card that still says what is recorded. */
function withdrawalResult(
  turn: Turn,
  withdrawal: StoredRecord,
  rows: readonly WithdrawalShare[],
  notice: string | undefined,
  fallbackLine: string,
): AdaptiveCard {
  return renderedOr(
    turn.services.logger,
    'followup-withdrawal',
    () => withdrawalCard(withdrawal, rows, { notice }),
    () =>
      plainCard('Consent withdrawn', [`The withdrawal is recorded as **${withdrawal.id}**.`, fallbackLine], 'warning'),
  );
}

async function withdrawCommand(turn: Turn, args: string): Promise<void> {
  const { identity, services } = turn;
  const send = (c: AdaptiveCard) => turn.reply({ card: c });
  if (identity.scope.conversationKind !== 'personal') {
    await send(
      messageCard(
        'Please do this in a personal chat',
        'Consent withdrawal lists who a case was shared with, so I only do it in a personal chat with you.',
        { style: 'warning' },
      ),
    );
    return;
  }
  const caseReference = args.trim();
  if (!CASE_REFERENCE_PATTERN.test(caseReference)) {
    await send(
      messageCard(
        'Which case?',
        'Type **withdraw consent** followed by the case reference, e.g. "withdraw consent CS-1234".',
        { style: 'warning' },
      ),
    );
    return;
  }
  const tenantId = identity.scope.tenantId;
  try {
    // Entitlement first, from the user's role and their own records in the case only: nothing of
    // the case is read before it, so an unentitled user costs the same reads whether or not the
    // case exists, and a flooded case cannot push their share out of view.
    const [manager, myShares] = await Promise.all([isManagerHere(turn), mySharesInCase(turn, caseReference)]);
    if (!mayHandleWithdrawal(myShares, manager)) {
      await send(nothingToWithdrawCard(caseReference));
      return;
    }
    const history = await readCase(services.stores.decisions, tenantId, caseReference);
    const decisions = history.records.filter((r) => r.kind === 'decision');
    const latest = decisions[0];
    // A case with no decisions and a case this user has no part in get the same card.
    if (!latest) {
      await send(nothingToWithdrawCard(caseReference));
      return;
    }
    // Typing the command again re-shows the open withdrawal rather than recording a second one.
    let withdrawal = history.records.find((r) => r.kind === 'consent_withdrawn' && r.recordedAt >= latest.recordedAt);
    let created = false;
    // Whether the case must be read again to list the shares (the history above lacks the withdrawal).
    let stale = false;
    if (!withdrawal) {
      stale = true;
      // The withdrawal copies only what the actor may see: a manager, the latest decision; anyone
      // else, their own latest share (never a colleague's decision).
      const basis = manager ? latest : myShares[0]!;
      const input: NewRecord = {
        // One withdrawal per case and latest decision: simultaneous commands (a double send, two
        // devices) make one record; a colleague racing this one is refused by the store (the key
        // is bound to its minter) and shown theirs.
        idempotencyKey: `withdrawal|${normaliseCaseReference(caseReference)}|${latest.id}`,
        kind: 'consent_withdrawn',
        // Linked to the decision it withdraws, so it counts under that decision's team (typed in
        // personal chat, the withdrawal itself is in no team).
        parentId: basis.id,
        scope: identity.scope,
        decidedBy: identity.user,
        rulePackId: basis.rulePackId,
        rulePackVersion: basis.rulePackVersion,
        ruleId: basis.ruleId,
        decision: basis.decision,
        answers: {},
        consentStatus: 'withdrawn',
        subjectInformed: 'not_applicable',
        // As the user typed it (it matched the case's entries once normalised).
        caseReference,
        openFollowUps: decisions.some(isShare) ? ['inform_all_parties_consent_withdrawn'] : [],
      };
      try {
        const saved = await services.stores.decisions.record(input);
        withdrawal = saved.record;
        created = saved.created;
      } catch (err) {
        if (!(err instanceof IdempotencyKeyInUseError)) throw err;
        const again = await readCase(services.stores.decisions, tenantId, caseReference);
        withdrawal = again.records.find((r) => r.kind === 'consent_withdrawn' && r.recordedAt >= latest.recordedAt);
        if (!withdrawal) throw new Error('withdrawal key in use but no withdrawal found for the case', { cause: err });
      }
      if (created)
        services.logger.info(
          { event: 'followup.recorded', kind: 'consent_withdrawn', recordId: withdrawal.id },
          'consent withdrawal recorded',
        );
    }
    const again = 'Type **withdraw consent** with the case reference again to see the shares to tell.';
    let listed;
    try {
      listed = await withdrawalRows(turn, withdrawal, manager, stale ? undefined : history);
    } catch (err) {
      if (!(err instanceof StorageUnavailableError)) throw err;
      // Saved, but the shares could not be read back: say so, never "not saved".
      services.logger.error(
        { event: 'followup.list_failed', err: errorFields(err) },
        'withdrawal recorded but its shares could not be listed',
      );
      await send(
        plainCard(
          'Consent withdrawn',
          [`The withdrawal is recorded as **${withdrawal.id}**.`, `The shares could not be listed just now. ${again}`],
          'warning',
        ),
      );
      return;
    }
    await send(withdrawalResult(turn, withdrawal, listed.rows, listNotice(listed), again));
  } catch (err) {
    if (!(err instanceof StorageUnavailableError)) throw err;
    services.logger.error(
      { event: 'followup.not_saved', err: errorFields(err) },
      'consent withdrawal could not be saved',
    );
    await send(
      messageCard(
        'Not saved',
        'NOT SAVED: the records store could not be reached, so the withdrawal has not been recorded. Please try again in a moment.',
        { style: 'attention' },
      ),
    );
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
  const [withdrawal, share, manager] = await Promise.all([
    loadWithdrawal(turn, parsed.data.w),
    stores.decisions.get(tenantId, parsed.data.s),
    isManagerHere(turn),
  ]);
  if (
    !withdrawal ||
    !share ||
    !isShare(share) ||
    normaliseCaseReference(share.caseReference) !== normaliseCaseReference(withdrawal.caseReference) ||
    share.recordedAt > withdrawal.recordedAt ||
    // The target is the share: only its practitioner or a manager may say its recipient was told
    // (the follow-up copies the share's recipient into the actor's own records).
    !mayFollowUp(turn, share, manager)
  ) {
    return { message: SHARE_NOT_FOUND };
  }
  const before = await withdrawalRows(turn, withdrawal, manager);
  if (before.rows.some((row) => row.share.id === share.id && row.informed)) {
    return card(
      withdrawalResult(
        turn,
        withdrawal,
        before.rows,
        listNotice(before) ?? `Already recorded: ${recipientText(share)} has been told.`,
        'That recipient is recorded as told.',
      ),
    );
  }
  let informedId: string | undefined;
  try {
    const input: NewRecord = {
      idempotencyKey: `followup-party|${withdrawal.id}|${share.id}`,
      kind: 'follow_up_party_informed',
      parentId: share.id,
      scope: share.scope,
      decidedBy: turn.identity.user,
      rulePackId: share.rulePackId,
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
    informedId = saved.record.id;
    logger.info(
      {
        event: 'followup.recorded',
        kind: 'follow_up_party_informed',
        recordId: saved.record.id,
        parentId: share.id,
        created: saved.created,
      },
      'party informed recorded',
    );
  } catch (err) {
    // Someone else entitled (the practitioner or a manager) recorded it a moment ago: shown below.
    if (!(err instanceof IdempotencyKeyInUseError)) {
      if (!(err instanceof StorageUnavailableError)) throw err;
      logger.error({ event: 'followup.not_saved', err: errorFields(err) }, 'party-informed could not be saved');
      return card(
        withdrawalResult(
          turn,
          withdrawal,
          before.rows,
          `${NOT_SAVED}${listNotice(before) ? ` ${listNotice(before)}` : ''}`,
          'NOT SAVED: please press "Told them" again in a moment.',
        ),
      );
    }
  }
  const done = `Recorded${informedId ? ` as ${informedId}` : ''}: the recipient of share ${share.id} has been told.`;
  let after;
  try {
    after = await withdrawalRows(turn, withdrawal, manager);
  } catch (err) {
    if (!(err instanceof StorageUnavailableError)) throw err;
    // Saved, but the list could not be read back: say what was saved, never "not saved".
    logger.error(
      { event: 'followup.list_failed', err: errorFields(err) },
      'party-informed recorded but the withdrawal could not be listed',
    );
    return card(
      plainCard(
        'Consent withdrawn',
        [done, 'The list could not be refreshed just now; press Refresh in a moment.'],
        'warning',
      ),
    );
  }
  return card(
    withdrawalResult(
      turn,
      withdrawal,
      after.rows,
      listNotice(after) ?? `Recorded: ${recipientText(share)} has been told.`,
      done,
    ),
  );
}

async function onWithdrawalStatus(turn: Turn, data: Record<string, unknown>): Promise<CardActionResult> {
  const parsed = WithdrawalStatusSchema.safeParse(data);
  if (!parsed.success) return { message: 'That button could not be read.' };
  const [withdrawal, manager] = await Promise.all([loadWithdrawal(turn, parsed.data.w), isManagerHere(turn)]);
  if (!withdrawal) return { message: WITHDRAWAL_NOT_FOUND };
  // Not "whoever recorded it": a withdrawal recorded before this check existed may have been
  // recorded by someone with no share in the case. Decided from the user's own records, before
  // the case is read.
  if (!mayHandleWithdrawal(manager ? [] : await mySharesInCase(turn, withdrawal.caseReference), manager))
    return { message: WITHDRAWAL_NOT_FOUND };
  const listed = await withdrawalRows(turn, withdrawal, manager);
  return card(
    withdrawalResult(
      turn,
      withdrawal,
      listed.rows,
      listNotice(listed),
      'Type **withdraw consent** with the case reference to see the shares to tell.',
    ),
  );
}

export const followUpsFeature: BotFeature = {
  commands: [
    {
      usage: 'withdraw consent <case ref>',
      description:
        'Record that consent was withdrawn, and see everyone the case was shared with so you can tell them (§1).',
      match: commandMatcher('withdraw consent', 'consent withdrawn'),
      handle: withdrawCommand,
    },
  ],
  actions: [
    { verb: VERBS.subjectInformed, handle: onSubjectInformed },
    // Both show who a case was shared with: like "withdraw consent", personal chat only.
    { verb: VERBS.partyInformed, privacy: 'personal-chat', handle: onPartyInformed },
    { verb: VERBS.withdrawalStatus, privacy: 'personal-chat', handle: onWithdrawalStatus },
  ],
};
