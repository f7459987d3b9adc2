/**
 * The questionnaire: "Can I share…?" → question cards replaced in place (Universal Actions,
 * sequential workflow) → outcome card with the record form → confirmation with a record id.
 */
import { back, evaluate } from '../../../domain';
import { InvalidAnswersError, type Answers, type FollowUpCode, type Outcome } from '../../../domain/contract';
import {
  LEGACY_RULE_PACK_ID,
  StorageUnavailableError,
  type NewRecord,
  type RecordResult,
} from '../../../storage/contract';
import { IdempotencyKeyInUseError, UrgentEntryAlreadyRecordedError } from '../../../storage/errors';
import { errorFields } from '../../../logger';
import { plainCard, renderedOr } from '../../cards/fallback';
import type { AdaptiveCard } from '../../cards/templates';
import { VERBS } from '../../kit/verbs';
import {
  URGENT_ENTRY_NOT_FOUND,
  UrgentEntryIdSchema,
  linkedDecision,
  ownUrgentEntry,
  urgentAlreadyRecorded,
} from '../../kit/urgentEntries';
import { needsReview, tenantPack, withPackNotices, withReviewBanner, type TenantPack } from '../../kit/rulePacks';
import { commandMatcher, type BotFeature, type CardActionResult, type Turn } from '../types';
import { validateRecordForm, type RecordForm } from './recordForm';
import { onCorrectionOpen, onCorrectionSave } from './corrections';
import {
  AnswerSubmissionSchema,
  RecordFormInputSchema,
  RecordSubmissionSchema,
  StateOnlySubmissionSchema,
  type QuestionnaireState,
} from './state';
import { SHARED_CONVERSATION_NOTICE, cardFor, messageCard, outcomeCard, recordedCard } from './views';
import { STALE_TITLE, SUPERSEDED_TEXT, isSuperseded, makeCurrent, newQuestionnaire, ownCardId } from './sessions';

function sharedNotice(turn: Turn): string | undefined {
  return turn.identity.scope.conversationKind === 'personal' ? undefined : SHARED_CONVERSATION_NOTICE;
}

/** The first question card of questionnaire `s`, under the tenant's pack. */
function firstQuestionCard(turn: Turn, s: QuestionnaireState, tp: TenantPack): AdaptiveCard {
  return withPackNotices(cardFor(s, evaluate(tp.pack, s.a), sharedNotice(turn), turn.services.now()), tp);
}

/**
 * A new questionnaire on the clicked card (Start, Start over), under the tenant's pack: it replaces that card in place.
 * `u`: the urgent entry whose decision it records (checked again when it is recorded).
 */
async function startOnClickedCard(turn: Turn, u?: string): Promise<CardActionResult> {
  const tp = await tenantPack(turn);
  const s = { ...newQuestionnaire(turn, tp.pack), ...(u !== undefined ? { u } : {}) };
  await makeCurrent(turn, s, await ownCardId(turn, turn.ctx.activity.replyToId));
  return { card: firstQuestionCard(turn, s, tp) };
}

type Checked = { ok: true; s: QuestionnaireState; tp: TenantPack } | { ok: false; result: CardActionResult };

function notYours(): CardActionResult {
  return { message: 'This questionnaire belongs to someone else. Type "start" to begin your own.' };
}

/**
 * Checks that card state belongs to this user and to the tenant's rule pack and its version (a
 * card from before packs were chosen was made under the 2015 pack). Another user's card is left
 * untouched (a message, not a replacement), because in a group chat replacing it would overwrite
 * the owner's card for everyone. `fresh`: read the tenant's choice from storage (recording).
 */
async function checkState(turn: Turn, s: QuestionnaireState, fresh = false): Promise<Checked> {
  if (s.o !== turn.identity.user.aadObjectId) return { ok: false, result: notYours() };
  let tp = await tenantPack(turn, { fresh });
  const cardPack = s.p ?? LEGACY_RULE_PACK_ID;
  // The tenant's choice could not be read: rather than guess it is another pack and call the card
  // stale, go on under the card's own pack (if installed, same version); every card then says the
  // pack could not be confirmed, and recording refuses until it can be.
  const onCard = turn.services.packs.byId.get(cardPack);
  if (!tp.verified && onCard && onCard.metadata.version === s.v)
    tp = { ...tp, pack: onCard, needsReview: needsReview(tp.settings, onCard) };
  const { id, version } = tp.pack.metadata;
  // Card values are never echoed (card data is user input): only the pack in use is named.
  if (cardPack !== id || s.v !== version)
    return {
      ok: false,
      result: {
        card: messageCard(
          STALE_TITLE,
          cardPack !== id
            ? `This card was made under another rule pack; your organisation now decides under ${id} (version ${version}). Please start again so the answer reflects the rules in use.`
            : `This card was made under an earlier version of the guidance rules; the rules are now version ${version}. Please start again so the answer reflects the current rules.`,
          { style: 'warning', restartFor: s },
        ),
      },
    };
  return { ok: true, s, tp };
}

