/**
 * `npm run bench`: the bot's production build under load on loopback, beside two bare-botbuilder
 * baselines measured in the same run.
 *
 *   npm run bench                      # build, then the seven scenarios below (≈ 2 min in all)
 *   npm run bench -- --profile         # the same, with --cpu-prof on every bot child, summarised over the measured run
 *   npm run bench -- --all             # also bench/records-query.ts and bench/fanout.ts
 *   npm run bench -- --records-query   # … or just one of them
 *   npm run bench -- --fanout
 *   npm run bench -- --duration 10 --warmup 2 --connections 10
 *   npm run bench -- --no-build        # use dist/ as it is
 *   npm run bench -- --only step,record            # some bot scenarios (the two baselines always run)
 *   npm run bench -- --bot-node-arg=--max-semi-space-size=8   # extra node flags for the bot children
 *
 * First `npm run build` (tsc -p tsconfig.build.json → dist/src, what production runs) and
 * tsc -p tsconfig.bench.json (the baseline → dist/bench). Every server then runs as its own child
 * process with plain `node` (no tsx), one fresh child per scenario, so autocannon (here) and the
 * server do not share an event loop, and each row's peak RSS and start-up time are that scenario's.
 * The bot is `node dist/src/index.js` itself, configured through the environment as in production
 * except: no app id (so no Bot Framework authentication), reminders and the retention purge off.
 * Table storage is a real in-memory Azurite (another child).
 *
 *   baseline                bare botbuilder echo bot (bench/baselineEchoBot.ts), expectReplies messages
 *   baseline+upsert         the same echo bot doing one upsertEntity per message
 *   start                   the message "start" → the first question card (writes the current-questionnaire row)
 *   questionnaire step      Action.Execute `answer` on a realistic mid-questionnaire card → next card
 *   my decisions            a practitioner's own list, first page of 25 (of SEED_RECORDS seeded records)
 *   recent decisions        a manager's first page of 25 (MANAGER_AAD_OBJECT_IDS; audited per page)
 *   record decision         Action.Execute `record`, a fresh idempotency key (UUID) per request
 *
 * Each row shows req/s, p50/p99, p99 and req/s against the relevant baseline (bare echo for work
 * done in memory, echo + upsert for work that touches storage), the CPU time the server and Azurite
 * spent per request (from /proc/<pid>/stat), the server's peak RSS (VmHWM) and the time from
 * spawn() to the first healthy GET /healthz.
 *
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
  stateOf,
  withAnswers,
  type CardState,
} from '../test/integration/robustness/support';
import { cardOf } from '../test/support/botHarness';
import { formatProfile, monotonicUs, summariseProfile, type Window } from './cpuProfile';
import { BASELINE_ENTRY, BOT_ENTRY, buildAll, cpuMsOf, startServer, type BenchServer } from './processes';

const TENANT = '11111111-1111-4111-8111-111111111111';
type User = { id: string; aadObjectId: string; name: string };
/** Answers the questionnaire and records decisions. */
const PRACTITIONER: User = {
  id: '29:bench-user',
  aadObjectId: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
  name: 'Bench Practitioner',
};
/** Sends "start" over and over (each start makes a new questionnaire current, so not the recording user). */
const STARTER: User = {
  id: '29:bench-starter',
  aadObjectId: 'aaaaaaaa-bbbb-4ccc-8ddd-000000000001',
  name: 'Bench Starter',
};
/** A manager through MANAGER_AAD_OBJECT_IDS (src/bot/features/records/access.ts). */
const MANAGER: User = {
  id: '29:bench-manager',
  aadObjectId: 'aaaaaaaa-bbbb-4ccc-8ddd-000000000002',
  name: 'Bench Manager',
};
/** Records the practitioner has before the list scenarios: more than one page of 25. */
const SEED_RECORDS = 60;

function flag(name: string): boolean {
  return process.argv.includes(`--${name}`);
}
function numberArg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const n = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

