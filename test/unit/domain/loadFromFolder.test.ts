/** Loading a pack from its folder: strict, and every problem names the file and the entry at fault. */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  DEFAULT_RULE_PACK_DIR,
  loadRulePackFromFolder,
  RulePackError,
  rulePack,
  type RulePackInput,
} from '../../../src/domain';
import { copyPack, editPackFile } from '../../support/rulePackCopies';

type Rules = { rules: RulePackInput['rules'] };

/** The problems loading `dir` reports (fails if it loads). */
function problemsOf(dir: string): readonly string[] {
  try {
    loadRulePackFromFolder(dir);
  } catch (err) {
    assert.ok(err instanceof RulePackError, String(err));
    return err.problems;
  }
  assert.fail(`${dir} loaded`);
}

describe('loadRulePackFromFolder', () => {
  it('loads rulepacks/2015-local: the pack the bot uses, with its id, version, status and sources', () => {
    const pack = loadRulePackFromFolder(DEFAULT_RULE_PACK_DIR);
    assert.deepEqual(pack, rulePack);
    assert.equal(pack.metadata.id, '2015-local');
    assert.equal(pack.metadata.version, '2015.10-r2');
    assert.equal(pack.metadata.status, 'published');
    assert.match(pack.metadata.sources[0]?.title ?? '', /Information Sharing and Confidentiality/);
    assert.ok(Object.isFrozen(pack.rules[0]));
  });

  it('names the file, the index and the id of a rule whose condition refers to an unknown question', () => {
    const dir = copyPack();
    editPackFile<Rules>(dir, 'rules.json', (c) => {
      const rule = c.rules[12];
      assert.ok(rule);
      rule.when = { all: [rule.when, { q: 'no_such_question', in: ['yes'] }] };
    });
    const id = rulePack.rules[12]?.id;
    assert.deepEqual(problemsOf(dir), [
      `${path.join(dir, 'rules.json')}: rules[12] (id "${id}"): condition refers to unknown question "no_such_question"`,
    ]);
  });

  it('names the file and entry of a shape error (zod), with the field', () => {
    const dir = copyPack();
    editPackFile<Rules>(dir, 'rules.json', (c) => {
      (c.rules[3] as { decision: string }).decision = 'share_anyway';
    });
    const [problem, ...rest] = problemsOf(dir);
    assert.deepEqual(rest, []);
    assert.match(
      problem ?? '',
      new RegExp(`^${path.join(dir, 'rules.json')}: rules\\[3\\] \\(id "${rulePack.rules[3]?.id}"\\)\\.decision: `),
    );
  });

  it('reports every broken file at once: bad JSON, a missing file, a stray file', () => {
    const dir = copyPack();
    writeFileSync(path.join(dir, 'questions.json'), '{ "questions": [ ');
    rmSync(path.join(dir, 'derive.json'));
    writeFileSync(path.join(dir, 'notes.json'), '{}');
    const problems = problemsOf(dir);
    assert.equal(problems.length, 3, problems.join('\n'));
    assert.match(problems[0] ?? '', /notes\.json: not a rule pack file/);
    assert.ok(
      problems.some((p) => p.startsWith(`${path.join(dir, 'questions.json')}: not valid JSON (`)),
      problems.join('\n'),
    );
    assert.ok(problems.includes(`${path.join(dir, 'derive.json')}: missing`), problems.join('\n'));
  });

  it('places cross-check problems in the file that holds the entry', () => {
    const dir = copyPack();
    editPackFile<{ crossCutting: { practiceSteps: { step: string }[] } }>(dir, 'cross-cutting.json', (c) => {
      (c.crossCutting.practiceSteps[0] as { step: string }).step = 'no-such-step';
    });
    editPackFile<{ legalNotes: { citations: { section: string; heading: string }[] }[] }>(
      dir,
      'legal-notes.json',
      (c) => {
        (c.legalNotes[1] as { citations: unknown[] }).citations = [{ section: '9', heading: 'Nowhere' }];
      },
    );
    editPackFile<{ practiceSteps: { id: string }[] }>(dir, 'practice-steps.json', (c) => {
      (c.practiceSteps[2] as { id: string }).id = (c.practiceSteps[1] as { id: string }).id;
    });
    const problems = problemsOf(dir);
    const noteId = rulePack.metadata.legalNotes[1]?.id;
    const stepId = rulePack.practiceSteps[1]?.id;
    assert.ok(
      problems.includes(
        `${path.join(dir, 'cross-cutting.json')}: crossCutting: refers to unknown practice step "no-such-step"`,
      ),
      problems.join('\n'),
    );
    assert.ok(
      problems.includes(
        `${path.join(dir, 'legal-notes.json')}: legalNotes[1] (id "${noteId}"): cites section "9" heading "Nowhere", which is not in the guidance's section list`,
      ),
      problems.join('\n'),
    );
    assert.ok(
      problems.includes(`${path.join(dir, 'practice-steps.json')}: practiceSteps[1] (id "${stepId}"): duplicate id`),
      problems.join('\n'),
    );
  });

  it('refuses a pack whose id is not its folder name (a copied pack must be renamed)', () => {
    const dir = copyPack();
    editPackFile(dir, 'metadata.json', (c) => {
      c.id = 'my-agency';
    });
    assert.deepEqual(problemsOf(dir), [
      `${path.join(dir, 'metadata.json')}: id: "my-agency" must be the pack's folder name ("2015-local")`,
    ]);
  });

  it('names a folder that does not exist', () => {
    assert.throws(() => loadRulePackFromFolder('/nonexistent/pack'), /\/nonexistent\/pack: no such rule pack folder/);
  });
});
