/**
 * `npm run rulepack -- check` and `diff`: check passes on rulepacks/2015-local and fails clearly on
 * a broken copy; diff of a pack against itself reports no change, and against a changed copy
 * reports exactly the paths whose outcome changed, by rule.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { completePaths, loadRulePackFromFolder, rulePack, type RulePackInput } from '../../../src/domain';
import { matchingRule } from '../../../src/domain/outcome';
import { checkPack } from '../../../scripts/lib/rulepack/check';
import { diffPacks, formatDiff } from '../../../scripts/lib/rulepack/diff';
import { copyPack, editPackFile } from '../../support/rulePackCopies';
import fingerprint from '../../fixtures/rulepack-2015-local.fingerprint.json';

const ROOT = path.join(__dirname, '../../..');

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/rulepack.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('rulepack check', () => {
  it('fails on a broken copy, naming the file and the entry, with exit status 1', () => {
    const dir = copyPack();
    editPackFile<{ rules: RulePackInput['rules'] }>(dir, 'rules.json', (c) => {
      (c.rules[5] as { practiceSteps: string[] }).practiceSteps.push('no-such-step');
    });
    const { status, stderr } = cli('check', dir);
    assert.equal(status, 1);
    assert.ok(
      stderr.includes(
        `${path.join(dir, 'rules.json')}: rules[5] (id "${rulePack.rules[5]?.id}"): refers to unknown practice step "no-such-step"`,
      ),
      stderr,
    );
  });

  it('reports an unreachable rule and questions never asked (coverage), even though the pack loads', () => {
    const dir = smallPack();
    // A copy of the catch-all placed before it, and the catch-all itself: the last can never fire.
    editPackFile<{ rules: RulePackInput['rules'] }>(dir, 'rules.json', (c) => {
      const last = c.rules.at(-1);
      assert.ok(last);
      c.rules.splice(c.rules.length - 1, 0, { ...structuredClone(last), id: 'catch-all-too-early' });
    });
    const report = checkPack(dir);
    assert.equal(report.ok, false);
    assert.ok(
      report.errors.includes(`rule "${rulePack.rules.at(-1)?.id}": not reached by any complete path`),
      report.errors.join('\n'),
    );
    assert.ok(report.errors.includes('question "recipient": not asked on any complete path'), report.errors.join('\n'));
    assert.ok(report.errors.includes('question "sensitive": not asked on any complete path'), report.errors.join('\n'));
  });

  it('refuses a usage error with exit status 2', () => {
    const { status, stderr } = cli('check');
    assert.equal(status, 2);
    assert.match(stderr, /usage: npm run rulepack/);
  });
});

/**
 * A copy of the 2015 pack with two tailoring questions (recipient, sensitive) never asked: the same
 * rules on about 13,000 paths instead of 400,000, so a test can walk it in a second or two.
 */
function smallPack(): string {
  const dir = copyPack();
  editPackFile<{ questions: { id: string; askWhen?: unknown }[] }>(dir, 'questions.json', (c) => {
    for (const q of c.questions) if (q.id === 'recipient' || q.id === 'sensitive') q.askWhen = { not: { all: [] } };
  });
  return dir;
}

describe('rulepack diff', () => {
  it('a pack against a separately loaded copy of itself: no changes on any path', () => {
    const diff = diffPacks(rulePack, loadRulePackFromFolder(copyPack()));
    assert.equal(diff.a.paths, fingerprint.paths);
    assert.equal(diff.changed, 0);
    assert.equal(diff.onlyInB, 0);
    assert.deepEqual(diff.groups, []);
    assert.match(formatDiff(diff, 'a', 'b'), /No changes: every one of the 396908 paths has the same outcome/);
  });

  it('against a copy with one practice step reworded: exactly the paths that show it, under their rules', () => {
    const small = smallPack();
    const dir = copyPack(small);
    editPackFile<{ practiceSteps: { id: string; text: string }[] }>(dir, 'practice-steps.json', (c) => {
      const step = c.practiceSteps.find((s) => s.id === 'fax-check-number');
      assert.ok(step);
      step.text = `${step.text} Reworded.`;
    });
    const base = loadRulePackFromFolder(small);
    const diff = diffPacks(base, loadRulePackFromFolder(dir));
    const smallPaths = diffPacks(base, base).a.paths;
    assert.ok(smallPaths < 20_000, `${smallPaths} paths`);
    // Every changed path shows that step (and only its text changed: same rule, same decision).
    assert.ok(diff.changed > 0 && diff.changed < diff.a.paths, `${diff.changed} changed`);
    assert.equal(diff.changed + diff.unchanged, smallPaths);
    assert.equal(diff.onlyInB, 0);
    for (const g of diff.groups) {
      assert.equal(g.from, g.to);
      assert.deepEqual(g.fields, ['practiceSteps']);
      for (const e of g.examples) assert.match(e, /channel=fax/);
    }
    assert.equal(
      diff.groups.reduce((n, g) => n + g.paths, 0),
      diff.changed,
    );
    const text = formatDiff(diff, 'a', 'b');
    assert.match(text, new RegExp(`${diff.changed} of A's paths change outcome`));
  });

  it('against a copy where a rule decides differently: its paths, summarised as old rule → new decision', () => {
    const small = smallPack();
    const dir = copyPack(small);
    editPackFile<{ rules: RulePackInput['rules'] }>(dir, 'rules.json', (c) => {
      const rule = c.rules.find((r) => r.id === 'share-with-consent');
      assert.ok(rule);
      rule.decision = 'seek_advice';
    });
    const { status, stdout } = cli('diff', small, dir, '--json');
    assert.equal(status, 0);
    const diff = JSON.parse(stdout) as ReturnType<typeof diffPacks>;
    let before = 0;
    for (const answers of completePaths(loadRulePackFromFolder(small)))
      if (matchingRule(rulePack, answers).id === 'share-with-consent') before++;
    assert.ok(before > 100, `${before} paths`);
    assert.equal(diff.changed, before);
    const groups = diff.groups.filter((g) => g.from === 'share-with-consent');
    assert.ok(groups.length > 0);
    for (const g of groups) assert.deepEqual([g.to, g.toDecision], ['share-with-consent', 'seek_advice']);
    assert.equal(
      groups.reduce((n, g) => n + g.paths, 0),
      before,
    );
  });
});
