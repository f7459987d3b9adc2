/**
 * `npm run rulepack -- <command>`: tools for the people who own the guidance.
 *
 *   npm run rulepack -- check <dir>                   validate, cross-check, coverage, invariants
 *   npm run rulepack -- diff <a> <b> [--json]          which answer paths change outcome, by rule
 *   npm run rulepack -- preview <dir> [--out f.html]   every question and outcome card, as Teams shows them
 *   npm run rulepack -- schema                         regenerate rulepacks/schema/ from the zod schemas
 *
 * Exit status 0 when all is well, 1 when the pack has problems (listed), 2 for a usage error.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadRulePackFromFolder, RulePackError } from '../src/domain';
import { checkPack } from './lib/rulepack/check';
import { diffPacks, formatDiff } from './lib/rulepack/diff';
import { jsonSchemaFiles, SCHEMA_DIR } from './lib/rulepack/jsonSchema';
import { previewCards, previewHtml } from './lib/rulepack/preview';

const USAGE =
  'usage: npm run rulepack -- check <dir> | diff <a> <b> [--json] | preview <dir> [--out file.html] | schema';

function usage(message?: string): never {
  if (message) console.error(message);
  console.error(USAGE);
  process.exit(2);
}

function loadOrExit(dir: string) {
  try {
    return loadRulePackFromFolder(path.resolve(dir));
  } catch (err) {
    if (!(err instanceof RulePackError)) throw err;
    console.error(`${dir}: the pack does not load:\n  ${err.problems.join('\n  ')}`);
    process.exit(1);
  }
}

function main(): void {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { json: { type: 'boolean' }, out: { type: 'string' } },
  });
  const [command, ...args] = positionals;
  switch (command) {
    case 'check': {
      if (args.length !== 1) usage('check takes one pack folder');
      const report = checkPack(args[0] as string);
      for (const line of report.summary) console.log(line);
      for (const line of report.warnings) console.log(`warning: ${line}`);
      if (!report.ok) {
        console.error(`${report.errors.length} problem(s):\n  ${report.errors.join('\n  ')}`);
        process.exit(1);
      }
      console.log('OK');
      return;
    }
    case 'diff': {
      if (args.length !== 2) usage('diff takes two pack folders');
      const [a, b] = args as [string, string];
      const diff = diffPacks(loadOrExit(a), loadOrExit(b));
      process.stdout.write(values.json ? `${JSON.stringify(diff, null, 2)}\n` : formatDiff(diff, a, b));
      return;
    }
    case 'preview': {
      if (args.length !== 1) usage('preview takes one pack folder');
      const pack = loadOrExit(args[0] as string);
      const cards = previewCards(pack);
      const out = path.resolve(values.out ?? `rulepack-preview-${pack.metadata.id}.html`);
      writeFileSync(out, previewHtml(pack, cards));
      console.log(
        `wrote ${cards.length} cards (${pack.questions.length} questions, ${pack.rules.length} rules) to ${path.relative(process.cwd(), out)}`,
      );
      return;
    }
    case 'schema': {
      if (args.length !== 0) usage('schema takes no arguments');
      mkdirSync(SCHEMA_DIR, { recursive: true });
      for (const [name, text] of jsonSchemaFiles()) writeFileSync(path.join(SCHEMA_DIR, name), text);
      console.log(`wrote ${jsonSchemaFiles().size} schemas to ${path.relative(process.cwd(), SCHEMA_DIR)}`);
      return;
    }
    default:
      usage(command ? `unknown command "${command}"` : undefined);
  }
}

main();
