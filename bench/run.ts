/**
 * `npm run bench`: the bot under load on loopback, against the bare-botbuilder baseline.
 *
 *   npm run bench                      # the four scenarios below (≈ 1 min)
 *   npm run bench -- --profile         # the same, with --cpu-prof on the bot (one child per bot scenario), summarised
 *   npm run bench -- --all             # also bench/records-query.ts and bench/fanout.ts
 *   npm run bench -- --records-query   # … or just one of them
 *   npm run bench -- --fanout
 *   npm run bench -- --duration 10 --warmup 2 --connections 10
 *
 * Every server runs in its own child process (node --import tsx), so autocannon (here) and the bot
 * do not share an event loop; Table storage is a real in-memory Azurite (another child).
 *
 *   1. baseline              bare botbuilder echo bot (bench/baselineEchoBot.ts), expectReplies messages
 *   2. baseline+upsert       the same echo bot doing one upsertEntity per message
 *   3. questionnaire step    Action.Execute `answer` on a realistic mid-questionnaire card → next card
 *   4. record decision       Action.Execute `record`, a fresh idempotency key (UUID) per request
 *
 * Besides req/s and latency, each row shows the mean response size and the CPU time the server and
 * Azurite processes spent per request (from /proc), which says where a slow scenario's time goes.
 *
 * Targets (2-core machine): step p99 ≤ 1.5 × baseline p99; record ≥ 800/s and p99 ≤ 2 × baseline+upsert p99.
 * The record run is checked for silent loss: every request answered "Decision recorded" must be in
 * the table exactly once (raw TableClient count of record rows and idempotency markers).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { startAzurite, type AzuriteHandle } from '../test/support/azurite';
import {
  RECORD_FORM,
  SHARE_WITHOUT_ASKING,
  census,
  markerRowKeyOf,
  pathAnswers,
  spawnServer,
  stateOf,
  withAnswers,
  type CardState,
  type ChildServer,
} from '../test/integration/robustness/support';
import { cardOf } from '../test/support/botHarness';
import { formatProfile, summariseProfile } from './cpuProfile';

const TENANT = '11111111-1111-4111-8111-111111111111';
const USER = { id: '29:bench-user', aadObjectId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', name: 'Bench Practitioner' };

function flag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}
function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const n = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

const DURATION_S = numberArg('duration', 10);
const WARMUP_S = numberArg('warmup', 2);
const CONNECTIONS = numberArg('connections', 10);

function activity(extra: Record<string, unknown>): Record<string, unknown> {
  return {
    id: 'bench-activity',
    channelId: 'msteams',
    serviceUrl: 'http://127.0.0.1:9/',
    timestamp: new Date().toISOString(),
    from: USER,
    recipient: { id: '28:bot', name: 'Can I share?' },
    conversation: { id: 'a:bench-conversation', conversationType: 'personal', tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
    ...extra,
  };
}

const messageBody = JSON.stringify(activity({ type: 'message', text: 'hello bench', deliveryMode: 'expectReplies' }));
const invokeBody = (verb: string, data: Record<string, unknown>) =>
  JSON.stringify(activity({ type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', id: 'bench-action', verb, data } } }));

/** The bench user's questionnaire state as the bot issues it (a "start" message; the bot may record it as the user's current one). */
async function startQuestionnaire(baseUrl: string): Promise<CardState> {
  const res = await fetch(`${baseUrl}/api/messages`, {
    method: 'POST',
    headers,
    body: JSON.stringify(activity({ type: 'message', text: 'start', deliveryMode: 'expectReplies' })),
  });
  if (res.status !== 200) throw new Error(`"start" got HTTP ${res.status}`);
  const body = (await res.json()) as { activities: Array<Record<string, unknown>> };
  return stateOf(cardOf(body.activities[0]!));
}

/** Mid-questionnaire: 7 answers given, the 8th submitted (a realistic state size). */
function answerStepBody(base: CardState): string {
  const { given, next } = pathAnswers(SHARE_WITHOUT_ASKING, 7);
  if (!next) throw new Error('the answer set ended before the 8th question');
  return invokeBody('answer', { verb: 'answer', s: withAnswers(base, given), q: next.q, answer: next.answer });
}

const KEY_PLACEHOLDER = '00000000-0000-4000-8000-00000000beef';
/** The record step with a placeholder key; each request swaps in a fresh UUID. */
function recordBodyTemplate(base: CardState): string {
  const { given } = pathAnswers(SHARE_WITHOUT_ASKING);
  return invokeBody('record', { verb: 'record', s: withAnswers(base, given), k: KEY_PLACEHOLDER, ...RECORD_FORM, caseReference: 'BENCH-0001' });
}

