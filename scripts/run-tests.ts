/**
 * `npm test`: runs every test file with Node's built-in test runner (through tsx).
 *
 * The feature files (test/feature: every card flow over HTTP on in-memory stores, no Azurite) run
 * first, as their own batch whose time is printed (they must stay fast). Unit and integration files
 * then run two at a time (this machine has 2 cores). The browser e2e files
 * then run one at a time: each starts its own Azurite, bot, Agents Playground and Chromium, and two
 * such stacks side by side on 2 cores make the Playground slow enough to miss its waits.
 *
 * The browser end-to-end suite needs Debian's Chromium. Where it is absent the suite is left out
 * with a printed line — unless REQUIRE_E2E=1 (CI sets it), in which case a missing browser fails
 * the run, so CI can never silently skip the e2e tests.
 *
 *   npm test                          every suite
 *   npm test -- test/unit/x.test.ts   just those files
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function testFilesUnder(dir: string): string[] {
  const abs = path.join(root, dir);
  if (!existsSync(abs)) return [];
  const out: string[] = [];
  for (const name of readdirSync(abs).sort()) {
    const full = path.join(abs, name);
    if (statSync(full).isDirectory()) out.push(...testFilesUnder(path.join(dir, name)));
    else if (name.endsWith('.test.ts')) out.push(path.join(dir, name));
  }
  return out;
}

function e2eFiles(): string[] {
  if (existsSync(chromiumPath)) return testFilesUnder('test/e2e');
  if (process.env.REQUIRE_E2E === '1') {
    console.error(`REQUIRE_E2E=1 but no Chromium at ${chromiumPath}: install the Debian 'chromium' package.`);
    process.exit(1);
  }
  console.log(
    `No Chromium at ${chromiumPath}: the browser e2e suite is left out (set REQUIRE_E2E=1 to make this an error).`,
  );
  return [];
}

interface RunResult {
  status: number;
  passed: number;
  failed: number;
}

/** One `node --test` run: spec output on the terminal, and a TAP copy to read the counts from. */
function run(files: string[], concurrency: number): RunResult {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'can-i-share-tests-'));
  const tap = path.join(dir, 'results.tap');
  try {
    const result = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--test',
        `--test-concurrency=${concurrency}`,
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        '--test-reporter=tap',
        `--test-reporter-destination=${tap}`,
        ...files,
      ],
      { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: process.env.NODE_ENV ?? 'test' } },
    );
    const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
    const count = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
    return { status: result.status ?? 1, passed: count('pass'), failed: count('fail') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const requested = process.argv.slice(2);
const under = (dir: string) => (f: string) => f.split(path.sep).join('/').includes(`test/${dir}/`);
const isE2e = under('e2e');
const isFeature = under('feature');
const all =
  requested.length > 0
    ? requested
    : [
        ...testFilesUnder('test/unit'),
        ...testFilesUnder('test/feature'),
        ...testFilesUnder('test/integration'),
        ...e2eFiles(),
      ];
if (all.length === 0) {
  console.error('No test files found.');
  process.exit(1);
}

const batches = [
  { name: 'feature', files: all.filter(isFeature), concurrency: 2 },
  { name: 'unit and integration', files: all.filter((f) => !isE2e(f) && !isFeature(f)), concurrency: 2 },
  { name: 'e2e', files: all.filter(isE2e), concurrency: 1 },
].filter((b) => b.files.length > 0);

const timings: string[] = [];
const results = batches.map((b) => {
  const started = process.hrtime.bigint();
  const result = run(b.files, b.concurrency);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  timings.push(
    `${b.name}: ${result.passed} passed, ${result.failed} failed in ${seconds.toFixed(1)} s (${b.files.length} files)`,
  );
  return result;
});
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
const status = results.some((r) => r.status !== 0) || failed > 0 || passed === 0 ? 1 : 0;
console.log(`\n${timings.join('\n')}`);
console.log(`Summary: ${passed} passed, ${failed} failed`);
process.exit(status);
