/**
 * `npm run rulepack -- diff <a> <b>`: which complete answer paths change outcome between two packs,
 * summarised by rule: for each (old rule → new rule and decision) change, how many paths and what
 * differs (the rule, the decision, reasons, practice steps …), with example paths.
 *
 * A path of A that is not a complete path of B (a question or option changed) is counted as such,
 * and so are B's paths that A does not have.
 */
import { isDeepStrictEqual } from 'node:util';
import {
  completePaths,
  InvalidAnswersError,
  type Answers,
  type Outcome,
  type Rule,
  type RulePack,
} from '../../../src/domain';
import { buildOutcome, matchingRule } from '../../../src/domain/outcome';
import { validateAnswers, walkPath } from '../../../src/domain/path';
import { contentDigest, pathKey } from './fingerprint';

const EXAMPLES = 3;
/** The outcome fields compared, in the order a change is described. */
const FIELDS = [
  'ruleId',
  'decision',
  'title',
  'summary',
  'reasons',
  'conditions',
  'practiceSteps',
  'mustRecord',
  'followUps',
  'consentStatus',
  'citations',
  'safetyLines',
  'channel',
  'recipient',
] as const satisfies readonly (keyof Outcome)[];

export interface ChangeGroup {
  /** The rule A decides by, or '(new path)' for a path only B has. */
  from: string;
  /** The rule B decides by, or '(no decision)' when A's answers do not settle one in B. */
  to: string;
  toDecision?: string;
  /** The outcome fields that differ, or "questions asked (…)" for a path that is not one of B's. */
  fields: string[];
  paths: number;
  examples: string[];
}

export interface PackDiff {
  a: { id: string; version: string; paths: number };
  b: { id: string; version: string; paths: number };
  /** A's paths whose outcome in B differs, or that B does not have. */
  changed: number;
  unchanged: number;
  /** B's complete paths that A does not have. */
  onlyInB: number;
  groups: ChangeGroup[];
}

/**
 * B's outcome for A's path, or, when it is not one of B's complete paths, the rule B decides by on
 * the same decision answers (B asks different questions after the answer) or why there is none.
 * With the same questions, a path of A is usually one of B's too, but not always: tailoring
 * questions may be asked by decision, and B may decide differently.
 */
function outcomeIn(pack: RulePack, answers: Answers, sameQuestions: boolean): Outcome | { rule?: Rule; why: string } {
  let valid: Answers = answers;
  if (!sameQuestions) {
    try {
      valid = validateAnswers(pack, answers);
    } catch (err) {
      if (!(err instanceof InvalidAnswersError)) throw err;
      return { rule: decidingRule(pack, answers), why: "not one of B's paths" };
    }
  }
  // The same questions and options: the answers are known codes, so the walk alone says whether
  // this is one of B's complete paths (every answer on it, none missing).
  const walk = walkPath(pack, valid);
  if (!walk.current && walk.answered.length === Object.keys(valid).length) return buildOutcome(pack, valid);
  return { rule: decidingRule(pack, answers), why: "not one of B's paths" };
}

/** The rule B decides by on these decision answers, if they are a complete decision path of B. */
function decidingRule(pack: RulePack, answers: Answers): Rule | undefined {
  const decide: Record<string, string> = {};
  for (const q of pack.questions)
    if (q.phase === 'decide' && Object.hasOwn(answers, q.id)) decide[q.id] = answers[q.id] as string;
  try {
    const next = walkPath(pack, validateAnswers(pack, decide)).current;
    return !next || next.phase === 'tailor' ? matchingRule(pack, decide) : undefined;
  } catch (err) {
    if (err instanceof InvalidAnswersError) return undefined;
    throw err;
  }
}

/** Same value: frozen parts (the packs' texts) by memoised content digest, the rest by structure. */
function same(x: unknown, y: unknown): boolean {
  if (x === y) return true;
  if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') return false;
  if (Object.isFrozen(x) && Object.isFrozen(y)) return contentDigest(x) === contentDigest(y);
  if (Array.isArray(x)) return Array.isArray(y) && x.length === y.length && x.every((v, i) => same(v, y[i]));
  if (Array.isArray(y)) return false;
  const xs = x as Record<string, unknown>;
  const ys = y as Record<string, unknown>;
  const keys = new Set([...Object.keys(xs), ...Object.keys(ys)]);
  for (const k of keys) if (!same(xs[k], ys[k])) return false;
  return true;
}

