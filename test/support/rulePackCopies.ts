/** Temporary copies of a rule pack folder, broken or changed in one place, for loader and CLI tests. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { DEFAULT_RULE_PACK_DIR } from '../../src/domain';
import { formatPackJson } from '../../scripts/lib/rulepack/formatJson';

const made: string[] = [];
after(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the pack in `source`, in a fresh temp dir, in a folder of the same name (the pack id). */
export function copyPack(source = DEFAULT_RULE_PACK_DIR): string {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'rulepack-'));
  made.push(parent);
  const dir = path.join(parent, path.basename(source));
  cpSync(source, dir, { recursive: true });
  return dir;
}

/** Rewrites one JSON file of the pack in `dir` after `edit` changes its parsed content. */
export function editPackFile<T = Record<string, unknown>>(dir: string, file: string, edit: (content: T) => void): void {
  const full = path.join(dir, file);
  const content = JSON.parse(readFileSync(full, 'utf8')) as T;
  edit(content);
  writeFileSync(full, formatPackJson(content));
}
