/**
 * Property: any honest walk through the questionnaire (any option at every step) ends in an outcome
 * within as many steps as there are questions, never throws, and keeps 1 ≤ step ≤ total within each
 * phase, with a total that never grows (the card never promises fewer questions than it asks).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { back, evaluate, rulePack, type Outcome } from '../../../src/domain';

/** Walks the pack choosing options by the given indices (wrapped), checking invariants at each step. */
function walk(choices: readonly number[]): { outcome: Outcome; answers: Record<string, string>; steps: number } {
  const answers: Record<string, string> = {};
  const maxSteps = rulePack.questions.length;
  const inPhase = { decide: 0, tailor: 0 };
  let lastTotal = { phase: 'decide', total: Number.POSITIVE_INFINITY };
  let answerShown: string | undefined;
  for (let steps = 0; steps <= maxSteps; steps++) {
    const result = evaluate(rulePack, answers);
    if (result.kind === 'outcome') {
      // Once the answer is shown, the tailoring questions never change it.
      if (answerShown) assert.equal(result.outcome.ruleId, answerShown);
      return { outcome: result.outcome, answers, steps };
    }
    const { question, progress } = result;
    assert.equal(progress.step, inPhase[progress.phase] + 1);
    assert.ok(progress.step >= 1 && progress.step <= progress.total, `progress ${progress.step}/${progress.total}`);
    if (lastTotal.phase === progress.phase)
      assert.ok(progress.total <= lastTotal.total, 'the promised total never grows');
    lastTotal = { phase: progress.phase, total: progress.total };
    assert.equal(
      result.answer !== undefined,
      progress.phase === 'tailor',
      'the answer is shown exactly in the tailoring phase',
    );
    if (result.answer) {
      if (answerShown) assert.equal(result.answer.ruleId, answerShown);
      answerShown = result.answer.ruleId;
    }
    inPhase[progress.phase]++;
    assert.ok(!(question.id in answers), 'never asks the same question twice');
    const pick = question.options[(choices[steps] ?? 0) % question.options.length];
    assert.ok(pick);
    answers[question.id] = pick.code;
  }
  assert.fail(`no outcome within ${maxSteps} steps`);
}

describe('engine properties', () => {
  it('random on-path answer sequences always reach a cited outcome', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 20 }), { maxLength: rulePack.questions.length }), (choices) => {
        const { outcome } = walk(choices);
        assert.ok(outcome.citations.length >= 1);
        assert.equal(outcome.safetyLines.length, 2);
        assert.ok(rulePack.rules.some((r) => r.id === outcome.ruleId));
      }),
      { numRuns: 500 },
    );
  });

  it('back() then re-answering the same question gives the same outcome', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 20 }), { maxLength: rulePack.questions.length }), (choices) => {
        const { outcome, answers, steps } = walk(choices);
        if (steps === 0) return;
        const previous = back(rulePack, answers);
        const again = evaluate(rulePack, previous);
        assert.equal(again.kind, 'question');
        const removed = Object.keys(answers).find((k) => !(k in previous));
        assert.ok(removed && again.kind === 'question' && again.question.id === removed);
        const redone = evaluate(rulePack, { ...previous, [removed]: answers[removed] as string });
        assert.ok(redone.kind === 'outcome');
        assert.deepEqual(redone.outcome, outcome);
      }),
      { numRuns: 200 },
    );
  });
});