export function diffPacks(a: RulePack, b: RulePack): PackDiff {
  const groups = new Map<string, ChangeGroup>();
  const add = (group: Omit<ChangeGroup, 'paths' | 'examples'>, answers: Answers) => {
    const key = `${group.from}\u0000${group.to}\u0000${group.toDecision ?? ''}\u0000${group.fields.join(',')}`;
    let g = groups.get(key);
    if (!g) {
      g = { ...group, paths: 0, examples: [] };
      groups.set(key, g);
    }
    g.paths++;
    if (g.examples.length < EXAMPLES) g.examples.push(pathKey(answers));
  };
  const sameQuestions = isDeepStrictEqual(a.questions, b.questions);
  let pathsA = 0;
  let missingInB = 0;
  let changed = 0;
  for (const answers of completePaths(a)) {
    pathsA++;
    const before = buildOutcome(a, answers);
    const after = outcomeIn(b, answers, sameQuestions);
    if (!('ruleId' in after)) {
      changed++;
      missingInB++;
      const to = after.rule ? { to: after.rule.id, toDecision: after.rule.decision } : { to: '(no decision)' };
      add({ from: before.ruleId, ...to, fields: [`questions asked: ${after.why}`] }, answers);
      continue;
    }
    const fields = FIELDS.filter((f) => !same(before[f], after[f]));
    if (fields.length === 0) continue;
    changed++;
    add({ from: before.ruleId, to: after.ruleId, toDecision: after.decision, fields }, answers);
  }
  let pathsB = pathsA;
  let onlyInB = 0;
  // With the same questions and every path of A complete in B, the two trees of paths are the same
  // (B asks what A asks at every step, with the same options), so B has no path A lacks.
  if (missingInB > 0 || !sameQuestions) {
    pathsB = 0;
    for (const answers of completePaths(b)) {
      pathsB++;
      if ('ruleId' in outcomeIn(a, answers, sameQuestions)) continue;
      onlyInB++;
      const after = buildOutcome(b, answers);
      add({ from: '(new path)', to: after.ruleId, toDecision: after.decision, fields: [] }, answers);
    }
  }
  const sorted = [...groups.values()].sort(
    (x, y) => y.paths - x.paths || x.from.localeCompare(y.from) || x.to.localeCompare(y.to),
  );
  return {
    a: { id: a.metadata.id, version: a.metadata.version, paths: pathsA },
    b: { id: b.metadata.id, version: b.metadata.version, paths: pathsB },
    changed,
    unchanged: pathsA - changed,
    onlyInB,
    groups: sorted,
  };
}

/** The report as text, for people. */
export function formatDiff(diff: PackDiff, labelA: string, labelB: string): string {
  const lines = [
    `A: ${labelA} (${diff.a.id} ${diff.a.version}), ${diff.a.paths} complete paths`,
    `B: ${labelB} (${diff.b.id} ${diff.b.version}), ${diff.b.paths} complete paths`,
  ];
  if (diff.changed === 0 && diff.onlyInB === 0) {
    lines.push(`No changes: every one of the ${diff.a.paths} paths has the same outcome in both packs.`);
    return `${lines.join('\n')}\n`;
  }
  lines.push(
    `${diff.changed} of A's paths change outcome (${diff.unchanged} unchanged)${diff.onlyInB ? `; ${diff.onlyInB} paths are new in B` : ''}.`,
    '',
    'By rule: old rule → new rule [new decision]: paths (what differs)',
  );
  for (const g of diff.groups) {
    const decision = g.toDecision ? ` [${g.toDecision}]` : '';
    const what = g.fields.length ? ` (${g.fields.join(', ')})` : '';
    lines.push(`  ${g.from} → ${g.to}${decision}: ${g.paths} path${g.paths === 1 ? '' : 's'}${what}`);
    for (const e of g.examples) lines.push(`      e.g. ${e}`);
  }
  return `${lines.join('\n')}\n`;
}