function invalidCard(turn: Turn, reason: string): CardActionResult {
  // "Start again" here begins a brand-new questionnaire (the restart verb mints a new id).
  return {
    card: messageCard(STALE_TITLE, `${reason} Nothing has been recorded. Please start again.`, {
      style: 'warning',
      restartFor: newQuestionnaire(turn, turn.services.packs.defaultPack),
    }),
  };
}

/** Evaluates answers, turning tampered or off-path answers into a clear "start again" card. */
function step(turn: Turn, s: QuestionnaireState, answers: Answers, tp: TenantPack): CardActionResult {
  const { pack } = tp;
  try {
    const next = { ...s, a: { ...answers } };
    const card = cardFor(next, evaluate(pack, next.a), sharedNotice(turn), turn.services.now());
    return { card: withPackNotices(card, tp) };
  } catch (err) {
    if (err instanceof InvalidAnswersError) {
      // A question id from the card is logged only if it is one of ours (card data is user input).
      const questionId = pack.questions.some((q) => q.id === err.questionId) ? err.questionId : 'unknown';
      turn.services.logger.warn({ event: 'questionnaire.invalid_answers', questionId }, 'refused card answers');
      return invalidCard(
        turn,
        'The answers on this card do not fit the questionnaire (it may be an old or altered card).',
      );
    }
    throw err;
  }
}

/** Start; from an urgent card or its reminder, "Record the decision now" (data `u`: the entry, only the user's own). */
async function onStart(turn: Turn, data: Record<string, unknown>): Promise<CardActionResult> {
  if (data.u === undefined) return startOnClickedCard(turn);
  const parsed = UrgentEntryIdSchema.safeParse(data.u);
  if (!parsed.success) return invalidCard(turn, 'That urgent entry could not be read.');
  try {
    const entry = await ownUrgentEntry(turn, parsed.data);
    if (!entry) return { message: URGENT_ENTRY_NOT_FOUND };
    // One urgent entry, one decision: a second would claim the same entry (a change is a correction).
    const decision = await linkedDecision(turn, entry);
    if (decision)
      return {
        card: messageCard('Decision already recorded', urgentAlreadyRecorded(entry.id, decision.id), {
          style: 'warning',
        }),
      };
  } catch (err) {
    if (!(err instanceof StorageUnavailableError)) throw err;
    return {
      message:
        'The records store could not be reached, so I could not open the decision for that urgent entry. Nothing was recorded; press "Record the decision now" again in a moment.',
    };
  }
  return startOnClickedCard(turn, parsed.data);
}

async function onRestart(turn: Turn, data: Record<string, unknown>): Promise<CardActionResult> {
  const parsed = StateOnlySubmissionSchema.safeParse(data);
  // Start over is always allowed for the clicking user, but never on someone else's card.
  if (parsed.success && parsed.data.s.o !== turn.identity.user.aadObjectId) return notYours();
  // Starting over keeps the urgent entry it records the decision for (checked when recorded).
  return startOnClickedCard(turn, parsed.success ? parsed.data.s.u : undefined);
}

/**
 * Reads a card submission with `schema` and checks its questionnaire state: the submission, or
 * the card to answer with (unreadable, someone else's, an older rule pack).
 */
async function submission<T extends { s: QuestionnaireState }>(
  turn: Turn,
  schema: { safeParse(data: unknown): { success: true; data: T } | { success: false } },
  data: Record<string, unknown>,
  unreadable: string,
  fresh = false,
): Promise<{ ok: true; s: QuestionnaireState; tp: TenantPack; data: T } | { ok: false; result: CardActionResult }> {
  const parsed = schema.safeParse(data);
  if (!parsed.success) return { ok: false, result: invalidCard(turn, unreadable) };
  const checked = await checkState(turn, parsed.data.s, fresh);
  return checked.ok ? { ok: true, s: checked.s, tp: checked.tp, data: parsed.data } : checked;
}

async function onAnswer(turn: Turn, data: Record<string, unknown>): Promise<CardActionResult> {
  const checked = await submission(turn, AnswerSubmissionSchema, data, 'That answer could not be read.');
  if (!checked.ok) return checked.result;
  const { s, data: parsed } = checked;
  if (parsed.q in s.a) return invalidCard(turn, 'That question had already been answered on this card.');
  return step(turn, s, { ...s.a, [parsed.q]: parsed.answer }, checked.tp);
}

