/** Evaluation of rule-pack conditions against answers. Pure; no knowledge of any particular pack. */
import type { Answers } from './contract';
import type { Condition } from './rulePack/schema';

export function conditionHolds(condition: Condition, answers: Answers): boolean {
  if ('q' in condition) {
    // Own-property check: answers come from card data, so "constructor" etc. must not match.
    const code = Object.hasOwn(answers, condition.q) ? answers[condition.q] : undefined;
    return code !== undefined && condition.in.includes(code);
  }
  if ('answered' in condition) return Object.hasOwn(answers, condition.answered);
  if ('all' in condition) return condition.all.every((c) => conditionHolds(c, answers));
  if ('any' in condition) return condition.any.some((c) => conditionHolds(c, answers));
  return !conditionHolds(condition.not, answers);
}

/** A reference from a condition to a question (and, for `{ q, in }`, to its option codes). */
export interface ConditionReference {
  questionId: string;
  codes: readonly string[];
}

export function conditionReferences(condition: Condition): ConditionReference[] {
  if ('q' in condition) return [{ questionId: condition.q, codes: condition.in }];
  if ('answered' in condition) return [{ questionId: condition.answered, codes: [] }];
  if ('all' in condition) return condition.all.flatMap(conditionReferences);
  if ('any' in condition) return condition.any.flatMap(conditionReferences);
  return conditionReferences(condition.not);
}
