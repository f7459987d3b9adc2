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
import { rulePack } from '../../../src/domain';
import { fingerprint, type PackFingerprint } from '../../../scripts/lib/rulepack/fingerprint';

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
