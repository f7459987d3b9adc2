/**
 * Proves the practitioner cases exercise each whole pack they are written for: every rule fires in some
 * case, every question is answered in some case, every option is chosen in some case, and every outcome
 * cites the guidance.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluate, rulePackById, type RulePack } from '../../../src/domain';
import { casesFor } from './practitionerCases';
import { CASE_PACKS } from './practitionerPacks';

for (const packId of CASE_PACKS) {
  const rulePack = rulePackById(packId) as RulePack;
  const CASES = casesFor(packId);
  const outcomes = CASES.map((c) => {
    const result = evaluate(rulePack, c.answers);
    if (result.kind !== 'outcome')
      throw new Error(`case "${c.name}" is incomplete: still asking "${result.question.id}"`);
    return result.outcome;
  });

  describe(`case coverage of the rule pack ${packId}`, () => {
    it('the pack is installed', () => assert.equal(rulePack?.metadata.id, packId));

    it('every rule is reached by at least one case', () => {
      const fired = new Set(outcomes.map((o) => o.ruleId));
      const unreached = rulePack.rules.map((r) => r.id).filter((id) => !fired.has(id));
      assert.deepEqual(unreached, []);
    });

    it('every question is answered in at least one case', () => {
      const answered = new Set(CASES.flatMap((c) => Object.keys(c.answers)));
      const never = rulePack.questions.map((q) => q.id).filter((id) => !answered.has(id));
      assert.deepEqual(never, []);
    });

    it('every option of every question is chosen in at least one case', () => {
      const chosen = new Set(CASES.flatMap((c) => Object.entries(c.answers).map(([q, code]) => `${q}=${code}`)));
      const never = rulePack.questions
        .flatMap((q) => q.options.map((o) => `${q.id}=${o.code}`))
        .filter((k) => !chosen.has(k));
      assert.deepEqual(never, []);
    });

    it('every decision code the pack uses is reached', () => {
      const reached = new Set(outcomes.map((o) => o.decision));
      for (const rule of rulePack.rules) assert.ok(reached.has(rule.decision), rule.decision);
    });

    it('every outcome cites at least one section, and every reason, condition and step is cited', () => {
      for (const o of outcomes) {
        assert.ok(o.citations.length >= 1, o.ruleId);
        for (const t of [...o.reasons, ...o.conditions, ...o.practiceSteps, ...o.mustRecord, ...o.followUps]) {
          assert.ok(t.citations.length >= 1, `${o.ruleId}: uncited text`);
        }
      }
    });

    it('every question, rule text, practice step, record requirement and follow-up in the pack cites the guidance', () => {
      for (const q of rulePack.questions) assert.ok(q.citations.length >= 1, q.id);
      for (const r of rulePack.rules)
        for (const t of [...r.reasons, ...r.conditions]) assert.ok(t.citations.length >= 1, `${r.id}/${t.id}`);
      for (const p of rulePack.practiceSteps) assert.ok(p.citations.length >= 1, p.id);
      for (const r of rulePack.recordRequirements) assert.ok(r.citations.length >= 1, r.field);
      for (const f of rulePack.followUps) assert.ok(f.citations.length >= 1, f.code);
    });

    it('every practice step is used by some case (no dead guidance)', () => {
      const used = new Set(outcomes.flatMap((o) => o.practiceSteps.map((s) => s.id)));
      const unused = rulePack.practiceSteps.map((p) => p.id).filter((id) => !used.has(id));
      assert.deepEqual(unused, []);
    });

    it('both follow-ups are required by some case', () => {
      const used = new Set(outcomes.flatMap((o) => o.followUps.map((f) => f.code)));
      assert.deepEqual([...used].sort(), ['inform_all_parties_consent_withdrawn', 'inform_subject_later']);
    });
  });
}
