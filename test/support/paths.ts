/**
 * One answer set reaching each rule of the rule pack, taken from the practitioner case table
 * (whose coverage test proves every rule is reached). Used to render every outcome card in tests.
 */
import { evaluate, type Answers, type Outcome, type RulePack } from '../../src/domain';
import { CASES } from '../unit/domain/practitionerCases';

export function oneAnswerSetPerRule(pack: RulePack): Map<string, { answers: Answers; outcome: Outcome }> {
  const found = new Map<string, { answers: Answers; outcome: Outcome }>();
  for (const c of CASES) {
    const result = evaluate(pack, c.answers);
    if (result.kind === 'outcome' && !found.has(result.outcome.ruleId))
      found.set(result.outcome.ruleId, { answers: c.answers, outcome: result.outcome });
  }
  return found;
}
