/** Each practitioner case, walked through the default pack, reaches the decision the guidance gives. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate, rulePack, SAFETY_LINES, type Outcome } from '../../../src/domain';
import { CASES } from './practitionerCases';

function outcomeFor(answers: Record<string, string>): Outcome {
  const result = evaluate(rulePack, answers);
  assert.equal(result.kind, 'outcome', result.kind === 'question' ? `still asking "${result.question.id}"` : '');
  return (result as Extract<typeof result, { kind: 'outcome' }>).outcome;
}

describe('practitioner cases', () => {
  it('has at least 40 cases with unique names', () => {
    assert.ok(CASES.length >= 40, `only ${CASES.length} cases`);
    assert.equal(new Set(CASES.map((c) => c.name)).size, CASES.length);
  });

  for (const c of CASES) {
    it(c.name, () => {
      const outcome = outcomeFor(c.answers);
      assert.equal(outcome.ruleId, c.ruleId);
      assert.equal(outcome.decision, c.decision);

      const cited = new Set(outcome.citations.map((x) => x.section));
      for (const section of c.sections) assert.ok(cited.has(section), `section ${section} not cited (cited: ${[...cited].join(', ')})`);

      const steps = new Set(outcome.practiceSteps.map((s) => s.id));
      for (const id of c.steps) assert.ok(steps.has(id), `missing practice step "${id}" (got: ${[...steps].join(', ')})`);
      for (const id of c.notSteps ?? []) assert.ok(!steps.has(id), `unexpected practice step "${id}"`);

      if (c.followUps) assert.deepEqual(outcome.followUps.map((f) => f.code).sort(), [...c.followUps].sort());
      if (c.consentStatus) assert.equal(outcome.consentStatus, c.consentStatus);

      assert.deepEqual(outcome.safetyLines, [...SAFETY_LINES]);
      assert.ok(outcome.reasons.length >= 1, 'every outcome gives at least one reason');
      assert.equal(outcome.channel, c.answers.channel);
    });
  }
});
