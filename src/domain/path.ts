/**
 * The question path: which questions are asked, given the answers so far, and whether a set of
 * answers could have been produced by answering the questionnaire honestly (no tampering).
 *
 * Two phases: decision questions (in pack order) until the answer is settled, then tailoring
 * questions, which may depend on the decision. loadRulePack guarantees that every tailoring question
 * comes after every decision question and that no rule depends on a tailoring question, so once the
 * walk reaches the first tailoring question the decision is fixed.
 */
import { conditionHolds, type ConditionContext } from './conditions';
import { InvalidAnswersError } from './contract';
import type { Answers } from './contract';
import { matchingRule } from './outcome';
import type { Question, RulePack } from './rulePack/schema';

const questionIndexes = new WeakMap<RulePack, Map<string, Question>>();
/** Questions by id, built once per (frozen) pack. */
function questionIndex(pack: RulePack): Map<string, Question> {
  let index = questionIndexes.get(pack);
  if (!index) {
    index = new Map(pack.questions.map((q) => [q.id, q]));
    questionIndexes.set(pack, index);
  }
  return index;
}

/** The context for tailoring questions: the decision the (complete) decision answers select. */
export function decisionContext(pack: RulePack, answers: Answers): ConditionContext {
  return { decision: matchingRule(pack, answers).decision };
}

/** Whether `question` is asked given `answers`; `context` is computed lazily for tailoring questions. */
function isAsked(question: Question, answers: Answers, context: () => ConditionContext): boolean {
  if (!question.askWhen) return true;
  return conditionHolds(question.askWhen, answers, question.phase === 'tailor' ? context() : {});
}

export interface PathWalk {
  /** Answered questions on the path, in the order asked. */
  answered: Question[];
  /** The first question on the path still unanswered; undefined when the questionnaire is complete. */
  current?: Question;
}

/**
 * Walks the questions in pack order. askWhen may only refer to earlier questions (loadRulePack
 * enforces it), so evaluating against the answers so far is enough. Assumes answers were validated.
 */
export function walkPath(pack: RulePack, answers: Answers): PathWalk {
  const answered: Question[] = [];
  let context: ConditionContext | undefined;
  const lazyContext = () => (context ??= decisionContext(pack, answers));
  for (const question of pack.questions) {
    if (!isAsked(question, answers, lazyContext)) continue;
    if (!Object.hasOwn(answers, question.id)) return { answered, current: question };
    answered.push(question);
  }
  return { answered };
}

/**
 * The most questions of `phase` still to come from `answers` (counting question index `from`
 * onwards), over every way the rest could be answered. Depth-first. The decision phase has a few
 * thousand prefixes in all, so its results are cached per pack (answers are validated first, so the
 * cache holds only real prefixes); the tailoring phase has at most a few hundred completions.
 */
export function longestRemaining(
  pack: RulePack,
  answers: Record<string, string>,
  from: number,
  phase: Question['phase'],
): number {
  if (phase === 'tailor') return longest(pack, answers, from, phase, decisionContext(pack, answers));
  let cache = decideCaches.get(pack);
  if (!cache) {
    cache = new Map();
    decideCaches.set(pack, cache);
  }
  const key = `${from}|${pack.questions.map((q) => (Object.hasOwn(answers, q.id) ? answers[q.id] : '')).join('|')}`;
  let result = cache.get(key);
  if (result === undefined) {
    result = longest(pack, answers, from, phase, {});
    cache.set(key, result);
  }
  return result;
}
const decideCaches = new WeakMap<RulePack, Map<string, number>>();

function longest(
  pack: RulePack,
  answers: Record<string, string>,
  from: number,
  phase: Question['phase'],
  context: ConditionContext,
): number {
  for (let i = from; i < pack.questions.length; i++) {
    const question = pack.questions[i] as Question;
    if (question.phase !== phase) {
      if (phase === 'decide') return 0;
      continue;
    }
    if (Object.hasOwn(answers, question.id)) continue;
    if (question.askWhen && !conditionHolds(question.askWhen, answers, context)) continue;
    let best = 0;
    for (const option of question.options) {
      answers[question.id] = option.code;
      best = Math.max(best, longest(pack, answers, i + 1, phase, context));
      delete answers[question.id];
    }
    return 1 + best;
  }
  return 0;
}

/**
 * Every complete path through the pack, depth first, as the engine walks it. Yields the same
 * mutable object each time (copy it to keep it): the invariants test walks hundreds of thousands.
 */
export function* completePaths(pack: RulePack): Generator<Readonly<Record<string, string>>> {
  const answers: Record<string, string> = {};
  function* from(index: number, context: ConditionContext | undefined): Generator<Readonly<Record<string, string>>> {
    for (let i = index; i < pack.questions.length; i++) {
      const question = pack.questions[i] as Question;
      let ctx = context;
      if (question.phase === 'tailor' && !ctx) ctx = decisionContext(pack, answers);
      if (question.askWhen && !conditionHolds(question.askWhen, answers, question.phase === 'tailor' ? ctx : {}))
        continue;
      for (const option of question.options) {
        answers[question.id] = option.code;
        yield* from(i + 1, ctx);
      }
      delete answers[question.id];
      return;
    }
    yield answers;
  }
  yield* from(0, undefined);
}

/**
 * Checks answers from outside (card data): known questions, known option codes, and every answer on
 * the path — i.e. not to a skipped question, nor beyond the first unanswered one.
 * Returns a frozen copy holding exactly those answers, in path order.
 * @throws InvalidAnswersError naming the offending question.
 */
export function validateAnswers(pack: RulePack, answers: unknown): Answers {
  if (answers === null || typeof answers !== 'object' || Array.isArray(answers)) {
    throw new InvalidAnswersError('answers must be an object mapping question ids to option codes');
  }
  const input = answers as Record<string, unknown>;
  const questionsById = questionIndex(pack);

  for (const [questionId, code] of Object.entries(input)) {
    const question = questionsById.get(questionId);
    if (!question) throw new InvalidAnswersError(`unknown question "${questionId}"`, questionId);
    if (typeof code !== 'string') {
      throw new InvalidAnswersError(`answer to question "${questionId}" must be an option code`, questionId);
    }
    if (!question.options.some((o) => o.code === code)) {
      throw new InvalidAnswersError(`unknown option "${code}" for question "${questionId}"`, questionId);
    }
  }

  // Rebuild the answers question by question, accepting only what the walk reaches.
  const accepted: Record<string, string> = {};
  let firstGap: Question | undefined;
  let context: ConditionContext | undefined;
  // Only reached without a gap: then every decision question on the path has been answered.
  const lazyContext = () => (context ??= firstGap ? {} : decisionContext(pack, accepted));
  for (const question of pack.questions) {
    const onPath = !firstGap && isAsked(question, accepted, lazyContext);
    const given = Object.hasOwn(input, question.id);
    if (!onPath) {
      if (given) {
        const why = firstGap
          ? `it comes after question "${firstGap.id}", which has not been answered`
          : 'that question is not asked given the other answers';
        throw new InvalidAnswersError(`answer to question "${question.id}" is not expected: ${why}`, question.id);
      }
      continue;
    }
    if (given) accepted[question.id] = input[question.id] as string;
    else firstGap = question;
  }
  return Object.freeze(accepted);
}
