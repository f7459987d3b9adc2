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

/** A condition compiled to a closure: evaluated for every question and text on every turn and every path walk. */
type CompiledCondition = (answers: Answers, context: ConditionContext) => boolean;

/**
 * Compiled once per condition object (pack conditions are frozen and live as long as the pack):
 * walking every path of a pack evaluates conditions millions of times, and a closure per node avoids
 * re-dispatching on the condition's shape each time.
 */
const compiledConditions = new WeakMap<Condition, CompiledCondition>();

function compiledOf(condition: Condition): CompiledCondition {
  let compiled = compiledConditions.get(condition);
  if (compiled === undefined) {
    compiled = compile(condition);
    compiledConditions.set(condition, compiled);
  }
  return compiled;
}

function compile(condition: Condition): CompiledCondition {
  if ('q' in condition) {
    const { q } = condition;
    const codes = new Set<string>(condition.in);
    return (answers) => {
      // Own-property check: answers come from card data, so "constructor" etc. must not match.
      if (!Object.hasOwn(answers, q)) return false;
      const code = answers[q];
      return code !== undefined && codes.has(code);
    };
  }
  if ('answered' in condition) {
    const { answered } = condition;
    return (answers) => Object.hasOwn(answers, answered);
  }
  if ('all' in condition) {
    const parts = condition.all.map(compiledOf);
    return (answers, context) => {
      for (const part of parts) if (!part(answers, context)) return false;
      return true;
    };
  }
  if ('any' in condition) {
    const parts = condition.any.map(compiledOf);
    return (answers, context) => {
      for (const part of parts) if (part(answers, context)) return true;
      return false;
    };
  }
  if ('decision' in condition) {
    const decisions = new Set<string>(condition.decision as string[]);
    return (_answers, context) => context.decision !== undefined && decisions.has(context.decision);
  }
  const inner = compiledOf(condition.not);
  return (answers, context) => !inner(answers, context);
}

export function conditionHolds(
  condition: Condition,
  answers: Answers,
  context: ConditionContext = NO_CONTEXT,
): boolean {
  return compiledOf(condition)(answers, context);
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
