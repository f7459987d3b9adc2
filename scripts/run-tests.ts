/**
 * `npm test`: runs every test file with Node's built-in test runner (through tsx).
 *
 * The feature files (test/feature: every card flow over HTTP on in-memory stores, no Azurite) run
 * first, alone, as their own batch whose time is printed (they must stay fast). Then two batches
 * run side by side: the unit and integration files in four lanes, and the browser e2e files in one.
 * A lane is one test process that runs its files one after another (`--test-isolation=none`), so
 * tsx, botbuilder, restify and the Azure SDK are loaded once per lane, not once per file. Files
 * are shared out over the lanes by how long they take, longest first. Most unit and integration
 * files wait (on timeouts, Azurite, the reminders' gaps) and each e2e file starts its own Azurite,
 * bot and Agents Playground (in its own context of the lane's one Chromium), which mostly wait
 * too, so the lanes together keep both cores busy: the whole suite is bound by CPU on this 2-core
 * machine.
 *
 * Every file must leave the process as it found it (its servers stopped, its timers cleared, no
 * global state changed), as it shares its lane with others; a test that is cancelled because its
 * hook failed counts as failed.
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
 * One lane: a single `node --test` process that runs its files one after another in that process
 * (`--test-isolation=none`), with a TAP copy to read the counts from. Loading tsx, botbuilder,
 * restify and the Azure SDK costs a test process 1–3 s of CPU; a process per file spent about a
 * third of the suite's CPU on that alone. Its spec output goes to the terminal as it happens
 * (`live`), or is kept and printed in one block when the lane ends, so that lanes running side by
 * side do not interleave their lines.
 */
