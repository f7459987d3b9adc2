/**
 * The questionnaire: "Can I share…?" → question cards replaced in place (Universal Actions,
 * sequential workflow) → outcome card with the record form → confirmation with a record id.
 */
import { RULE_PACK_VERSION, back, evaluate, rulePack } from '../../../domain';
import { randomUUID } from 'node:crypto';
import { InvalidAnswersError, type Answers, type FollowUpCode, type Outcome } from '../../../domain/contract';
import { StorageUnavailableError, type NewRecord } from '../../../storage/contract';
import type { AdaptiveCard } from '../../cards/templates';
import { commandMatcher, type BotFeature, type CardActionResult, type Turn } from '../types';
import { validateRecordForm, type RecordForm } from './recordForm';
import {
  AnswerSubmissionSchema,
  RecordFormInputSchema,
  RecordSubmissionSchema,
  StateOnlySubmissionSchema,
  type QuestionnaireState,
} from './state';
import { SHARED_CONVERSATION_NOTICE, cardFor, messageCard, outcomeCard, recordedCard } from './views';

const STALE_TITLE = 'This card is out of date';

/**
 * A new questionnaire: a fresh id, recorded as the user's current one so that older cards are
 * recognised as superseded. If storage is down the questions still work (decision support must
 * not depend on the records store); recording will then say "not saved".
 */
async function startQuestionnaire(turn: Turn): Promise<QuestionnaireState> {
  const s: QuestionnaireState = { v: RULE_PACK_VERSION, a: {}, o: turn.identity.user.aadObjectId, i: randomUUID() };
  const { tenantId } = turn.identity.scope;
  try {
    await turn.services.stores.sessions.start(tenantId, s.o, s.i, turn.services.now());
  } catch (err) {
    if (!(err instanceof StorageUnavailableError)) throw err;
    turn.services.logger.warn({ event: 'questionnaire.session_not_saved' }, 'could not record the current questionnaire');
  }
  return s;
}

/** True when the user has since started a newer questionnaire than the one on this card. */
async function isSuperseded(turn: Turn, s: QuestionnaireState): Promise<boolean> {
  try {
    const current = await turn.services.stores.sessions.current(turn.identity.scope.tenantId, s.o);
    return current !== undefined && current !== s.i;
  } catch (err) {
    if (!(err instanceof StorageUnavailableError)) throw err;
    turn.services.logger.warn({ event: 'questionnaire.session_unreadable' }, 'could not check the current questionnaire');
    return false;
  }
}

function sharedNotice(turn: Turn): string | undefined {
  return turn.identity.scope.conversationKind === 'personal' ? undefined : SHARED_CONVERSATION_NOTICE;
}

/** The first question card, for a new questionnaire. */
export async function firstQuestionCard(turn: Turn): Promise<AdaptiveCard> {
  const s = await startQuestionnaire(turn);
  return cardFor(s, evaluate(rulePack, s.a), sharedNotice(turn));
}

type Checked = { ok: true; s: QuestionnaireState } | { ok: false; result: CardActionResult };

function notYours(): CardActionResult {
  return { message: 'This questionnaire belongs to someone else. Type "start" to begin your own.' };
}

/**
 * Checks that card state belongs to this user, this rule-pack version and the user's current
 * questionnaire. Another user's card is left untouched (a message, not a replacement), because in a
 * group chat replacing it would overwrite the owner's card for everyone.
 */
async function checkState(turn: Turn, s: QuestionnaireState): Promise<Checked> {
  if (s.o !== turn.identity.user.aadObjectId) return { ok: false, result: notYours() };
  if (s.v !== RULE_PACK_VERSION)
    return {
      ok: false,
      result: {
        card: messageCard(
          STALE_TITLE,
          `This card was made under an earlier version of the guidance rules (${s.v}); the rules are now version ${RULE_PACK_VERSION}. Please start again so the answer reflects the current rules.`,
          { style: 'warning', restartFor: s },
        ),
      },
    };
  if (await isSuperseded(turn, s))
    return {
      ok: false,
      result: {
        card: messageCard(
          STALE_TITLE,
          'You have started a newer questionnaire since this card, so it no longer counts and nothing on it was recorded. Carry on with your newest card, or start again here.',
          { style: 'warning', restartFor: s },
        ),
      },
    };
  return { ok: true, s };
}

function invalidCard(turn: Turn, reason: string): CardActionResult {
  // "Start again" here begins a brand-new questionnaire (the restart verb mints a new id).
  const owner = { v: RULE_PACK_VERSION, a: {}, o: turn.identity.user.aadObjectId, i: randomUUID() };
  return {
    card: messageCard(STALE_TITLE, `${reason} Nothing has been recorded. Please start again.`, { style: 'warning', restartFor: owner }),
  };
}

/** Evaluates answers, turning tampered or off-path answers into a clear "start again" card. */
function step(turn: Turn, s: QuestionnaireState, answers: Answers): CardActionResult {
  try {
    const next = { ...s, a: { ...answers } };
    return { card: cardFor(next, evaluate(rulePack, next.a), sharedNotice(turn)) };
  } catch (err) {
    if (err instanceof InvalidAnswersError) {
      turn.services.logger.warn({ event: 'questionnaire.invalid_answers', questionId: err.questionId }, 'refused card answers');
      return invalidCard(turn, 'The answers on this card do not fit the questionnaire (it may be an old or altered card).');
    }
    throw err;
  }
}

