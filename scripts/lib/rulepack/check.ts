/**
 * `npm run rulepack -- check <dir>`: everything that must hold before a pack is used. The folder
 * loads strictly (each file's shape, then the cross-checks: every reference resolves, every
 * citation is a section of the guidance, the last rule is a catch-all …); then one walk over every
 * complete path checks coverage (every rule, question and option reachable) and the invariants.
 */
import { loadRulePackFromFolder, RulePackError } from '../../../src/domain';
import type { Answers, Outcome } from '../../../src/domain';
import { analysePack, INVARIANTS, invariantsFor, type PackAnalysis } from './analysis';

export interface CheckReport {
  ok: boolean;
  /** What went wrong: each line names the file and entry, or the invariant and example paths. */
  errors: string[];
  /** Worth a look but not wrong, e.g. an invariant whose premise never holds in this pack. */
  warnings: string[];
  /** A summary of what was checked. */
  summary: string[];
  /** The walk's findings, when the pack loaded. */
  analysis?: PackAnalysis;
}

/** `onPath` sees every complete path and its outcome during the walk (the same answers object: copy to keep). */
export function checkPack(dir: string, onPath?: (answers: Answers, outcome: Outcome) => void): CheckReport {
  let pack;
  try {
    pack = loadRulePackFromFolder(dir);
  } catch (err) {
    if (!(err instanceof RulePackError)) throw err;
    return {
      ok: false,
      errors: [...err.problems],
      warnings: [],
      summary: [`${dir}: the pack does not load (${err.problems.length} problem(s))`],
    };
  }
  const started = Date.now();
  const analysis = analysePack(pack, onPath);
  const errors: string[] = [];
  for (const id of analysis.unreachedRules) errors.push(`rule "${id}": not reached by any complete path`);
  for (const id of analysis.unaskedQuestions) errors.push(`question "${id}": not asked on any complete path`);
  for (const key of analysis.unchosenOptions) errors.push(`option ${key}: not on any complete path`);
  for (const [id, examples] of analysis.failures)
    errors.push(`invariant "${id}" broken, e.g.:\n    ${examples.join('\n    ')}`);
  const warnings = analysis.vacuous.map(
    (id) => `invariant "${id}": its premise never holds in this pack, so it checks nothing`,
  );
  const m = pack.metadata;
  const options = pack.questions.reduce((n, q) => n + q.options.length, 0);
  const summary = [
    `${m.id} ${m.version} (${m.status}): ${m.title}`,
    `${pack.questions.length} questions, ${pack.rules.length} rules, ${pack.practiceSteps.length} practice steps: schema and cross-checks pass`,
    `${analysis.paths} complete paths walked in ${Date.now() - started} ms: ${analysis.decisionPaths} distinct decision paths`,
    `coverage: ${pack.rules.length - analysis.unreachedRules.length}/${pack.rules.length} rules, ` +
      `${pack.questions.length - analysis.unaskedQuestions.length}/${pack.questions.length} questions, ` +
      `${options - analysis.unchosenOptions.length}/${options} options reached`,
    `invariants: ${invariantsFor(pack).length - analysis.failures.size - analysis.vacuous.length} held, ${analysis.failures.size} broken, ${analysis.vacuous.length} vacuous` +
      (INVARIANTS.length > invariantsFor(pack).length
        ? ` (${INVARIANTS.length - invariantsFor(pack).length} written for other packs not applied)`
        : ''),
  ];
  return { ok: errors.length === 0, errors, warnings, summary, analysis };
}
