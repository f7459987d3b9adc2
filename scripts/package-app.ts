/**
 * `npm run package`: builds the Teams app package build/appPackage.zip from
 * manifest/manifest.template.json and the two icons in manifest/.
 *
 *   TEAMS_APP_ID=… BOT_ID=… BOT_DOMAIN=… npm run package
 *   npm run package -- --env dev          # also reads env/.env.dev (the environment wins)
 *   npm run package -- --out some/dir     # write appPackage.zip elsewhere
 *
 * It substitutes the ${{VAR}} placeholders, validates the result offline against Microsoft's
 * official MicrosoftTeams.schema.json (v1.28, bundled in the @microsoft/app-manifest dev
 * dependency; ajv) and Teams' own rules (icon sizes, outline colours, GUIDs, text limits,
 * validDomains), and only then writes the zip. Problems are listed with JSON paths and the
 * script exits 1. See docs/deployment.md.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  MANIFEST_DIR,
  MANIFEST_VERSION,
  PROJECT_ROOT,
  TEMPLATE_PATH,
  buildZip,
  formatProblems,
  loadManifestSchema,
  parseEnvFile,
  renderManifest,
  validatePackage,
} from './lib/manifest';

function argValue(flag: string): string | undefined {
  const i = process.argv.indexOf(flag);
  if (i === -1) return undefined;
  const v = process.argv[i + 1];
  if (!v || v.startsWith('--')) fail([`${flag} needs a value`]);
  return v;
}

function fail(lines: string[]): never {
  console.error(lines.join('\n'));
  process.exit(1);
}

async function main(): Promise<void> {
  const envName = argValue('--env');
  let env: Record<string, string | undefined> = { ...process.env };
  if (envName) {
    const file = path.join(PROJECT_ROOT, 'env', `.env.${envName}`);
    if (!existsSync(file)) fail([`No env file ${path.relative(PROJECT_ROOT, file)} for --env ${envName}`]);
    env = { ...parseEnvFile(readFileSync(file, 'utf8')), ...env };
  }

  const template = readFileSync(TEMPLATE_PATH, 'utf8');
  const rendered = renderManifest(template, env);
  if (!rendered.manifest) {
    fail([
      `Cannot build the Teams app package: fix these environment variables (used by ${path.relative(PROJECT_ROOT, TEMPLATE_PATH)}):`,
      formatProblems(rendered.problems),
    ]);
  }
  const manifest = rendered.manifest;

  const icons = (manifest.icons ?? {}) as Record<string, unknown>;
  const files: Record<string, Buffer | undefined> = {};
  for (const name of [icons.color, icons.outline]) {
    if (typeof name !== 'string') continue;
    const file = path.join(MANIFEST_DIR, name);
    files[name] = existsSync(file) ? readFileSync(file) : undefined;
  }

  // Always the schema of the version this project targets; the Teams rules report a manifest whose
  // manifestVersion or $schema URL names another version.
  const schema = loadManifestSchema(MANIFEST_VERSION);
  const problems = validatePackage({ manifest, files, schema: schema.schema, botDomain: env.BOT_DOMAIN?.trim() });
  const schemaNote = `official v${schema.version} schema ${path.relative(PROJECT_ROOT, schema.file)}`;
  if (problems.length) {
    fail([
      `The Teams app manifest is not valid (${problems.length} problem${problems.length === 1 ? '' : 's'}; checked with the ${schemaNote}):`,
      formatProblems(problems),
    ]);
  }

  const outDir = path.resolve(PROJECT_ROOT, argValue('--out') ?? 'build');
  mkdirSync(outDir, { recursive: true });
  const zipPath = path.join(outDir, 'appPackage.zip');
  writeFileSync(zipPath, await buildZip(manifest, files));
  console.log(`Manifest valid against the ${schemaNote} and Teams' packaging rules.`);
  console.log(`Wrote ${path.relative(process.cwd(), zipPath)} (manifest.json, ${Object.keys(files).join(', ')}).`);
}

main().catch((err: unknown) => fail([`Packaging failed: ${err instanceof Error ? err.message : String(err)}`]));
