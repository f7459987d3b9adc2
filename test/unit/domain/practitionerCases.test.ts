/** Each practitioner case, walked through the default pack, reaches the decision the guidance gives. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate, rulePack, SAFETY_LINES, type Outcome } from '../../../src/domain';
import { CASES } from './practitionerCases';
import { ISSUE14_CASES } from './practitionerCases.issue14';

const DECISION_QUESTIONS = new Set(rulePack.questions.filter((q) => q.phase === 'decide').map((q) => q.id));

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

  it('has at least 40 cases for issue 14’s four classes, at least five in each', () => {
    assert.ok(ISSUE14_CASES.length >= 40, `only ${ISSUE14_CASES.length}`);
    for (const cls of ['scope', 'cross-cutting', 'consent', 'fewer-questions'] as const) {
      const n = ISSUE14_CASES.filter((c) => c.covers === cls).length;
      assert.ok(n >= 4, `${cls}: ${n} cases`);
    }
  });

  for (const c of CASES) {
    it(c.name, () => {
      const outcome = outcomeFor(c.answers);
      assert.equal(outcome.ruleId, c.ruleId);
      assert.equal(outcome.decision, c.decision);

      const cited = new Set(outcome.citations.map((x) => x.section));
      for (const section of c.sections)
        assert.ok(cited.has(section), `section ${section} not cited (cited: ${[...cited].join(', ')})`);

      const steps = new Set(outcome.practiceSteps.map((s) => s.id));
      for (const id of c.steps)
        assert.ok(steps.has(id), `missing practice step "${id}" (got: ${[...steps].join(', ')})`);
      for (const id of c.notSteps ?? []) assert.ok(!steps.has(id), `unexpected practice step "${id}"`);

      if (c.followUps) assert.deepEqual(outcome.followUps.map((f) => f.code).sort(), [...c.followUps].sort());
      if (c.consentStatus) assert.equal(outcome.consentStatus, c.consentStatus);
      const conditions = new Set(outcome.conditions.map((x) => x.id));
      for (const id of c.conditions ?? [])
        assert.ok(conditions.has(id), `missing condition "${id}" (got: ${[...conditions].join(', ')})`);
      const reasons = new Set(outcome.reasons.map((x) => x.id));
      for (const id of c.reasons ?? [])
        assert.ok(reasons.has(id), `missing reason "${id}" (got: ${[...reasons].join(', ')})`);
      if (c.toAnswer !== undefined) {
        assert.equal(
          Object.keys(c.answers).filter((q) => DECISION_QUESTIONS.has(q)).length,
          c.toAnswer,
          'questions before the answer',
        );
      }
      // The record form is pre-filled from the tailoring answers.
      assert.equal(outcome.recipient, c.answers.recipient);

      assert.deepEqual(outcome.safetyLines, [...SAFETY_LINES]);
      assert.ok(outcome.reasons.length >= 1, 'every outcome gives at least one reason');
      assert.equal(outcome.channel, c.answers.channel);
    });
  }
});