async function onBack(turn: Turn, data: Record<string, unknown>): Promise<CardActionResult> {
  const checked = await submission(turn, StateOnlySubmissionSchema, data, 'That card could not be read.');
  if (!checked.ok) return checked.result;
  try {
    return step(turn, checked.s, back(checked.tp.pack, checked.s.a), checked.tp);
  } catch (err) {
    if (err instanceof InvalidAnswersError)
      return invalidCard(turn, 'The answers on this card do not fit the questionnaire.');
    throw err;
  }
}

/** Follow-ups still open once this record is written (telling the person now closes that one). */
function openFollowUps(outcome: Outcome, form: RecordForm): FollowUpCode[] {
  return outcome.followUps
    .map((f) => f.code)
    .filter(
      (code) =>
        !(
          code === 'inform_subject_later' &&
          (form.subjectInformed === 'yes' || form.subjectInformed === 'not_informing')
        ),
    );
}

async function onRecord(turn: Turn, data: Record<string, unknown>): Promise<CardActionResult> {
  // The tenant's choice read fresh: a card made under a pack it has since left is never recorded.
  const checked = await submission(turn, RecordSubmissionSchema, data, 'That record request could not be read.', true);
  if (!checked.ok) return checked.result;
  const { s, tp } = checked;
  const k = checked.data.k;
  const bannered = (card: AdaptiveCard): CardActionResult => ({ card: withPackNotices(card, tp) });

  let outcome: Outcome;
  try {
    const result = evaluate(tp.pack, s.a);
    if (result.kind !== 'outcome')
      return invalidCard(turn, 'This card was submitted before the questions were finished.');
    outcome = result.outcome;
  } catch (err) {
    if (err instanceof InvalidAnswersError)
      return invalidCard(turn, 'The answers on this card do not fit the questionnaire.');
    throw err;
  }

  const values = RecordFormInputSchema.parse(pickStrings(data));
  const form = validateRecordForm(values, outcome, turn.services.now());
  if (!form.ok)
    return bannered(
      outcomeCard(s, outcome, {
        now: turn.services.now(),
        idempotencyKey: k,
        values,
        notice: `Not recorded yet — please check: ${form.problems.join(' ')}`,
      }),
    );

  const record: NewRecord = {
    idempotencyKey: k,
    kind: 'decision',
    scope: turn.identity.scope,
    decidedBy: turn.identity.user,
    rulePackId: tp.pack.metadata.id,
    rulePackVersion: s.v,
    ruleId: outcome.ruleId,
    decision: outcome.decision,
    answers: s.a,
    consentStatus: form.form.consentStatus,
    reasonsWithoutConsent: form.form.reasonsWithoutConsent,
    recipientAgency: form.form.recipientAgency,
    recipientRole: form.form.recipientRole,
    channel: form.form.channel,
    informationOutline: form.form.informationOutline,
    subjectInformed: form.form.subjectInformed,
    subjectNotInformedReason: form.form.subjectNotInformedReason,
    caseReference: form.form.caseReference,
    purpose: form.form.purpose,
    purposeDetail: form.form.purposeDetail,
    riskOfNotSharing: form.form.riskOfNotSharing,
    reasonForNotSharing: form.form.reasonForNotSharing,
    deciderRole: form.form.deciderRole,
    reviewBy: form.form.reviewBy,
    openFollowUps: openFollowUps(outcome, form.form),
    ...(s.u !== undefined ? { urgentEntryId: s.u } : {}),
  };
  let saved: RecordResult;
  try {
    // The tenant's pack could not be confirmed: as any outage, "not saved", never a guess recorded.
    if (!tp.verified) throw new StorageUnavailableError('tenant settings could not be read');
    // Only the user's current questionnaire may be recorded (checked here, where an outage is a
    // "not saved" like any other, rather than on every question step).
    if (await isSuperseded(turn, s)) return { card: messageCard(STALE_TITLE, SUPERSEDED_TEXT, { style: 'warning' }) };
    // Card state is untrusted: the urgent entry must be this user's own, or nothing is recorded.
    if (s.u !== undefined) {
      const entry = await ownUrgentEntry(turn, s.u);
      if (!entry)
        return {
          card: messageCard('Not recorded', `${URGENT_ENTRY_NOT_FOUND} Nothing was recorded.`, { style: 'warning' }),
        };
      // A decision already linked to the entry: refused, unless it is this very submission again
      // (the same key, answered by the store with the record it made).
      const decision = await linkedDecision(turn, entry);
      if (decision && decision.idempotencyKey !== k)
        return {
          card: messageCard('Not recorded', `${urgentAlreadyRecorded(entry.id, decision.id)} Nothing was recorded.`, {
            style: 'warning',
          }),
        };
    }
    // The key is bound to this user and this questionnaire: a key copied from a colleague's card
    // (or from another of the user's own cards) is refused by the store, never answered with the
    // record it made.
    saved = await turn.services.stores.decisions.record(record, { idempotencyScope: `questionnaire:${s.i}` });
  } catch (err) {
    // Another decision for the entry landed between the check above and this write (the store
    // enforces one decision per urgent entry): the same answer as the check gives.
    if (err instanceof UrgentEntryAlreadyRecordedError && s.u !== undefined) {
      turn.services.logger.warn({ event: 'decision.urgent_already_recorded' }, 'urgent entry already recorded');
      return {
        card: messageCard('Not recorded', `${urgentAlreadyRecorded(s.u, err.recordId)} Nothing was recorded.`, {
          style: 'warning',
        }),
      };
    }
    if (err instanceof IdempotencyKeyInUseError) {
      turn.services.logger.warn(
        { event: 'decision.idempotency_key_refused' },
        'record key belongs to another submission; offered a fresh card',
      );
      // A fresh key (none passed): one press on this card records the user's own decision.
      return bannered(outcomeCard(s, outcome, { now: turn.services.now(), values, notice: KEY_IN_USE_NOTICE }));
    }
    if (!(err instanceof StorageUnavailableError)) throw err;
    turn.services.logger.error({ event: 'decision.not_saved', err: errorFields(err) }, 'decision could not be saved');
    return bannered(
      outcomeCard(s, outcome, {
        now: turn.services.now(),
        idempotencyKey: k,
        values,
        notice:
          'NOT SAVED: the records store could not be reached, so this decision has not been recorded. Your answers are still on this card — press "Record this decision" again in a moment.',
      }),
    );
  }
  const { record: stored, created } = saved;
  if (stored.urgentEntryId !== undefined) await closeUrgentFollowUp(turn, stored.urgentEntryId);
  turn.services.logger.info(
    { event: 'decision.recorded', recordId: stored.id, decision: outcome.decision, ruleId: outcome.ruleId, created },
    'decision recorded',
  );
  // The record is saved: whatever happens to the card now, the user is told so, with its id.
  const card = renderedOr(
    turn.services.logger,
    'recorded',
    () =>
      withReviewBanner(
        recordedCard(s, stored, outcome, !created, {
          shared: sharedNotice(turn) !== undefined,
          guidance: tp.pack.metadata.title,
        }),
        tp.needsReview,
      ),
    () =>
      plainCard(created ? 'Decision recorded' : 'Decision already recorded', [
        `Record id: **${stored.id}** — quote it in your case notes.`,
        created
          ? 'The details are saved; type **my decisions** to see them.'
          : 'This decision had already been recorded; nothing was saved twice.',
      ]),
  );
  return { card };
}

