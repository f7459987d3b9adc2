/**
 * `npm test`: runs every test file with Node's built-in test runner (through tsx).
 *
 * The feature files (test/feature: every card flow over HTTP on in-memory stores, no Azurite) run
 * first, alone, as their own batch whose time is printed (they must stay fast). Then two batches
 * run side by side: the unit and integration files, two at a time (this machine has 2 cores), and
 * the browser e2e files, two at a time. Each e2e file starts its own Azurite, bot, Agents
 * Playground and Chromium, which spend most of their time waiting (on the browser, on replies, on
 * the reminder's minute), so the CPU-bound unit files fill that time. The whole suite is bound by
 * CPU on 2 cores, so the longest files start first, and no core idles while one finishes alone.
 *
 * The browser end-to-end suite needs Debian's Chromium. Where it is absent the suite is left out
 * with a printed line — unless REQUIRE_E2E=1 (CI sets it), in which case a missing browser fails
 * the run, so CI can never silently skip the e2e tests.
 *
 *   npm test                          every suite
 *   npm test -- test/unit/x.test.ts   just those files
 */
import { spawn } from 'node:child_process';
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

/**
 * One `node --test` run, with a TAP copy to read the counts from. Its spec output goes to the
 * terminal as it happens (`live`), or is kept and printed in one block when the run ends, so that
 * two runs side by side do not interleave their lines.
 */
function run(files: string[], concurrency: number, live: boolean): Promise<RunResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'can-i-share-tests-'));
  const tap = path.join(dir, 'results.tap');
  const child = spawn(
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
    {
      cwd: root,
      stdio: ['ignore', live ? 'inherit' : 'pipe', 'inherit'],
      env: {
        ...process.env,
        NODE_ENV: process.env.NODE_ENV ?? 'test',
        // Node's on-disk compile cache for every test process and what it spawns (bots, Azurite):
        // each one loads botbuilder, restify and the Azure SDK, and compiles them once, not ~60 times.
        // Keyed by file contents, so never stale; NODE_DISABLE_COMPILE_CACHE=1 turns it off.
        NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE ?? path.join(os.tmpdir(), 'can-i-share-test-compile-cache'),
      },
    },
  );
  const output: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
  return new Promise((resolve) => {
    child.once('close', (code) => {
      if (!live) process.stdout.write(Buffer.concat(output));
      const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
      rmSync(dir, { recursive: true, force: true });
      const count = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
      resolve({ status: code ?? 1, passed: count('pass'), failed: count('fail') });
    });
  });
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

/**
 * Files that take longest, started first so that none of them is left running alone at the end of
 * its batch. The rule-pack walks are CPU-bound (each walks ~400,000 paths); the others mostly wait
 * on timers and sockets, so they share the cores with a walk without slowing it. Any file not
 * listed keeps its place after these.
 */
const LONGEST_FIRST = [
  // e2e: the reminder test waits for a whole minute of the bot's scheduler; the others run beside it.
  'test/e2e/teamFeatures.test.ts',
  'test/e2e/tenantRulePacks.test.ts',
  'test/unit/domain/invariants.test.ts',
  'test/integration/security/hostileOperator.test.ts',
  'test/unit/domain/rulepackCommands.test.ts',
  'test/unit/domain/packEquivalence.test.ts',
  'test/integration/production/builtServer.test.ts',
  'test/integration/reminders/instances.test.ts',
];
const rank = (f: string) => {
  const i = LONGEST_FIRST.indexOf(f.split(path.sep).join('/'));
  return i === -1 ? LONGEST_FIRST.length : i;
};
const longestFirst = (files: string[]) => [...files].sort((a, b) => rank(a) - rank(b));

/**
 * Files at once per batch (TEST_CONCURRENCY_UNIT / TEST_CONCURRENCY_E2E override, for measuring).
 * One e2e stack at a time: with two beside the unit and integration batch on 2 cores, a Playground
 * wait for the bot's reply timed out in a full run (navigation, team channel); alone it never did.
 */
const UNIT_CONCURRENCY = Number(process.env.TEST_CONCURRENCY_UNIT ?? 2);
const E2E_CONCURRENCY = Number(process.env.TEST_CONCURRENCY_E2E ?? 1);

interface Batch {
  name: string;
  files: string[];
  concurrency: number;
}

/**
 * The feature batch runs first and alone, so its printed time is its own. Then the unit and
 * integration files and the e2e files run side by side: the e2e stacks mostly wait (on the
 * browser, the Playground, the reminder's minute), which is when the CPU-bound unit files use
 * the cores.
 */
const phases: Batch[][] = [
  [{ name: 'feature', files: all.filter(isFeature), concurrency: 2 }],
  [
    {
      name: 'unit and integration',
      files: longestFirst(all.filter((f) => !isE2e(f) && !isFeature(f))),
      concurrency: UNIT_CONCURRENCY,
    },
    { name: 'e2e', files: longestFirst(all.filter(isE2e)), concurrency: E2E_CONCURRENCY },
  ],
]
  .map((phase) => phase.filter((b) => b.files.length > 0))
  .filter((phase) => phase.length > 0);

async function main(): Promise<void> {
  const suiteStarted = process.hrtime.bigint();
  const secondsSince = (t: bigint) => (Number(process.hrtime.bigint() - t) / 1e9).toFixed(1);
  const timings: string[] = [];
  const results: RunResult[] = [];
  for (const phase of phases) {
    const live = phase.length === 1;
    await Promise.all(
      phase.map(async (b) => {
        const started = process.hrtime.bigint();
        const result = await run(b.files, b.concurrency, live);
        timings.push(
          `${b.name}: ${result.passed} passed, ${result.failed} failed in ${secondsSince(started)} s (${b.files.length} files)`,
        );
        results.push(result);
      }),
    );
  }
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  const status = results.some((r) => r.status !== 0) || failed > 0 || passed === 0 ? 1 : 0;
  console.log(`\n${timings.join('\n')}`);
  console.log(`Summary: ${passed} passed, ${failed} failed in ${secondsSince(suiteStarted)} s`);
  process.exit(status);
}

void main();
