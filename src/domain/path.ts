/**
 * The question path: which questions are asked, given the answers so far, and whether a set of
 * answers could have been produced by answering the questionnaire honestly (no tampering).
 */
import { conditionHolds } from './conditions';
import { InvalidAnswersError } from './contract';
import type { Answers } from './contract';
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
  for (const question of pack.questions) {
    if (question.askWhen && !conditionHolds(question.askWhen, answers)) continue;
    if (!Object.hasOwn(answers, question.id)) return { answered, current: question };
    answered.push(question);
  }
  return { answered };
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
  for (const question of pack.questions) {
    const onPath = !question.askWhen || conditionHolds(question.askWhen, accepted);
    const given = Object.hasOwn(input, question.id);
    if (!onPath || firstGap) {
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
