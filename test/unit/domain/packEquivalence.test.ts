/**
 * The 2015 pack gives the same outcome on every complete path as it did when it was TypeScript:
 * test/fixtures/rulepack-2015-local.fingerprint.json was computed from the TypeScript pack before it
 * moved to rulepacks/2015-local/. Every path's full outcome (rule, decision, title, summary, reasons,
 * conditions, practice steps, record requirements, follow-ups, consent status, citations, channel,
 * recipient) is hashed; the hashes are aggregated per rule.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadRulePackFromFolder, rulePack } from '../../../src/domain';
import { fingerprint, type PackFingerprint } from '../../../scripts/lib/rulepack/fingerprint';
import { copyPack, editPackFile } from '../../support/rulePackCopies';

const FIXTURE = path.join(__dirname, '../../fixtures/rulepack-2015-local.fingerprint.json');

describe('2015 pack: outcome on every path unchanged by the move to data', () => {
  it('matches the fingerprint taken from the TypeScript pack, rule by rule', () => {
    const expected = JSON.parse(readFileSync(FIXTURE, 'utf8')) as PackFingerprint;
    const started = Date.now();
    const actual = fingerprint(rulePack);
    console.log(`compared ${actual.paths} complete paths in ${Date.now() - started} ms`);
    assert.ok(expected.paths > 300_000, `the fixture covers only ${expected.paths} paths`);
    assert.equal(actual.paths, expected.paths);
    assert.deepEqual(actual.rules, expected.rules);
    assert.equal(actual.sha256, expected.sha256);
    assert.equal(actual.packVersion, expected.packVersion);
  });
});

describe('outcome fingerprint', () => {
  it('changes, for the rules that show it only, on a one-character edit of a practice step', () => {
    // A copy with two tailoring questions never asked: the same rules on far fewer paths.
    const small = copyPack();
    editPackFile<{ questions: { id: string; askWhen?: unknown }[] }>(small, 'questions.json', (c) => {
      for (const q of c.questions) if (q.id === 'recipient' || q.id === 'sensitive') q.askWhen = { not: { all: [] } };
    });
    const edited = copyPack(small);
    editPackFile<{ practiceSteps: { id: string; text: string }[] }>(edited, 'practice-steps.json', (c) => {
      const step = c.practiceSteps.find((p) => p.id === 'stop-exchanging-now');
      assert.ok(step);
      step.text = step.text.replace(/\.$/, '!');
    });
    const before = fingerprint(loadRulePackFromFolder(small));
    const after = fingerprint(loadRulePackFromFolder(edited));
    assert.equal(after.paths, before.paths);
    assert.notEqual(after.sha256, before.sha256);
    const changed = Object.keys(before.rules).filter((id) => before.rules[id]?.sha256 !== after.rules[id]?.sha256);
    // That step is shown only where consent was withdrawn and nothing justifies going on: not on every rule.
    assert.ok(changed.length > 0 && changed.length < Object.keys(before.rules).length, changed.join(', '));
    for (const id of Object.keys(before.rules)) assert.equal(after.rules[id]?.paths, before.rules[id]?.paths, id);
  });
});