/** One request, checked: the benchmark must measure real work, not a refusal card. */
async function expectCard(baseUrl: string, body: string, text: RegExp): Promise<void> {
  const res = await fetch(`${baseUrl}/api/messages`, { method: 'POST', headers, body });
  const json = JSON.stringify(await res.json());
  if (res.status !== 200 || !text.test(json)) throw new Error(`bench request did not give the expected card (${text}): HTTP ${res.status} ${json.slice(0, 300)}`);
}

interface Measured {
  name: string;
  rps: number;
  /** Slowest and fastest 1-second sample (a falling rate shows up here). */
  rpsMin: number;
  rpsMax: number;
  p50: number;
  p99: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Mean response body size. */
  responseBytes: number;
  /** CPU time of the server process per request (user + system). */
  serverCpuMs: number;
  /** CPU time of Azurite per request. */
  azuriteCpuMs: number;
}

const headers = { 'content-type': 'application/json' };
const CLOCK_TICKS_PER_S = 100; // Linux USER_HZ

/** User + system CPU time of a process so far, in ms (from /proc/<pid>/stat). */
function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
  } catch {
    return 0;
  }
}

/** The pid of the Azurite process listening on `port` (found through /proc). */
function azuritePid(port: number): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const i = cmd.indexOf('--tablePort');
      if (i >= 0 && cmd[i + 1] === String(port) && cmd.some((c) => c.includes('azurite'))) return Number(entry);
    } catch {
      /* the process went away */
    }
  }
  return undefined;
}

interface Pids {
  server: number;
  azurite?: number;
}

