/** Evaluation of rule-pack conditions against answers. Pure; no knowledge of any particular pack. */
import type { Answers } from './contract';
import type { Condition } from './rulePack/schema';

/**
 * What a condition can see besides the answers: the decision, once the decision questions have
 * settled it (tailoring questions and outcome texts may depend on it; rules never do).
 */
export interface ConditionContext {
  decision?: string;
}

const NO_CONTEXT: ConditionContext = {};

export function conditionHolds(
  condition: Condition,
  answers: Answers,
  context: ConditionContext = NO_CONTEXT,
): boolean {
  if ('q' in condition) {
    // Own-property check: answers come from card data, so "constructor" etc. must not match.
    const code = Object.hasOwn(answers, condition.q) ? answers[condition.q] : undefined;
    return code !== undefined && condition.in.includes(code);
  }
  if ('answered' in condition) return Object.hasOwn(answers, condition.answered);
  if ('all' in condition) return condition.all.every((c) => conditionHolds(c, answers, context));
  if ('any' in condition) return condition.any.some((c) => conditionHolds(c, answers, context));
  if ('decision' in condition)
    return context.decision !== undefined && (condition.decision as string[]).includes(context.decision);
  return !conditionHolds(condition.not, answers, context);
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
  if ('decision' in condition) return [];
  return conditionReferences(condition.not);
}

/** Whether the condition looks at the decision (allowed only after the answer is known). */
export function usesDecision(condition: Condition): boolean {
  if ('decision' in condition) return true;
  if ('all' in condition) return condition.all.some(usesDecision);
  if ('any' in condition) return condition.any.some(usesDecision);
  if ('not' in condition) return usesDecision(condition.not);
  return false;
}
