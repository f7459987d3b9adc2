/**
 * Each practitioner case, walked through each pack it applies to (rulepacks/2015-local and
 * rulepacks/england-2024), reaches the decision that pack's guidance gives. A case that applies to
 * only one pack says why (`packsWhy`): the 2015-only cases are those whose answer today's national
 * guidance changes (their national answer is a case of its own), and the national-only cases are
 * about what only the national pack asks (emergencies, adults at risk, a risk of harm below significant harm).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate, rulePackById, type Outcome, type RulePack } from '../../../src/domain';
import { ALL_CASES, CASES, casesFor, expectationsIn } from './practitionerCases';
import { ENGLAND_CASES } from './practitionerCases.england';
import { ISSUE14_CASES } from './practitionerCases.issue14';
import { CASE_PACKS, PACK_2015, PACK_ENGLAND } from './practitionerPacks';

function packOf(id: string): RulePack {
  const pack = rulePackById(id);
  assert.ok(pack, `pack "${id}" is not installed under rulepacks/`);
  return pack;
}

function outcomeFor(pack: RulePack, answers: Record<string, string>): Outcome {
  const result = evaluate(pack, answers);
  assert.equal(result.kind, 'outcome', result.kind === 'question' ? `still asking "${result.question.id}"` : '');
  return (result as Extract<typeof result, { kind: 'outcome' }>).outcome;
}

describe('practitioner cases', () => {
  it('has at least 40 cases with unique names', () => {
    assert.ok(CASES.length >= 40, `only ${CASES.length} cases`);
    assert.equal(new Set(ALL_CASES.map((c) => c.name)).size, ALL_CASES.length);
  });

  it('has at least 40 cases for issue 14’s four classes, at least five in each', () => {
    assert.ok(ISSUE14_CASES.length >= 40, `only ${ISSUE14_CASES.length}`);
    for (const cls of ['scope', 'cross-cutting', 'consent', 'fewer-questions'] as const) {
      const n = ISSUE14_CASES.filter((c) => c.covers === cls).length;
      assert.ok(n >= 4, `${cls}: ${n} cases`);
    }
  });

  it('runs most cases against both packs; a case limited to one pack says why', () => {
    for (const c of ALL_CASES) {
      if (c.packs) assert.ok(c.packsWhy && c.packsWhy.length > 20, `${c.name}: packs without packsWhy`);
      for (const id of c.packs ?? []) assert.ok(CASE_PACKS.includes(id), `${c.name}: unknown pack ${id}`);
      for (const id of Object.keys(c.inPack ?? {})) assert.ok(CASE_PACKS.includes(id), `${c.name}: inPack ${id}`);
    }
    const both = ALL_CASES.filter((c) => !c.packs).length;
    assert.ok(both >= 80, `only ${both} cases shared by both packs`);
    assert.ok(casesFor(PACK_ENGLAND).length >= both + ENGLAND_CASES.length);
    assert.ok(ENGLAND_CASES.length >= 12, `only ${ENGLAND_CASES.length} national cases`);
  });

  for (const packId of CASE_PACKS) {
    describe(`on ${packId}`, () => {
      const pack = packOf(packId);
      const decisionQuestions = new Set(pack.questions.filter((q) => q.phase === 'decide').map((q) => q.id));
      for (const c of casesFor(packId)) {
        it(c.name, () => {
          const want = expectationsIn(c, packId);
          const outcome = outcomeFor(pack, c.answers);
          assert.equal(outcome.ruleId, want.ruleId);
          assert.equal(outcome.decision, want.decision);

          const cited = new Set(outcome.citations.map((x) => x.section));
          for (const section of want.sections)
            assert.ok(
              [...cited].some((s) => s === section || s.startsWith(`${section},`)),
              `section ${section} not cited (cited: ${[...cited].join(', ')})`,
            );

          const steps = new Set(outcome.practiceSteps.map((s) => s.id));
          for (const id of want.steps)
            assert.ok(steps.has(id), `missing practice step "${id}" (got: ${[...steps].join(', ')})`);
          for (const id of want.notSteps ?? []) assert.ok(!steps.has(id), `unexpected practice step "${id}"`);

          if (want.followUps) assert.deepEqual(outcome.followUps.map((f) => f.code).sort(), [...want.followUps].sort());
          if (want.consentStatus) assert.equal(outcome.consentStatus, want.consentStatus);
          const conditions = new Set(outcome.conditions.map((x) => x.id));
          for (const id of want.conditions ?? [])
            assert.ok(conditions.has(id), `missing condition "${id}" (got: ${[...conditions].join(', ')})`);
          const reasons = new Set(outcome.reasons.map((x) => x.id));
          for (const id of want.reasons ?? [])
            assert.ok(reasons.has(id), `missing reason "${id}" (got: ${[...reasons].join(', ')})`);
          if (want.toAnswer !== undefined) {
            assert.equal(
              Object.keys(c.answers).filter((q) => decisionQuestions.has(q)).length,
              want.toAnswer,
              'questions before the answer',
            );
          }
          // The record form is pre-filled from the tailoring answers.
          assert.equal(outcome.recipient, c.answers.recipient);

          assert.deepEqual(outcome.safetyLines, [...pack.safetyLines]);
          assert.ok(outcome.reasons.length >= 1, 'every outcome gives at least one reason');
          assert.equal(outcome.channel, c.answers.channel);
        });
      }
    });
  }

  it('the national pack cites only national sources, and the 2015 pack only its chapter', () => {
    for (const c of casesFor(PACK_ENGLAND)) {
      for (const x of outcomeFor(packOf(PACK_ENGLAND), c.answers).citations)
        assert.ok(!/^\d/.test(x.section), `${c.name}: cites 2015 section ${x.section}`);
    }
    for (const c of casesFor(PACK_2015)) {
      for (const x of outcomeFor(packOf(PACK_2015), c.answers).citations)
        assert.match(x.section, /^\d/, `${c.name}: cites ${x.section}`);
    }
  });
});
