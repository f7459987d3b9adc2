/**
 * The decision engine: pure and deterministic. Given a rule pack and the answers so far, it returns
 * either the next question (with progress) or the outcome. No I/O, no clock, no randomness, so a
 * stored decision can be replayed exactly from (pack version, answers).
 */
import type { Answers, EngineResult, Progress, QuestionView } from './contract';
import { answerHeadline, buildOutcome, matchingRule } from './outcome';
import { longestRemaining, validateAnswers, walkPath } from './path';
import type { Question, RulePack } from './rulePack/schema';

export { completePaths } from './path';

function toQuestionView(q: Question): QuestionView {
  const view: QuestionView = {
    id: q.id,
    text: q.text,
    options: q.options.map((o) =>
      o.help ? { code: o.code, label: o.label, help: o.help } : { code: o.code, label: o.label },
    ),
    citations: q.citations.map((c) => ({ section: c.section, heading: c.heading })),
  };
  if (q.help) view.help = q.help;
  return view;
}

/**
 * Progress within the current question's phase: the questions answered in that phase so far, and
 * the most the phase can take from here (exact: the longest way the rest could go). So the card
 * never promises fewer questions than are asked, and the total never grows.
 */
function progressOf(pack: RulePack, answers: Answers, answered: readonly Question[], current: Question): Progress {
  const answeredInPhase = answered.filter((q) => q.phase === current.phase).length;
  const index = pack.questions.indexOf(current);
  const remaining = longestRemaining(pack, { ...answers }, index, current.phase);
  return { phase: current.phase, step: answeredInPhase + 1, total: answeredInPhase + Math.max(remaining, 1) };
}

/**
 * Next question, or the outcome once every question on the path is answered.
 * @throws InvalidAnswersError for an unknown question or option code, or an answer off the path.
 */
export function evaluate(pack: RulePack, answers: Answers): EngineResult {
  const valid = validateAnswers(pack, answers);
  const walk = walkPath(pack, valid);
  if (walk.current) {
    const result: EngineResult = {
      kind: 'question',
      question: toQuestionView(walk.current),
      progress: progressOf(pack, valid, walk.answered, walk.current),
      answers: valid,
    };
    // Tailoring questions come once the answer is settled: show it now, refine the steps after.
    if (walk.current.phase === 'tailor') result.answer = answerHeadline(matchingRule(pack, valid));
    return result;
  }
  return { kind: 'outcome', outcome: buildOutcome(pack, valid), answers: valid };
}

/**
 * Undoes the most recent answer on the path (the last answered question in path order).
 * With no answers it returns an empty set. @throws InvalidAnswersError as `evaluate` does.
 */
export function back(pack: RulePack, answers: Answers): Answers {
  const valid = validateAnswers(pack, answers);
  const last = walkPath(pack, valid).answered.at(-1);
  if (!last) return Object.freeze({});
  const rest: Record<string, string> = { ...valid };
  delete rest[last.id];
  return Object.freeze(rest);
}

/**
 * Sets (or changes) one answer and drops any later answers the change has taken off the path — for
 * a card that would let the practitioner change an earlier answer (none does yet: Back undoes the
 * last answer instead). The question must be on the path.
 * @throws InvalidAnswersError if the question is unknown, the code is not one of its options, or the question is not on
 * the path.
 * @internal Not on the domain's public surface (src/domain/index.ts); the engine's unit tests use it.
 */
export function answerQuestion(pack: RulePack, answers: Answers, questionId: string, code: string): Answers {
  const valid = validateAnswers(pack, answers);
  // Keep only answers to questions before this one; then re-add later answers that are still on the path.
  const index = pack.questions.findIndex((q) => q.id === questionId);
  const earlier: Record<string, string> = {};
  for (const q of pack.questions.slice(0, Math.max(index, 0)))
    if (Object.hasOwn(valid, q.id)) earlier[q.id] = valid[q.id] as string;
  const next = validateAnswers(pack, { ...earlier, [questionId]: code });
  const result: Record<string, string> = { ...next };
  const position = new Map(pack.questions.map((q, i) => [q.id, i]));
  for (const q of pack.questions.slice(index + 1)) {
    if (!Object.hasOwn(valid, q.id)) continue;
    const { current } = walkPath(pack, result);
    if (current?.id === q.id) {
      result[q.id] = valid[q.id] as string;
      continue;
    }
    // A question now skipped is passed over; a newly opened, unanswered one ends the kept answers.
    const currentPosition = current ? (position.get(current.id) ?? -1) : -1;
    if (currentPosition < (position.get(q.id) ?? -1)) break;
  }
  return Object.freeze(result);
}

/**
 * Question text and chosen option label for each answer, in path order.
 * @internal Not on the domain's public surface (src/domain/index.ts); the engine's unit tests walk paths with it.
 */
export function describeAnswers(
  pack: RulePack,
  answers: Answers,
): { questionId: string; question: string; code: string; label: string }[] {
  const valid = validateAnswers(pack, answers);
  return walkPath(pack, valid).answered.map((q) => {
    const code = valid[q.id] as string;
    const label = q.options.find((o) => o.code === code)?.label ?? code;
    return { questionId: q.id, question: q.text, code, label };
  });
}