const DURATION_S = Math.max(1, numberArg('duration', 10));
const WARMUP_S = numberArg('warmup', 2);
const CONNECTIONS = Math.max(1, numberArg('connections', 10));
/** `--only a,b`: these bot scenarios (by key) and the baselines. */
const ONLY = (() => {
  const i = process.argv.indexOf('--only');
  return i >= 0 ? new Set((process.argv[i + 1] ?? '').split(',')) : undefined;
})();
/** `--bot-node-arg=--flag` (repeatable): node options for the bot children, for experiments. */
const BOT_NODE_ARGS = process.argv
  .filter((a) => a.startsWith('--bot-node-arg='))
  .map((a) => a.slice('--bot-node-arg='.length));

function activity(from: User, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    id: 'bench-activity',
    channelId: 'msteams',
    serviceUrl: 'http://127.0.0.1:9/',
    timestamp: new Date().toISOString(),
    from,
    recipient: { id: '28:bot', name: 'Can I share?' },
    conversation: { id: `a:bench-conversation-${from.aadObjectId}`, conversationType: 'personal', tenantId: TENANT },
    channelData: { tenant: { id: TENANT } },
    ...extra,
  };
}

const headers = { 'content-type': 'application/json' };
const messageBody = (from: User, text: string) =>
  JSON.stringify(activity(from, { type: 'message', text, deliveryMode: 'expectReplies' }));
const invokeBody = (verb: string, data: Record<string, unknown>) =>
  JSON.stringify(
    activity(PRACTITIONER, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', id: 'bench-action', verb, data } },
    }),
  );

/**
 * The practitioner's questionnaire state as the bot issues it (a "start" message; the bot records it as their current
 * one).
 */
async function startQuestionnaire(baseUrl: string): Promise<CardState> {
  const res = await fetch(`${baseUrl}/api/messages`, {
    method: 'POST',
    headers,
    body: messageBody(PRACTITIONER, 'start'),
  });
  if (res.status !== 200) throw new Error(`"start" got HTTP ${res.status}`);
  const body = (await res.json()) as { activities: Array<Record<string, unknown>> };
  return stateOf(cardOf(body.activities[0]!));
}

/**
 * Mid-questionnaire: the 7 deciding answers given and the 8th answer (the first tailoring question,
 * whose card also shows the answer) submitted — a realistic state size and the heaviest step card.
 */
function answerStepBody(base: CardState): string {
  const { given, next } = pathAnswers(SHARE_WITHOUT_ASKING, 7);
  if (!next) throw new Error('the answer set ended before the 8th question');
  return invokeBody('answer', { verb: 'answer', s: withAnswers(base, given), q: next.q, answer: next.answer });
}

const KEY_PLACEHOLDER = '00000000-0000-4000-8000-00000000beef';
/** The record step with a placeholder key; each request swaps in a fresh UUID. */
function recordBodyTemplate(base: CardState): string {
  const { given } = pathAnswers(SHARE_WITHOUT_ASKING);
  return invokeBody('record', {
    verb: 'record',
    s: withAnswers(base, given),
    k: KEY_PLACEHOLDER,
    ...RECORD_FORM,
    caseReference: 'BENCH-0001',
  });
}

/** One request, checked: the benchmark must measure real work, not a refusal card. */
async function expectCard(baseUrl: string, body: string, text: RegExp): Promise<void> {
  const res = await fetch(`${baseUrl}/api/messages`, { method: 'POST', headers, body });
  const json = JSON.stringify(await res.json());
  if (res.status !== 200 || !text.test(json))
    throw new Error(`bench request did not give the expected card (${text}): HTTP ${res.status} ${json.slice(0, 300)}`);
}

/**
 * SEED_RECORDS real decisions by the practitioner, through the bot (so "my decisions" and "recent decisions" list real
 * rows).
 */
async function seedRecords(baseUrl: string): Promise<void> {
  const template = recordBodyTemplate(await startQuestionnaire(baseUrl));
  for (let i = 0; i < SEED_RECORDS; i++)
    await expectCard(baseUrl, template.replace(KEY_PLACEHOLDER, randomUUID()), /Decision recorded/);
}

