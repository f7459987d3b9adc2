/**
 * Invariants of the guidance, checked over EVERY complete path through the default rule pack (about
 * 400,000), by `npm run rulepack -- check rulepacks/2015-local` itself (scripts/lib/rulepack/check.ts,
 * with the invariants in scripts/lib/rulepack/analysis.ts): so this is also the test that check
 * passes on the 2015 pack.
 * The test fails on the first few paths that break one, and also if a premise never holds (an
 * invariant that checks nothing). The same table, with the guidance section for each, is in
 * docs/guidance-invariants.md.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import path from 'node:path';
import { DEFAULT_RULE_PACK_DIR, evaluate, rulePack, rulePackById, RULEPACKS_DIR } from '../../../src/domain';
import { buildOutcome, matchingRule } from '../../../src/domain/outcome';
import { INVARIANTS, invariantsFor } from '../../../scripts/lib/rulepack/analysis';
import { checkPack } from '../../../scripts/lib/rulepack/check';

/** Every 997th path, copied during the walk, for the check against evaluate (one walk, not two). */
const sampled: Record<string, string>[] = [];
let walked = 0;

describe('guidance invariants over every complete path of the rule pack', () => {
  it('hold on every path, and every premise holds on some path (rulepack check passes)', () => {
    const report = checkPack(DEFAULT_RULE_PACK_DIR, (answers) => {
      if (walked++ % 997 === 0) sampled.push({ ...answers });
    });
    const analysis = report.analysis;
    assert.ok(analysis, report.errors.join('\n'));
    const { paths, failures } = analysis;
    assert.ok(paths > 300_000, `only ${paths} paths`);
    assert.ok(INVARIANTS.length >= 20, `${INVARIANTS.length} invariants`);
    const broken = [...failures.entries()].map(([id, list]) => `${id}:\n  ${list.join('\n  ')}`).join('\n');
    assert.equal(broken, '', `invariants broken over ${paths} paths`);
    assert.deepEqual(analysis.vacuous, [], 'invariants whose premise never holds check nothing');
    // Decision answers settle the answer: as many distinct decision paths as the table holds, each with one rule.
    assert.ok(analysis.decisionPaths > 100, `${analysis.decisionPaths} decision paths`);
    // Every rule, question and option is reachable on some path.
    assert.deepEqual([analysis.unreachedRules, analysis.unaskedQuestions, analysis.unchosenOptions], [[], [], []]);
    assert.deepEqual([report.ok, report.errors, report.warnings], [true, [], []]);
    const options = rulePack.questions.reduce((n, q) => n + q.options.length, 0);
    assert.ok(
      report.summary.includes(`coverage: 31/31 rules, 23/23 questions, ${options}/${options} options reached`),
      report.summary.join('\n'),
    );
    assert.ok(
      report.summary.includes(
        `invariants: ${invariantsFor(rulePack).length} held, 0 broken, 0 vacuous (${INVARIANTS.length - invariantsFor(rulePack).length} written for other packs not applied)`,
      ),
      report.summary.join('\n'),
    );
  });

  it('the outcomes checked are the ones evaluate returns (sampled paths, through full validation)', () => {
    assert.ok(sampled.length > 300, `${sampled.length} sampled paths`);
    for (const answers of sampled) {
      const result = evaluate(rulePack, answers);
      assert.equal(result.kind, 'outcome', JSON.stringify(answers));
      if (result.kind === 'outcome') {
        assert.deepEqual(result.outcome, buildOutcome(rulePack, answers));
        assert.equal(matchingRule(rulePack, answers).id, result.outcome.ruleId);
      }
    }
  });

  it('hold on every path of the national pack too (rulepack check passes on rulepacks/england-2024)', () => {
    const england = rulePackById('england-2024');
    assert.ok(england);
    const report = checkPack(path.join(RULEPACKS_DIR, 'england-2024'));
    assert.deepEqual([report.ok, report.errors, report.warnings], [true, [], []]);
    const analysis = report.analysis;
    assert.ok(analysis && analysis.paths > 300_000, `${analysis?.paths} paths`);
    const applied = invariantsFor(england).map((i) => i.id);
    // The 2015 chapter's local police-email rule is not applied; the national rules (golden rules 2, 3 and 5,
    // the ICO emergency rule, the lawful basis, adults at risk, no local police rule) are, and each premise holds.
    assert.ok(!applied.includes('police-email-secure-network-only'));
    for (const id of [
      'child-at-risk-consent-not-needed',
      'child-at-risk-tell-not-ask',
      'parent-risk-share-without-telling',
      'emergency-share-now',
      'without-consent-names-the-lawful-basis',
      'exchange-protects-identities',
      'adult-at-risk-refusal-weighed',
      'no-local-police-rule-in-national-pack',
    ]) {
      assert.ok(applied.includes(id), id);
      assert.ok((analysis.applied.get(id) ?? 0) > 0, `${id}: premise never holds`);
    }
    assert.ok(
      report.summary.includes(
        `invariants: ${applied.length} held, 0 broken, 0 vacuous (1 written for other packs not applied)`,
      ),
      report.summary.join('\n'),
    );
  });
});
