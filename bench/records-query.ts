/**
 * Records query benchmark: how long the first page of a manager's list takes as the table grows.
 *
 * Seeds decisions directly through TableDecisionStore into in-memory Azurite (one tenant, ~20
 * teams, 12 months, 200 practitioners, ~4 entries per case), concurrently (32 in flight), then
 * times the first page (25 rows) of: the tenant's recent decisions, one team's, one outcome's,
 * team + outcome (a residual filter), and a case-reference lookup (byCase). Measured at each size
 * in turn (default 10,000 then 100,000), so growth with table size shows directly.
 *
 *   npx tsx bench/records-query.ts [--sizes 10000,100000] [--iterations 300] [--budget-seconds 20]
 *
 * Note: Azurite keeps a table in LokiJS and answers every query by testing each entity of the
 * table against the filter, then sorting — O(table), unlike Azure Table storage, which seeks the
 * RowKey range. Timings here are an upper bound that grows with the table for that reason; the
 * store's own cost per page (round trips, rows read) is reported alongside and does not grow.
 */
import { performance } from 'node:perf_hooks';
import { DECISIONS, type DecisionCode } from '../src/domain/contract';
import type { NewRecord, RecordQuery } from '../src/storage/contract';
import { TableDecisionStore } from '../src/storage/decisionStore';
import { createTableClient } from '../src/storage/tableClients';
import { startAzurite } from '../test/support/azurite';

export interface RecordsQueryBenchOptions {
  /** Table sizes (records) to measure at, ascending. */
  sizes: number[];
  teams: number;
  practitioners: number;
  months: number;
  /** Records seeded concurrently. */
  concurrency: number;
  pageSize: number;
  /** Timed iterations per query kind (fewer if the time budget runs out first). */
  iterations: number;
  /** Upper bound on timing one query kind at one size. */
  budgetSeconds: number;
}

export const DEFAULT_RECORDS_BENCH: RecordsQueryBenchOptions = {
  sizes: [10_000, 100_000],
  teams: 20,
  practitioners: 200,
  months: 12,
  concurrency: 32,
  pageSize: 25,
  iterations: 300,
  budgetSeconds: 20,
};

export interface QueryTiming {
  size: number;
  kind: string;
  iterations: number;
  p50: number;
  p99: number;
  max: number;
  /** Rows returned by the last iteration (sanity check). */
  rows: number;
}

export interface SeedPhase {
  size: number;
  seconds: number;
  recordsPerSecond: number;
}

export interface RecordsQueryBenchResult {
  options: RecordsQueryBenchOptions;
  seeding: SeedPhase[];
  timings: QueryTiming[];
  totalSeconds: number;
}

const TENANT = '33333333-3333-4333-8333-333333333333';
const END = Date.parse('2026-11-01T00:00:00.000Z');