function fire(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/** Warm-up, then one measured run; `hooks` run around the measured run only. */
async function measure(
  name: string,
  base: Omit<autocannon.Options, 'duration' | 'connections'>,
  pids: Pids,
  hooks: { before?: () => Promise<void>; after?: () => Promise<void> } = {},
): Promise<Measured> {
  if (WARMUP_S > 0) await fire({ ...base, connections: CONNECTIONS, duration: WARMUP_S });
  await hooks.before?.();
  const cpu0 = { server: cpuMs(pids.server), azurite: cpuMs(pids.azurite) };
  const r = await fire({ ...base, connections: CONNECTIONS, duration: DURATION_S });
  const total = Math.max(1, r.requests.total);
  const cpu1 = { server: cpuMs(pids.server), azurite: cpuMs(pids.azurite) };
  await hooks.after?.();
  return {
    name,
    rps: r.requests.average,
    rpsMin: r.requests.min,
    rpsMax: r.requests.max,
    p50: r.latency.p50,
    p99: r.latency.p99,
    ok2xx: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    responseBytes: r.throughput.total / total,
    serverCpuMs: (cpu1.server - cpu0.server) / total,
    azuriteCpuMs: (cpu1.azurite - cpu0.azurite) / total,
  };
}

interface RecordCheck {
  sent: number;
  acknowledged: number;
  notSaved: number;
  other: number;
  recordsAdded: number;
  markersAdded: number;
  missing: number;
  duplicates: number;
  strays: number;
}

/** The record step: fresh key per request; afterwards every acknowledged key must be in the table exactly once. */
async function measureRecord(url: string, azurite: AzuriteHandle, state: CardState, pids: Pids): Promise<{ m: Measured; check: RecordCheck }> {
  const template = recordBodyTemplate(state);
  await expectCard(url, template.replace(KEY_PLACEHOLDER, randomUUID()), /Decision recorded/);
  const sent = new Set<string>();
  const acked = new Set<string>();
  let notSaved = 0;
  let other = 0;
  let counting = false;
  const base: Omit<autocannon.Options, 'duration' | 'connections'> = {
    url,
    requests: [
      {
        method: 'POST',
        path: '/api/messages',
        headers,
        setupRequest: (req, context) => {
          const k = randomUUID();
          (context as { k?: string }).k = k;
          if (counting) sent.add(k);
          return { ...req, body: template.replace(KEY_PLACEHOLDER, k) };
        },
        onResponse: (status, body, context) => {
          if (!counting) return;
          const k = (context as { k?: string }).k!;
          if (status === 200 && body.includes('Decision recorded')) acked.add(k);
          else if (body.includes('NOT SAVED')) notSaved++;
          else other++;
        },
      },
    ],
  };
  const settle = () => new Promise((res) => setTimeout(res, 1000)); // requests cut off when a run stops still finish server-side
  let before: Awaited<ReturnType<typeof census>> | undefined;
  let after: Awaited<ReturnType<typeof census>> | undefined;
  const m = await measure('record decision (durable write)', base, pids, {
    before: async () => {
      await settle();
      before = await census(azurite.connectionString, TENANT);
      counting = true;
    },
    after: async () => {
      counting = false;
      await settle();
      after = await census(azurite.connectionString, TENANT);
    },
  });
  if (!before || !after) throw new Error('census missing');

  let missing = 0;
  for (const k of acked) if (!after.markerRowKeys.has(markerRowKeyOf(k)) || (after.recordsByKey.get(k) ?? 0) !== 1) missing++;
  let duplicates = 0;
  for (const n of after.recordsByKey.values()) if (n > 1) duplicates += n - 1;
  // Records written in this run for keys never sent in it (there should be none).
  let strays = 0;
  for (const k of after.recordsByKey.keys()) if (!before.recordsByKey.has(k) && !sent.has(k)) strays++;
  return {
    m,
    check: {
      sent: sent.size,
      acknowledged: acked.size,
      notSaved,
      other,
      recordsAdded: after.records - before.records,
      markersAdded: after.markers - before.markers,
      missing,
      duplicates,
      strays,
    },
  };
}

const fmt = (n: number, d = 0) => n.toFixed(d);
const mb = (kb: number | undefined) => (kb === undefined ? 'n/a' : `${(kb / 1024).toFixed(0)} MB`);

async function benchBot(): Promise<boolean> {
  const profile = flag('profile');
  const profileDir = profile ? mkdtempSync(path.join(os.tmpdir(), 'canshare-prof-')) : undefined;
  console.log(`Bot benchmark: ${DURATION_S} s per scenario, ${CONNECTIONS} connections, ${WARMUP_S} s warm-up; loopback; ${os.cpus().length} cores; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const azurite = await startAzurite();
  const rows: Measured[] = [];
  const rss: Record<string, number | undefined> = {};
  let check: RecordCheck | undefined;
  const botProfiles: Array<{ label: string; file: string }> = [];
  try {
    const env = { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, PORT: '0', LOG_LEVEL: 'warn', NODE_ENV: 'development' };

    const azPid = azuritePid(azurite.port);
    const runChild = async (label: string, server: () => Promise<ChildServer>, body: (url: string, pids: Pids) => Promise<void>) => {
      const child = await server();
      try {
        await body(child.baseUrl, { server: child.pid, azurite: azPid });
        rss[label] = child.peakRssKb();
      } finally {
        await child.stop();
      }
    };

    const post = (url: string, body: string) => ({ url: `${url}/api/messages`, method: 'POST' as const, headers, body });
    await runChild('baseline', () => spawnServer({ script: 'bench/baselineEchoBot.ts', args: ['echo'], env }), async (url, pids) => {
      rows.push(await measure('baseline: bare echo bot', post(url, messageBody), pids));
    });
    await runChild('baseline+upsert', () => spawnServer({ script: 'bench/baselineEchoBot.ts', args: ['upsert'], env }), async (url, pids) => {
      rows.push(await measure('baseline + 1 upsertEntity', post(url, messageBody), pids));
    });
    // With --profile each bot scenario gets its own child (and so its own profile); otherwise one child serves both.
    const botChild = (label: string) => () =>
      spawnServer({
        script: 'bench/botServer.ts',
        env,
        nodeArgs: profileDir ? ['--cpu-prof', '--cpu-prof-dir', path.join(profileDir, label)] : [],
      });
    const stepScenario = async (url: string, pids: Pids) => {
      const base = await startQuestionnaire(url);
      const step = answerStepBody(base);
      await expectCard(url, step, /"verb":"answer"/);
      rows.push(await measure('questionnaire step (answer)', post(url, step), pids));
    };
    const recordScenario = async (url: string, pids: Pids) => {
      const rec = await measureRecord(url, azurite, await startQuestionnaire(url), pids);
      rows.push(rec.m);
      check = rec.check;
    };
    if (profileDir) {
      await runChild('bot', botChild('step'), stepScenario);
      await runChild('bot (record)', botChild('record'), recordScenario);
      for (const label of ['step', 'record']) {
        const dir = path.join(profileDir, label);
        const file = existsSync(dir) ? readdirSync(dir).find((f) => f.endsWith('.cpuprofile')) : undefined;
        if (file) botProfiles.push({ label, file: path.join(dir, file) });
      }
    } else {
      await runChild('bot', botChild('bot'), async (url, pids) => {
        await stepScenario(url, pids);
        await recordScenario(url, pids);
      });
    }
  } finally {
    await azurite.stop();
  }

  const [baseline, upsert, stepRow, recordRow] = rows as [Measured, Measured, Measured, Measured];
  console.log('');
  console.log('| scenario | req/s (1-s min–max) | p50 ms | p99 ms | p99 ÷ baseline | 2xx | non-2xx | errors | resp KB | server CPU ms/req | Azurite CPU ms/req |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(
      `| ${r.name} | ${fmt(r.rps)} (${fmt(r.rpsMin)}–${fmt(r.rpsMax)}) | ${fmt(r.p50)} | ${fmt(r.p99)} | ${fmt(r.p99 / Math.max(1, baseline.p99), 2)}× | ${r.ok2xx} | ${r.non2xx} | ${r.errors + r.timeouts} | ` +
        `${fmt(r.responseBytes / 1024, 1)} | ${fmt(r.serverCpuMs, 2)} | ${fmt(r.azuriteCpuMs, 2)} |`,
    );
  }
  console.log('');
  console.log(`Peak RSS (VmHWM): bot ${mb(rss.bot)}; baseline echo ${mb(rss.baseline)}; baseline+upsert ${mb(rss['baseline+upsert'])}`);
  if (check) {
    console.log(
      `Record run: ${check.sent} sent, ${check.acknowledged} answered "Decision recorded", ${check.notSaved} "NOT SAVED", ${check.other} other; ` +
        `table +${check.recordsAdded} records / +${check.markersAdded} markers; acknowledged but missing ${check.missing}, duplicates ${check.duplicates}, strays ${check.strays}` +
        (check.recordsAdded > check.acknowledged ? ` (${check.recordsAdded - check.acknowledged} written for requests cut off when the run stopped; ≤ ${CONNECTIONS} expected)` : ''),
    );
  }

  const targets = [
    { name: `questionnaire step p99 ≤ 1.5 × baseline p99 (${fmt(stepRow.p99)} ≤ ${fmt(1.5 * baseline.p99, 1)} ms)`, ok: stepRow.p99 <= 1.5 * baseline.p99 },
    { name: `record ≥ 800 decisions/s (${fmt(recordRow.rps)})`, ok: recordRow.rps >= 800 },
    { name: `record p99 ≤ 2 × baseline+upsert p99 (${fmt(recordRow.p99)} ≤ ${fmt(2 * upsert.p99, 1)} ms)`, ok: recordRow.p99 <= 2 * upsert.p99 },
    {
      name: 'no silent loss: every acknowledged record stored exactly once, 2xx = acknowledged',
      ok:
        !!check &&
        check.missing === 0 &&
        check.duplicates === 0 &&
        check.strays === 0 &&
        check.other === 0 &&
        recordRow.ok2xx === check.acknowledged + check.notSaved &&
        check.recordsAdded >= check.acknowledged &&
        check.recordsAdded - check.acknowledged <= CONNECTIONS,
    },
  ];
  console.log('');
  for (const t of targets) console.log(`${t.ok ? 'PASS' : 'MISS'}  ${t.name}`);
  for (const p of botProfiles) {
    console.log('');
    console.log(formatProfile(summariseProfile(p.file, 25), `bot child, ${p.label} scenario (warm-up included); ${p.file}`));
  }
  return targets.every((t) => t.ok);
}

async function main(): Promise<void> {
  const all = flag('all');
  const onlyOthers = flag('records-query') || flag('fanout');
  let ok = true;
  if (!onlyOthers || all) ok = (await benchBot()) && ok;
  // Other engineers' benchmarks, loaded only when asked for and only if their files exist.
  if (all || flag('records-query')) {
    if (existsSync(path.join(__dirname, 'records-query.ts'))) {
      const mod = (await import('./records-query.js')) as {
        runRecordsQueryBench?: () => Promise<unknown>;
        formatRecordsQueryBench?: (r: never) => string;
      };
      if (mod.runRecordsQueryBench) {
        console.log('\n== records-query benchmark (bench/records-query.ts) ==');
        const result = await mod.runRecordsQueryBench();
        console.log(mod.formatRecordsQueryBench ? mod.formatRecordsQueryBench(result as never) : JSON.stringify(result, null, 2));
      } else console.log('bench/records-query.ts exports no runRecordsQueryBench: skipped');
    } else console.log('bench/records-query.ts not present: skipped');
  }
  if (all || flag('fanout')) {
    if (existsSync(path.join(__dirname, 'fanout.ts'))) {
      const mod = (await import('./fanout.js')) as { runFanoutBench?: () => Promise<{ withinLimits?: boolean; duplicates?: number; missing?: number }> };
      if (mod.runFanoutBench) {
        console.log('\n== fan-out benchmark (bench/fanout.ts) ==');
        const r = await mod.runFanoutBench();
        console.log(JSON.stringify(r, null, 2));
        if (r.withinLimits === false || (r.duplicates ?? 0) > 0 || (r.missing ?? 0) > 0) ok = false;
      } else console.log('bench/fanout.ts exports no runFanoutBench: skipped');
    } else console.log('bench/fanout.ts not present: skipped');
  }
  process.exitCode = ok ? 0 : 1;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