/**
 * The urgent entry's decision is recorded: its reminders stop. If this fails, the scheduler finds
 * the linked decision and closes the follow-up itself.
 */
async function closeUrgentFollowUp(turn: Turn, entryId: string): Promise<void> {
  try {
    await turn.services.stores.reminders.closeFollowUp(turn.identity.scope.tenantId, entryId, 'decision_recorded');
  } catch (err) {
    if (!(err instanceof StorageUnavailableError)) throw err;
    turn.services.logger.warn(
      { event: 'urgent.follow_up_close_deferred', err: errorFields(err) },
      'urgent follow-up left for the scheduler to close',
    );
  }
}

const KEY_IN_USE_NOTICE =
  'Not recorded yet: this card\'s record button had already been used for a different submission (the card may have been copied or changed), so nothing was saved from it. Your answers are on this card — check them and press "Record this decision" to record your decision.';

function pickStrings(data: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) if (typeof value === 'string') out[key] = value;
  return out;
}

export const questionnaireFeature: BotFeature = {
  commands: [
    {
      usage: 'start',
      description: 'Ask "can I share?" — a few questions, then the answer and how to share safely.',
      match: commandMatcher('start', 'can i share', 'share', 'new', 'begin'),
      async handle(turn) {
        const tp = await tenantPack(turn);
        const s = newQuestionnaire(turn, tp.pack);
        const sentId = await turn.post({ card: firstQuestionCard(turn, s, tp) });
        await makeCurrent(turn, s, sentId);
      },
    },
  ],
  actions: [
    { verb: VERBS.start, handle: onStart },
    { verb: VERBS.restart, handle: onRestart },
    { verb: VERBS.answer, handle: onAnswer },
    { verb: VERBS.back, handle: onBack },
    { verb: VERBS.record, handle: onRecord },
    { verb: VERBS.correctionOpen, handle: onCorrectionOpen },
    { verb: VERBS.correctionSave, handle: onCorrectionSave },
  ],
};