async function onStart(turn: Turn): Promise<CardActionResult> {
  return { card: await firstQuestionCard(turn) };
}

async function onRestart(turn: Turn, data: Record<string, unknown>): Promise<CardActionResult> {
  const parsed = StateOnlySubmissionSchema.safeParse(data);
  // Start over is always allowed for the clicking user, but never on someone else's card.
  if (parsed.success && parsed.data.s.o !== turn.identity.user.aadObjectId) return notYours();
  return { card: await firstQuestionCard(turn) };
}

async function onAnswer(turn: Turn, data: Record<string, unknown>): Promise<CardActionResult> {
  const parsed = AnswerSubmissionSchema.safeParse(data);
  if (!parsed.success) return invalidCard(turn, 'That answer could not be read.');
  const checked = await checkState(turn, parsed.data.s);
  if (!checked.ok) return checked.result;
  const { s } = checked;
  if (parsed.data.q in s.a) return invalidCard(turn, 'That question had already been answered on this card.');
  return step(turn, s, { ...s.a, [parsed.data.q]: parsed.data.answer });
}

async function onBack(turn: Turn, data: Record<string, unknown>): Promise<CardActionResult> {
  const parsed = StateOnlySubmissionSchema.safeParse(data);
  if (!parsed.success) return invalidCard(turn, 'That card could not be read.');
  const checked = await checkState(turn, parsed.data.s);
  if (!checked.ok) return checked.result;
  try {
    return step(turn, checked.s, back(rulePack, checked.s.a));
  } catch (err) {
    if (err instanceof InvalidAnswersError) return invalidCard(turn, 'The answers on this card do not fit the questionnaire.');
    throw err;
  }
}

/** Follow-ups still open once this record is written (telling the person now closes that one). */
function openFollowUps(outcome: Outcome, form: RecordForm): FollowUpCode[] {
  return outcome.followUps
    .map((f) => f.code)
    .filter((code) => !(code === 'inform_subject_later' && (form.subjectInformed === 'yes' || form.subjectInformed === 'not_informing')));
}

async function onRecord(turn: Turn, data: Record<string, unknown>): Promise<CardActionResult> {
  const parsed = RecordSubmissionSchema.safeParse(data);
  if (!parsed.success) return invalidCard(turn, 'That record request could not be read.');
  const checked = await checkState(turn, parsed.data.s);
  if (!checked.ok) return checked.result;
  const { s } = checked;
  const k = parsed.data.k;

  let outcome: Outcome;
  try {
    const result = evaluate(rulePack, s.a);
    if (result.kind !== 'outcome') return invalidCard(turn, 'This card was submitted before the questions were finished.');
    outcome = result.outcome;
  } catch (err) {
    if (err instanceof InvalidAnswersError) return invalidCard(turn, 'The answers on this card do not fit the questionnaire.');
    throw err;
  }

  const values = RecordFormInputSchema.parse(pickStrings(data));
  const form = validateRecordForm(values, outcome);
  if (!form.ok)
    return { card: outcomeCard(s, outcome, { idempotencyKey: k, values, notice: `Not recorded yet — please check: ${form.problems.join(' ')}` }) };

  const record: NewRecord = {
    idempotencyKey: k,
    kind: 'decision',
    scope: turn.identity.scope,
    decidedBy: turn.identity.user,
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
    openFollowUps: openFollowUps(outcome, form.form),
  };
  try {
    const saved = await turn.services.stores.decisions.record(record);
    turn.services.logger.info(
      { event: 'decision.recorded', recordId: saved.record.id, decision: outcome.decision, ruleId: outcome.ruleId, created: saved.created },
      'decision recorded',
    );
    return { card: recordedCard(s, saved.record, outcome, !saved.created) };
  } catch (err) {
    if (!(err instanceof StorageUnavailableError)) throw err;
    turn.services.logger.error({ event: 'decision.not_saved', err: err.message }, 'decision could not be saved');
    return {
      card: outcomeCard(s, outcome, {
        idempotencyKey: k,
        values,
        notice: 'NOT SAVED: the records store could not be reached, so this decision has not been recorded. Your answers are still on this card — press "Record this decision" again in a moment.',
      }),
    };
  }
}

function pickStrings(data: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) if (typeof value === 'string') out[key] = value;
  return out;
}

export const questionnaireFeature: BotFeature = {
  name: 'questionnaire',
  commands: [
    {
      usage: 'start',
      description: 'Ask "can I share?" — a few questions, then the answer and how to share safely.',
      match: commandMatcher('start', 'can i share', 'share', 'new', 'begin'),
      async handle(turn) {
        await turn.ctx.sendActivity({ attachments: [adaptiveAttachment(await firstQuestionCard(turn))] });
      },
    },
  ],
  actions: [
    { verb: 'start', handle: onStart },
    { verb: 'restart', handle: onRestart },
    { verb: 'answer', handle: onAnswer },
    { verb: 'back', handle: onBack },
    { verb: 'record', handle: onRecord },
  ],
};

export function adaptiveAttachment(card: AdaptiveCard) {
  return { contentType: 'application/vnd.microsoft.card.adaptive', content: card };
}
