/**
 * Reads a rule pack from its folder (rulepacks/<id>/, laid out as files.ts describes) and loads it
 * strictly: each file against its own zod schema, then the whole pack through `loadRulePack` (zod
 * plus the cross-checks). Every problem names the file and the entry at fault, e.g.
 * `rulepacks/2015-local/rules.json: rules[12] (id "x"): condition refers to unknown question "y"`.
 *
 * The only module of the domain that touches the file system; `loadRulePack` itself stays pure.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../projectRoot';
import { FILE_OF_PART, joinPack, PACK_FILE_NAMES, PACK_FILES, type PackFileName } from './files';
import { loadRulePack, RulePackError, type RulePack, type RulePackInput } from './schema';

export const RULEPACKS_DIR = path.join(projectRoot, 'rulepacks');
/** The pack the bot uses: the user's 2015 local chapter. */
export const DEFAULT_RULE_PACK_DIR = path.join(RULEPACKS_DIR, '2015-local');

/** How a folder is named in messages: relative to the working directory when inside it. */
function displayPath(dir: string): string {
  const relative = path.relative(process.cwd(), dir);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : dir;
}

/** `rules[12] (id "x")` for a path into a file's content. */
function describePath(content: unknown, issuePath: readonly PropertyKey[]): string {
  let node: unknown = content;
  let text = '';
  for (const key of issuePath) {
    node = node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    if (typeof key === 'number') {
      text += `[${key}]`;
      const rec = node !== null && typeof node === 'object' ? (node as Record<string, unknown>) : {};
      const label = ['id', 'code', 'field', 'step'].map((k) => rec[k]).find((v) => typeof v === 'string');
      if (typeof label === 'string') text += ` (id "${label}")`;
    } else {
      text += text ? `.${String(key)}` : String(key);
    }
  }
  return text;
}

/**
 * Where a cross-check problem lives. The cross-checks name entries as `rule "x"`, `question "x"`,
 * `crossCutting …`, `derive.…`; this maps each to its file and, for a named entry, its index.
 */
const OWNERS: { pattern: RegExp; part: string; key?: 'id' | 'code' | 'field' }[] = [
  { pattern: /^question "([^"]+)"/, part: 'questions', key: 'id' },
  { pattern: /^rule "([^"]+)"/, part: 'rules', key: 'id' },
  { pattern: /^practice step "([^"]+)"/, part: 'practiceSteps', key: 'id' },
  { pattern: /^record requirement "([^"]+)"/, part: 'recordRequirements', key: 'field' },
  { pattern: /^follow-up text "([^"]+)"/, part: 'followUpTexts' },
  { pattern: /^follow-up "([^"]+)"/, part: 'followUps', key: 'code' },
  { pattern: /^legal note "([^"]+)"/, part: 'legalNotes', key: 'id' },
  { pattern: /^practice reminder "([^"]+)"/, part: 'practiceReminders', key: 'code' },
  { pattern: /^crossCutting/, part: 'crossCutting' },
  { pattern: /^derive\./, part: 'derive' },
];

function locate(problem: string, input: RulePackInput, dir: string): string {
  for (const owner of OWNERS) {
    const match = owner.pattern.exec(problem);
    if (!match) continue;
    const file = path.join(dir, FILE_OF_PART[owner.part] as string);
    const list = (
      owner.part === 'legalNotes' ? input.metadata.legalNotes : (input as Record<string, unknown>)[owner.part]
    ) as unknown;
    if (owner.key && Array.isArray(list)) {
      const index = list.findIndex((e: Record<string, unknown>) => e[owner.key as string] === match[1]);
      if (index !== -1) {
        return `${file}: ${owner.part}[${index}] (id "${match[1]}"): ${problem.slice(match[0].length).replace(/^:\s*/, '')}`;
      }
    }
    return `${file}: ${problem}`;
  }
  return `${dir}: ${problem}`;
}

/**
 * Reads and checks each file of the pack in `dir` (shape only) and joins them into one pack input.
 * @throws RulePackError naming each file and entry at fault.
 */
export function readRulePackFolder(dir: string): RulePackInput {
  const shown = displayPath(dir);
  const problems: string[] = [];
  if (!existsSync(dir)) throw new RulePackError([`${shown}: no such rule pack folder`]);
  const expected = new Set<string>(PACK_FILE_NAMES);
  for (const name of readdirSync(dir).sort()) {
    if (!expected.has(name))
      problems.push(`${path.join(shown, name)}: not a rule pack file (expected only ${PACK_FILE_NAMES.join(', ')})`);
  }
  const contents: Partial<Record<PackFileName, unknown>> = {};
  for (const name of PACK_FILE_NAMES) {
    const file = path.join(dir, name);
    const label = path.join(shown, name);
    if (!existsSync(file)) {
      problems.push(`${label}: missing`);
      continue;
    }
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      problems.push(`${label}: not valid JSON (${(err as Error).message})`);
      continue;
    }
    const parsed = PACK_FILES[name].safeParse(json);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const where = describePath(json, issue.path);
        problems.push(`${label}: ${where ? `${where}: ` : ''}${issue.message}`);
      }
      continue;
    }
    contents[name] = parsed.data;
  }
  const id = (contents['metadata.json'] as { id?: unknown } | undefined)?.id;
  if (id !== undefined && id !== path.basename(path.resolve(dir))) {
    // The folder name is how a pack is found and chosen, so two packs can never share an id.
    problems.push(
      `${path.join(shown, 'metadata.json')}: id: "${String(id)}" must be the pack's folder name ("${path.basename(path.resolve(dir))}")`,
    );
  }
  if (problems.length > 0) throw new RulePackError(problems);
  return joinPack(contents as Parameters<typeof joinPack>[0]);
}

/**
 * Reads, validates and cross-checks the pack in `dir`; returns it deeply frozen.
 * @throws RulePackError naming each file and entry at fault.
 */
export function loadRulePackFromFolder(dir: string): RulePack {
  const input = readRulePackFolder(dir);
  try {
    return loadRulePack(input);
  } catch (err) {
    if (!(err instanceof RulePackError)) throw err;
    throw new RulePackError(err.problems.map((p) => locate(p, input, displayPath(dir))));
  }
}

/**
 * Loads every pack folder directly under `root` (any folder holding a metadata.json), keyed by pack id.
 * `already` is a pack loaded before (the default) and is reused rather than read twice.
 * @throws RulePackError for the first pack at fault, naming its files and entries.
 */
export function loadRulePacksFromFolder(root: string, ...already: RulePack[]): ReadonlyMap<string, RulePack> {
  const packs = new Map<string, RulePack>(already.map((p) => [p.metadata.id, p]));
  const folders = readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(path.join(root, e.name, 'metadata.json')))
    .map((e) => e.name)
    .sort();
  for (const name of folders) {
    if (!packs.has(name)) packs.set(name, loadRulePackFromFolder(path.join(root, name)));
  }
  return packs;
}