function runLane(files: string[], live: boolean, niceness: number): Promise<RunResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'can-i-share-tests-'));
  const tap = path.join(dir, 'results.tap');
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-isolation=none',
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
        // each one loads botbuilder, restify and the Azure SDK, and compiles them once, not per process.
        // Keyed by file contents, so never stale; NODE_DISABLE_COMPILE_CACHE=1 turns it off.
        NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE ?? path.join(os.tmpdir(), 'can-i-share-test-compile-cache'),
      },
    },
  );
  if (niceness > 0 && child.pid !== undefined) os.setPriority(child.pid, niceness);
  const output: Buffer[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
  return new Promise((resolve) => {
    child.once('close', (code) => {
      if (!live) process.stdout.write(Buffer.concat(output));
      const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
      rmSync(dir, { recursive: true, force: true });
      const count = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
      // A test cancelled (its hook failed or timed out, or its file ended first) did not pass: it counts as failed.
      resolve({ status: code ?? 1, passed: count('pass'), failed: count('fail') + count('cancelled') });
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
 * Roughly how long each of the longer files runs (seconds, measured on the 2-core machine), to
 * share files out over a batch's lanes so that no lane is left running alone at the end. Only the
 * balance depends on these: every file runs whatever its weight. Unlisted files count 1 s. The
 * rule-pack walks are CPU-bound (each walks ~400,000 paths); the others mostly wait on timers,
 * sockets and the browser, so they share the cores with a walk without slowing it.
 */
const SECONDS: Record<string, number> = {
  // e2e: the reminder test waits for the next whole minute of the bot's scheduler (10–70 s).
  'test/e2e/teamFeatures.test.ts': 45,
  'test/e2e/tenantRulePacks.test.ts': 18,
  'test/e2e/navigation.test.ts': 17,
  'test/e2e/urgent.test.ts': 15,
  'test/e2e/rulepackPreview.test.ts': 13,
  'test/e2e/questionnaire.test.ts': 13,
  'test/e2e/teamSummary.test.ts': 12,
  'test/integration/security/hostileOperator.test.ts': 34,
  'test/unit/domain/invariants.test.ts': 31,
  'test/integration/reminders/channelReminders.test.ts': 27,
  'test/unit/domain/rulepackCommands.test.ts': 24,
  'test/integration/urgent/urgentShare.test.ts': 24,
  'test/unit/domain/packEquivalence.test.ts': 19,
  'test/integration/reminders/instances.test.ts': 13,
  'test/integration/records/export.test.ts': 9,
  'test/integration/production/builtServer.test.ts': 7,
  'test/integration/robustness/readiness.test.ts': 6,
  'test/integration/security/redTeamFindings.test.ts': 6,
  'test/integration/security/productionConfig.test.ts': 4,
  'test/integration/robustness/botKilled.test.ts': 3,
  'test/integration/robustness/storageFault.test.ts': 3,
  'test/integration/storage/decisionStoreOutage.test.ts': 3,
};
const secondsOf = (f: string) => SECONDS[f.split(path.sep).join('/')] ?? 1;

/** Longest first, each file to the lane with the least so far (a lane then runs its files in name order). */
function shareOut(files: string[], lanes: number): string[][] {
  const out = Array.from({ length: Math.max(1, Math.min(lanes, files.length)) }, () => ({
    seconds: 0,
    files: [] as string[],
  }));
  for (const f of [...files].sort((a, b) => secondsOf(b) - secondsOf(a))) {
    const lane = out.reduce((min, l) => (l.seconds < min.seconds ? l : min));
    lane.files.push(f);
    lane.seconds += secondsOf(f);
  }
  return out.map((l) => l.files);
}

/**
 * Lanes (processes side by side) per batch; TEST_LANES_UNIT / TEST_LANES_E2E (and TEST_NICE_UNIT,
 * the unit lanes' niceness) override them, for measuring.
 * Most unit and integration time is spent waiting (body and header timeouts, the reminders'
 * per-conversation gap, Azurite), so four lanes keep both cores busy. One e2e lane: two were
 * no faster on 2 cores (whole suite 196–211 s in three runs, against 190–196 s with one), as the
 * e2e files are bound by CPU too and the unit lanes then finish later.
 */
const UNIT_LANES = Number(process.env.TEST_LANES_UNIT ?? 4);
const E2E_LANES = Number(process.env.TEST_LANES_E2E ?? 1);

interface Batch {
  name: string;
  files: string[];
  lanes: number;
  /**
   * Scheduling priority of the batch's processes (and what they start: bots, Azurite), as for
   * `nice`. The unit and integration lanes yield the cores to the e2e stack, whose browser and
   * Playground waits have timeouts; they fill the time the e2e stack spends waiting.
   */
  niceness: number;
}

/**
 * The feature batch runs first and alone, so its printed time is its own. Then the unit and
 * integration files and the e2e files run side by side: the e2e stacks mostly wait (on the
 * browser, the Playground, the reminder's minute), which is when the CPU-bound unit files use
 * the cores.
 */
const phases: Batch[][] = [
  [{ name: 'feature', files: all.filter(isFeature), lanes: 1, niceness: 0 }],
  [
    {
      name: 'unit and integration',
      files: all.filter((f) => !isE2e(f) && !isFeature(f)),
      lanes: UNIT_LANES,
      niceness: Number(process.env.TEST_NICE_UNIT ?? 10),
    },
    { name: 'e2e', files: all.filter(isE2e), lanes: E2E_LANES, niceness: 0 },
  ],
]
  .map((phase) => phase.filter((b) => b.files.length > 0))
  .filter((phase) => phase.length > 0);

async function runBatch(batch: Batch, live: boolean): Promise<RunResult> {
  const lanes = shareOut(batch.files, batch.lanes);
  const results = await Promise.all(lanes.map((files) => runLane(files, live && lanes.length === 1, batch.niceness)));
  return {
    status: results.some((r) => r.status !== 0) ? 1 : 0,
    passed: results.reduce((n, r) => n + r.passed, 0),
    failed: results.reduce((n, r) => n + r.failed, 0),
  };
}

async function main(): Promise<void> {
  const suiteStarted = process.hrtime.bigint();
  const secondsSince = (t: bigint) => (Number(process.hrtime.bigint() - t) / 1e9).toFixed(1);
  const timings: string[] = [];
  const results: RunResult[] = [];
  for (const phase of phases) {
    await Promise.all(
      phase.map(async (b) => {
        const started = process.hrtime.bigint();
        const result = await runBatch(b, phase.length === 1);
        const lanes = Math.min(b.lanes, b.files.length);
        timings.push(
          `${b.name}: ${result.passed} passed, ${result.failed} failed in ${secondsSince(started)} s (${b.files.length} files, ${lanes} lane${lanes === 1 ? '' : 's'})`,
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