/** Small deterministic PRNG (mulberry32), so runs are comparable. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const teamId = (i: number) => `19:bench-team-${String(i).padStart(2, '0')}@thread.tacv2`;
const aadOf = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const caseOf = (i: number) => `BENCH-${i}`;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export async function runRecordsQueryBench(partial: Partial<RecordsQueryBenchOptions> = {}): Promise<RecordsQueryBenchResult> {
  const options = { ...DEFAULT_RECORDS_BENCH, ...partial };
  const sizes = [...options.sizes].sort((a, b) => a - b);
  const started = performance.now();
  const random = prng(42);
  const span = options.months * 30 * 24 * 3600_000;
  const azurite = await startAzurite();
  try {
    const client = createTableClient(azurite.connectionString, 'benchdecisions');
    await client.createTable();
    // Random times across the window: concurrent writers each take a fresh one.
    const store = new TableDecisionStore(client, { now: () => new Date(END - Math.floor(random() * span)), callTimeoutMs: 60_000 });
    const cases = Math.max(1, Math.floor(sizes[sizes.length - 1]! / 4));

    const makeRecord = (n: number): NewRecord => {
      const team = n % options.teams;
      return {
        idempotencyKey: `bench-${n}`,
        kind: 'decision',
        scope: { tenantId: TENANT, conversationId: `${teamId(team)};messageid=1`, conversationKind: 'channel', teamId: teamId(team), channelId: teamId(team) },
        decidedBy: { aadObjectId: aadOf(Math.floor(random() * options.practitioners)), name: `Practitioner ${n % options.practitioners}` },
        rulePackVersion: '2026.11',
        ruleId: 'R-BENCH',
        decision: DECISIONS[Math.floor(random() * DECISIONS.length)]!,
        answers: { q1: 'yes', q2: 'no', q3: 'unsure' },
        consentStatus: 'not_sought',
        reasonsWithoutConsent: 'Risk of significant harm to the child; seeking consent would place them at further risk.',
        recipientAgency: 'childrens_social_care',
        recipientRole: 'duty social worker',
        channel: 'secure_system',
        informationOutline: 'Concerns raised by the school about attendance and injuries.',
        subjectInformed: 'will_inform',
        caseReference: caseOf(Math.floor(random() * cases)),
        openFollowUps: ['inform_subject_later'],
      };
    };

    const seeding: SeedPhase[] = [];
    const timings: QueryTiming[] = [];
    let seeded = 0;
    for (const size of sizes) {
      const phaseStart = performance.now();
      const from = seeded;
      let next = seeded;
      let lastReport = performance.now();
      const worker = async () => {
        for (;;) {
          const n = next++;
          if (n >= size) return;
          await store.record(makeRecord(n));
          seeded++;
          if (performance.now() - lastReport > 10_000) {
            lastReport = performance.now();
            console.log(`  … ${seeded.toLocaleString('en-GB')} records (${Math.round((seeded - from) / ((lastReport - phaseStart) / 1000))}/s)`);
          }
        }
      };
      await Promise.all(Array.from({ length: options.concurrency }, worker));
      const seconds = (performance.now() - phaseStart) / 1000;
      seeding.push({ size, seconds, recordsPerSecond: (size - from) / seconds });
      console.log(`seeded ${(size - from).toLocaleString('en-GB')} records to ${size.toLocaleString('en-GB')} in ${seconds.toFixed(1)} s (${Math.round((size - from) / seconds)} records/s, ${options.concurrency} in flight)`);

      const kinds: Array<{ kind: string; run: () => Promise<number> }> = [
        { kind: 'recent, tenant-wide', run: () => page({ tenantId: TENANT }) },
        { kind: 'recent, by team', run: () => page({ tenantId: TENANT, teamId: teamId(Math.floor(random() * options.teams)) }) },
        { kind: 'recent, by outcome', run: () => page({ tenantId: TENANT, decision: pick(DECISIONS) }) },
        {
          kind: 'team + outcome (residual filter)',
          run: () => page({ tenantId: TENANT, teamId: teamId(Math.floor(random() * options.teams)), decision: pick(DECISIONS) }),
        },
        { kind: 'case lookup (byCase)', run: async () => (await store.byCase(TENANT, caseOf(Math.floor(random() * Math.min(cases, size / 4))))).length },
      ];
      const page = async (q: RecordQuery) => (await store.query(q, options.pageSize)).items.length;
      const pick = (codes: readonly DecisionCode[]) => codes[Math.floor(random() * codes.length)]!;

      for (const { kind, run } of kinds) {
        for (let i = 0; i < 5; i++) await run(); // warm-up
        const samples: number[] = [];
        let rows = 0;
        const deadline = performance.now() + options.budgetSeconds * 1000;
        while (samples.length < options.iterations && performance.now() < deadline) {
          const t0 = performance.now();
          rows = await run();
          samples.push(performance.now() - t0);
        }
        samples.sort((a, b) => a - b);
        const timing = { size, kind, iterations: samples.length, p50: percentile(samples, 50), p99: percentile(samples, 99), max: samples.at(-1)!, rows };
        timings.push(timing);
        console.log(`  ${kind.padEnd(34)} n=${String(timing.iterations).padStart(3)}  p50 ${timing.p50.toFixed(1)} ms  p99 ${timing.p99.toFixed(1)} ms`);
      }
    }
    return { options, seeding, timings, totalSeconds: (performance.now() - started) / 1000 };
  } finally {
    await azurite.stop();
  }
}

export function formatRecordsQueryBench(result: RecordsQueryBenchResult): string {
  const lines = [
    '',
    `Records query benchmark — first page of ${result.options.pageSize}, in-memory Azurite, one tenant, ${result.options.teams} teams, ${result.options.months} months`,
    '',
    '| records | query | iterations | p50 ms | p99 ms | max ms | rows |',
    '|--------:|-------|-----------:|-------:|-------:|-------:|-----:|',
    ...result.timings.map(
      (t) =>
        `| ${t.size.toLocaleString('en-GB')} | ${t.kind} | ${t.iterations} | ${t.p50.toFixed(1)} | ${t.p99.toFixed(1)} | ${t.max.toFixed(1)} | ${t.rows} |`,
    ),
    '',
    ...result.seeding.map((s) => `seeding to ${s.size.toLocaleString('en-GB')}: ${Math.round(s.recordsPerSecond)} records/s (${s.seconds.toFixed(1)} s)`),
    `total ${result.totalSeconds.toFixed(0)} s`,
  ];
  return lines.join('\n');
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (require.main === module) {
  const sizes = arg('sizes')?.split(',').map(Number);
  runRecordsQueryBench({
    ...(sizes ? { sizes } : {}),
    ...(arg('iterations') ? { iterations: Number(arg('iterations')) } : {}),
    ...(arg('budget-seconds') ? { budgetSeconds: Number(arg('budget-seconds')) } : {}),
  })
    .then((result) => console.log(formatRecordsQueryBench(result)))
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