type BaselineKind = 'echo' | 'upsert';

interface Measured {
  name: string;
  /** The baseline this row is compared with. */
  vs?: BaselineKind;
  rps: number;
  /** Slowest and fastest 1-second sample (a falling rate shows up here). */
  rpsMin: number;
  rpsMax: number;
  p50: number;
  p99: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  /** Mean response body size. */
  responseBytes: number;
  /** CPU time of the server process per request (user + system). */
  serverCpuMs: number;
  /** CPU time of Azurite per request. */
  azuriteCpuMs: number;
  /** The server child's peak RSS (VmHWM) over its whole life, KiB. */
  peakRssKb?: number;
  /** spawn() → first healthy /healthz, and the server's CPU time by then. */
  startMs: number;
  startCpuMs: number;
  /** When the measured run ran (for --profile). */
  window: Window;
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

function fire(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

type Load = Omit<autocannon.Options, 'duration' | 'connections'>;

/** Warm-up, then one measured run; `hooks` run around the measured run only. */
async function measure(
  name: string,
  load: Load,
  server: BenchServer,
  azPid: number | undefined,
  hooks: { before?: () => Promise<void>; after?: () => Promise<void> } = {},
): Promise<Omit<Measured, 'vs' | 'peakRssKb' | 'startMs' | 'startCpuMs'>> {
  if (WARMUP_S > 0) await fire({ ...load, connections: CONNECTIONS, duration: WARMUP_S });
  await hooks.before?.();
  const cpu0 = { server: server.cpuMs(), azurite: cpuMsOf(azPid) };
  const fromUs = monotonicUs();
  const r = await fire({ ...load, connections: CONNECTIONS, duration: DURATION_S });
  const window = { fromUs, toUs: monotonicUs() };
  const total = Math.max(1, r.requests.total);
  const cpu1 = { server: server.cpuMs(), azurite: cpuMsOf(azPid) };
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
    errors: r.errors + r.timeouts,
    responseBytes: r.throughput.total / total,
    serverCpuMs: (cpu1.server - cpu0.server) / total,
    azuriteCpuMs: (cpu1.azurite - cpu0.azurite) / total,
    window,
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
async function measureRecord(
  name: string,
  server: BenchServer,
  azurite: AzuriteHandle,
  azPid: number | undefined,
): Promise<{ m: Awaited<ReturnType<typeof measure>>; check: RecordCheck }> {
  const url = server.baseUrl;
  const template = recordBodyTemplate(await startQuestionnaire(url));
  await expectCard(url, template.replace(KEY_PLACEHOLDER, randomUUID()), /Decision recorded/);
  const sent = new Set<string>();
  const acked = new Set<string>();
  let notSaved = 0;
  let other = 0;
  let counting = false;
  const load: Load = {
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
  // requests cut off when a run stops still finish server-side
  const settle = () => new Promise((res) => setTimeout(res, 1000));
  let before: Awaited<ReturnType<typeof census>> | undefined;
  let after: Awaited<ReturnType<typeof census>> | undefined;
  const m = await measure(name, load, server, azPid, {
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
  for (const k of acked)
    if (!after.markerRowKeys.has(markerRowKeyOf(k)) || (after.recordsByKey.get(k) ?? 0) !== 1) missing++;
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

const post = (url: string, body: string): Load => ({ url: `${url}/api/messages`, method: 'POST', headers, body });

interface Scenario {
  key: string;
  name: string;
  server: 'baseline-echo' | 'baseline-upsert' | 'bot';
  vs?: BaselineKind;
  /** Checks one request gives the expected card and returns the load to fire. */
  prepare?: (url: string) => Promise<Load>;
  /** The record scenario: measured with the silent-loss check. */
  record?: true;
}

const SCENARIOS: Scenario[] = [
  {
    key: 'echo',
    name: 'baseline: bare echo bot',
    server: 'baseline-echo',
    prepare: async (url) => post(url, messageBody(PRACTITIONER, 'hello bench')),
  },
  {
    key: 'upsert',
    name: 'baseline + 1 upsertEntity',
    server: 'baseline-upsert',
    prepare: async (url) => post(url, messageBody(PRACTITIONER, 'hello bench')),
  },
  {
    key: 'start',
    name: 'start (first question card)',
    server: 'bot',
    vs: 'upsert',
    prepare: async (url) => {
      const body = messageBody(STARTER, 'start');
      await expectCard(url, body, /"verb":"answer"/);
      return post(url, body);
    },
  },
  {
    key: 'step',
    name: 'questionnaire step (answer)',
    server: 'bot',
    vs: 'echo',
    prepare: async (url) => {
      const body = answerStepBody(await startQuestionnaire(url));
      await expectCard(url, body, /"verb":"answer"/);
      return post(url, body);
    },
  },
  {
    key: 'mine',
    name: `my decisions (page 1 of ${SEED_RECORDS})`,
    server: 'bot',
    vs: 'upsert',
    prepare: async (url) => {
      await seedRecords(url);
      const body = messageBody(PRACTITIONER, 'my decisions');
      await expectCard(url, body, /My decisions[\s\S]*D-\d{8}-[A-Z0-9]+[\s\S]*"verb":"records\.page"/);
      return post(url, body);
    },
  },
  {
    key: 'recent',
    name: 'manager: recent decisions (page 1)',
    server: 'bot',
    vs: 'upsert',
    prepare: async (url) => {
      const body = messageBody(MANAGER, 'recent decisions');
      await expectCard(url, body, /Recent decisions[\s\S]*D-\d{8}-[A-Z0-9]+[\s\S]*"verb":"records\.page"/);
      return post(url, body);
    },
  },
  { key: 'record', name: 'record decision (durable write)', server: 'bot', vs: 'upsert', record: true },
];

const fmt = (n: number, d = 0) => n.toFixed(d);
const mb = (kb: number | undefined) => (kb === undefined ? 'n/a' : `${(kb / 1024).toFixed(0)}`);

async function benchBot(): Promise<boolean> {
  const profile = flag('profile');
  const profileDir = profile ? mkdtempSync(path.join(os.tmpdir(), 'canshare-prof-')) : undefined;
  if (!flag('no-build'))
    console.log(`Built dist/ (npm run build + tsc -p tsconfig.bench.json) in ${fmt(buildAll() / 1000, 1)} s`);
  for (const entry of [BOT_ENTRY, BASELINE_ENTRY])
    if (!existsSync(entry)) throw new Error(`${entry} is missing: run without --no-build`);
  console.log(
    `Bot benchmark on Node ${process.versions.node} (servers: plain node on the compiled dist/): ${DURATION_S} s per scenario, ${CONNECTIONS} connections, ` +
      `${WARMUP_S} s warm-up; loopback; ${os.cpus().length} cores; load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
  );
  const scenarios = SCENARIOS.filter((sc) => sc.server !== 'bot' || !ONLY || ONLY.has(sc.key));
  // "my decisions" seeds the records that "recent decisions" lists.
  if (ONLY?.has('recent') && !ONLY.has('mine'))
    scenarios.splice(
      scenarios.findIndex((sc) => sc.key === 'recent'),
      0,
      SCENARIOS.find((sc) => sc.key === 'mine')!,
    );
  if (BOT_NODE_ARGS.length > 0) console.log(`Bot children run with ${BOT_NODE_ARGS.join(' ')}`);
  const azurite = await startAzurite();
  const rows: Measured[] = [];
  let check: RecordCheck | undefined;
  const botProfiles: Array<{ label: string; file: string; window: Window }> = [];
  try {
    const azPid = azuritePid(azurite.port);
    const storage = { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString };
    const botEnv = {
      ...storage,
      NODE_ENV: 'development',
      // Production's default level (deploy/main.bicep), so the bot pays for its own logging.
      LOG_LEVEL: 'info',
      REMINDERS_ENABLED: 'false',
      RETENTION_PURGE_ENABLED: 'false',
      MANAGER_AAD_OBJECT_IDS: `${TENANT}:${MANAGER.aadObjectId}`,
      ALLOWED_TENANT_IDS: TENANT,
      // A fresh compile cache (src/compileCache.ts): the first bot child starts cold, as after a deploy; later ones
      // warm.
      NODE_COMPILE_CACHE: mkdtempSync(path.join(os.tmpdir(), 'canshare-compile-cache-')),
    };
    for (const sc of scenarios) {
      const nodeArgs =
        sc.server !== 'bot'
          ? []
          : [...BOT_NODE_ARGS, ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', path.join(profileDir, sc.key)] : [])];
      const server =
        sc.server === 'bot'
          ? await startServer({ entry: BOT_ENTRY, nodeArgs, env: botEnv })
          : await startServer({
              entry: BASELINE_ENTRY,
              args: [sc.server === 'baseline-upsert' ? 'upsert' : 'echo'],
              env: storage,
            });
      try {
        let m: Awaited<ReturnType<typeof measure>>;
        if (sc.record) {
          const rec = await measureRecord(sc.name, server, azurite, azPid);
          m = rec.m;
          check = rec.check;
        } else m = await measure(sc.name, await sc.prepare!(server.baseUrl), server, azPid);
        rows.push({
          ...m,
          vs: sc.vs,
          startMs: server.startMs,
          startCpuMs: server.startCpuMs,
          peakRssKb: server.peakRssKb(),
        });
        process.stdout.write(`  ${sc.name}: ${fmt(m.rps)} req/s, p99 ${fmt(m.p99)} ms\n`);
      } catch (err) {
        process.stderr.write(`${sc.name} failed; server output:\n${server.output()}\n`);
        throw err;
      } finally {
        await server.stop();
      }
      if (profileDir && sc.server === 'bot') {
        const dir = path.join(profileDir, sc.key);
        const file = existsSync(dir) ? readdirSync(dir).find((f) => f.endsWith('.cpuprofile')) : undefined;
        if (file) botProfiles.push({ label: sc.name, file: path.join(dir, file), window: rows.at(-1)!.window });
      }
    }
  } finally {
    await azurite.stop();
  }

  // Figures from a busy machine are not comparable with a quiet one's: say how busy it was.
  console.log(
    `\nLoad average at the end: ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} (${os.cpus().length} cores)`,
  );
  const byKey = new Map(scenarios.map((sc, i) => [sc.key, rows[i]!]));
  const row = (key: string) => byKey.get(key);
  const base: Record<BaselineKind, Measured> = { echo: row('echo')!, upsert: row('upsert')! };
  console.log('');
  console.log(
    '| scenario | req/s (1-s min–max) | p50 ms | p99 ms | vs | p99 ÷ base | req/s ÷ base | non-2xx + errors | resp KB | server CPU ms/req | Azurite CPU ms/req | peak RSS MB | start → healthy ms (CPU ms) |',
  );
  console.log('|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const b = r.vs ? base[r.vs] : undefined;
    console.log(
      `| ${r.name} | ${fmt(r.rps)} (${fmt(r.rpsMin)}–${fmt(r.rpsMax)}) | ${fmt(r.p50)} | ${fmt(r.p99)} | ${r.vs ?? '—'} | ` +
        `${b ? `${fmt(r.p99 / Math.max(1, b.p99), 2)}×` : '—'} | ${b ? `${fmt((100 * r.rps) / Math.max(1, b.rps))} %` : '—'} | ${r.non2xx + r.errors} | ` +
        `${fmt(r.responseBytes / 1024, 1)} | ${fmt(r.serverCpuMs, 2)} | ${fmt(r.azuriteCpuMs, 2)} | ${mb(r.peakRssKb)} | ${fmt(r.startMs)} (${fmt(r.startCpuMs)}) |`,
    );
  }
  if (check) {
    console.log('');
    console.log(
      `Record run: ${check.sent} sent, ${check.acknowledged} answered "Decision recorded", ${check.notSaved} "NOT SAVED", ${check.other} other; ` +
        `table +${check.recordsAdded} records / +${check.markersAdded} markers; acknowledged but missing ${check.missing}, duplicates ${check.duplicates}, strays ${check.strays}` +
        (check.recordsAdded > check.acknowledged
          ? ` (${check.recordsAdded - check.acknowledged} written for requests cut off when the run stopped; ≤ ${CONNECTIONS} expected)`
          : ''),
    );
  }

  const step = row('step');
  const rec = row('record');
  if (rec && rec.azuriteCpuMs > 0) {
    // The emulator's own cost bounds the record rate whatever the bot does.
    console.log(
      `Azurite used ${fmt(rec.azuriteCpuMs, 2)} ms of CPU per record (${fmt(base.upsert.azuriteCpuMs, 2)} ms per upsert): ` +
        `even with a core to itself it could store at most ≈ ${fmt(1000 / rec.azuriteCpuMs)} records/s.`,
    );
  }
  const botRows = rows.filter((_, i) => scenarios[i]!.server === 'bot');
  type Target = { name: string; ok: boolean };
  const targets: Target[] = [];
  if (step)
    targets.push({
      name: `questionnaire step p99 ≤ 1.3 × bare-echo p99 (${fmt(step.p99)} ≤ ${fmt(1.3 * base.echo.p99, 1)} ms)`,
      ok: step.p99 <= 1.3 * base.echo.p99,
    });
  if (rec) {
    targets.push(
      {
        name: `record p99 ≤ 3 × baseline+upsert p99 (${fmt(rec.p99)} ≤ ${fmt(3 * base.upsert.p99, 1)} ms)`,
        ok: rec.p99 <= 3 * base.upsert.p99,
      },
      {
        name: `record throughput ≥ 25 % of baseline+upsert (${fmt(rec.rps)} ≥ ${fmt(0.25 * base.upsert.rps)} req/s)`,
        ok: rec.rps >= 0.25 * base.upsert.rps,
      },
      { name: `bot CPU per record ≤ 1.5 ms (${fmt(rec.serverCpuMs, 2)} ms)`, ok: rec.serverCpuMs <= 1.5 },
      {
        name: 'no silent loss: every acknowledged record stored exactly once, 2xx = acknowledged',
        ok:
          !!check &&
          check.missing === 0 &&
          check.duplicates === 0 &&
          check.strays === 0 &&
          check.other === 0 &&
          rec.ok2xx === check.acknowledged + check.notSaved &&
          check.recordsAdded >= check.acknowledged &&
          check.recordsAdded - check.acknowledged <= CONNECTIONS,
      },
    );
  }
  if (botRows.length > 0) {
    const peakRss = Math.max(...botRows.map((r) => r.peakRssKb ?? Infinity));
    const slowestStart = Math.max(...botRows.map((r) => r.startMs));
    targets.push(
      {
        name: `peak RSS of the bot ≤ 200 MB (largest of the bot children: ${mb(peakRss)} MB)`,
        ok: peakRss <= 200 * 1024,
      },
      {
        name: `start → healthy /healthz ≤ 2 s (slowest bot child: ${fmt(slowestStart)} ms; first start, empty compile cache: ${fmt(botRows[0]!.startMs)} ms)`,
        ok: slowestStart <= 2000,
      },
    );
  }
  console.log('');
  for (const t of targets) console.log(`${t.ok ? 'PASS' : 'MISS'}  ${t.name}`);
  for (const p of botProfiles) {
    console.log('');
    console.log(formatProfile(summariseProfile(p.file, 25, p.window), `bot child, ${p.label}; ${p.file}`));
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
        console.log(
          mod.formatRecordsQueryBench ? mod.formatRecordsQueryBench(result as never) : JSON.stringify(result, null, 2),
        );
      } else console.log('bench/records-query.ts exports no runRecordsQueryBench: skipped');
    } else console.log('bench/records-query.ts not present: skipped');
  }
  if (all || flag('fanout')) {
    if (existsSync(path.join(__dirname, 'fanout.ts'))) {
      const mod = (await import('./fanout.js')) as {
        runFanoutBench?: () => Promise<{ withinLimits?: boolean; duplicates?: number; missing?: number }>;
      };
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
