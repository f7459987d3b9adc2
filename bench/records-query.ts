/**
 * Records query benchmark: how long the first page of a manager's list takes as the table grows.
 *
 * Seeds decisions directly through TableDecisionStore (one tenant, ~20 teams, 12 months, 200
 * practitioners, ~4 entries per case), 32 in flight, then times the first page (25 rows) of: the
 * tenant's recent decisions, one team's, one outcome's, team + outcome (a residual filter), and a
 * case-reference lookup (byCase), at each size in turn so that growth with table size shows.
 *
 *   npx tsx bench/records-query.ts [--azurite-sizes 1000,2000] [--sizes 10000,100000] [--iterations 300]
 *                                  [--summary-records 1000000]
 *
 * First, the team summary (issue 16): per-day counter rows for 1,000,000 records' worth, seeded
 * directly (see counterSeed), then the summary's one range read timed for 90 and 30 days and for
 * one team — on the sorted table with every team's rows, and on Azurite with the tenant's and one
 * team's rows (Azurite slows quadratically with a partition's size).
 *
 * Two backends, because Azurite cannot hold this benchmark at 100,000 records:
 *
 *  - azurite: the real SDK over HTTP to in-memory Azurite (test/support/azurite.ts). Azurite keeps
 *    a table in LokiJS; an insert checks for an existing key by scanning the partition and a query
 *    tests every entity of the table, then sorts — so in one tenant's partition seeding slows
 *    quadratically (≈ 90 records/s at first, under 10/s by 5,000 records) and each query costs
 *    O(table). Azure Table storage seeks the RowKey range instead. So Azurite is measured only at
 *    small sizes, for the end-to-end cost of a round trip (HTTP, SDK, JSON, validation).
 *  - sorted: the same TableDecisionStore over an in-process table that stores each partition
 *    sorted by RowKey and answers a filter the way the service does — seek to the RowKey range,
 *    test the residual conditions row by row, at most 1,000 rows per response, continuation
 *    tokens — and counts the entities it examines. No network: it measures the store's own work
 *    and shows whether that grows with the table (it should not: O(page)).
 */
import { performance } from 'node:perf_hooks';
import { RestError, type TableClient, type TransactionAction } from '@azure/data-tables';
import { DECISIONS } from '../src/domain/contract';
import type { NewRecord, RecordQuery } from '../src/storage/contract';
import { TableDecisionStore } from '../src/storage/decisionStore';
import { COUNTER_SHARDS, counterActions, counterPrefix } from '../src/storage/decisionCounters';
import { teamSummary } from '../src/storage/teamSummary';
import { createTableClient } from '../src/storage/tableClients';
import { startAzurite } from '../test/support/azurite';

export interface RecordsQueryBenchOptions {
  /** Sizes (records) to measure at on the in-process sorted table, ascending. */
  sizes: number[];
  /** Sizes to measure at on Azurite (keep small: Azurite seeding is quadratic in one partition). */
  azuriteSizes: number[];
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
  /** Team summary: how many records' worth of per-day counter rows to seed (over `months`, all teams). */
  summaryRecords: number;
}

export const DEFAULT_RECORDS_BENCH: RecordsQueryBenchOptions = {
  sizes: [10_000, 100_000],
  azuriteSizes: [1_000, 2_000],
  teams: 20,
  practitioners: 200,
  months: 12,
  concurrency: 32,
  pageSize: 25,
  iterations: 300,
  budgetSeconds: 20,
  summaryRecords: 1_000_000,
};

export type Backend = 'azurite' | 'sorted';

export interface QueryTiming {
  backend: Backend;
  size: number;
  kind: string;
  iterations: number;
  p50: number;
  p99: number;
  max: number;
  /** Rows returned by the last iteration (sanity check). */
  rows: number;
  /** Sorted backend only: mean entities the table examined per query (the service's work). */
  examined?: number;
}

export interface SeedPhase {
  backend: Backend;
  size: number;
  seconds: number;
  recordsPerSecond: number;
}

export interface SummaryTiming {
  backend: Backend;
  /** Counter rows in the table (what the summary reads a bounded slice of). */
  counterRows: number;
  /** How many records those rows count. */
  recordsCounted: number;
  kind: string;
  iterations: number;
  p50: number;
  p99: number;
  max: number;
  /** Decisions the summary's current period counted (sanity check against the seed). */
  decisions: number;
  expectedDecisions: number;
  examined?: number;
}

export interface RecordsQueryBenchResult {
  options: RecordsQueryBenchOptions;
  seeding: SeedPhase[];
  timings: QueryTiming[];
  summary: SummaryTiming[];
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

export async function runRecordsQueryBench(
  partial: Partial<RecordsQueryBenchOptions> = {},
): Promise<RecordsQueryBenchResult> {
  const options = { ...DEFAULT_RECORDS_BENCH, ...partial };
  const started = performance.now();
  const seeding: SeedPhase[] = [];
  const timings: QueryTiming[] = [];
  const summary: SummaryTiming[] = [];

  if (options.summaryRecords > 0) {
    console.log(`— team summary over ${options.summaryRecords.toLocaleString('en-GB')} records' worth of counter rows`);
    const table = new SortedTable('benchsummary');
    await runSummary('sorted', table as unknown as TableClient, table, 'all', options, summary);
    const azurite = await startAzurite();
    try {
      const client = createTableClient(azurite.connectionString, 'benchsummary');
      await client.createTable();
      await runSummary('azurite', client, undefined, 'one team', options, summary);
    } finally {
      await azurite.stop();
    }
  }

  if (options.azuriteSizes.length) {
    const azurite = await startAzurite();
    try {
      const client = createTableClient(azurite.connectionString, 'benchdecisions');
      await client.createTable();
      console.log('— azurite (SDK over HTTP, in-memory Azurite)');
      await runBackend('azurite', client, undefined, options.azuriteSizes, options, seeding, timings);
    } finally {
      await azurite.stop();
    }
  }
  if (options.sizes.length) {
    const table = new SortedTable('benchdecisions');
    console.log('— sorted (same store, in-process table that seeks RowKey ranges like the service)');
    await runBackend('sorted', table as unknown as TableClient, table, options.sizes, options, seeding, timings);
  }
  return { options, seeding, timings, summary, totalSeconds: (performance.now() - started) / 1000 };
}

const DAY_MS = 86_400_000;

/**
 * The summary's counter rows for `records` decisions, seeded DIRECTLY (not record by record: a
 * million records would take hours to write here, and the summary reads only the counters): each
 * imagined record n falls on day n mod D of the window, into shard ⌊n / D⌋ mod 8, and has
 * decision ⌊n / 7⌋ mod 9, and is added to its day's tenant row and team row exactly as the store
 * would; its team is ⌊n / 8D⌋ mod T, so each team has records on every day and shard. The rows
 * are built by the store's own counterActions, so their layout is the real one.
 * `teams: 'one team'` keeps the tenant rows and team 0's only (Azurite slows quadratically with a
 * partition's size); the rows a summary reads are the same either way.
 */
function counterSeed(
  records: number,
  days: number,
  teams: number,
  which: 'all' | 'one team',
): { batches: TransactionAction[][]; rows: number; byDay: Map<string, number>; team0ByDay: Map<string, number> } {
  const increments = new Map<string, Map<string, number>>();
  const byDay = new Map<string, number>();
  const team0ByDay = new Map<string, number>();
  const end = END - DAY_MS; // the last day of the window
  const add = (rowKey: string, column: string) => {
    const row = increments.get(rowKey) ?? new Map<string, number>();
    row.set(column, (row.get(column) ?? 0) + 1);
    increments.set(rowKey, row);
  };
  for (let n = 0; n < records; n++) {
    const day = new Date(end - (n % days) * DAY_MS).toISOString().slice(0, 10);
    const compact = day.replace(/-/g, '');
    const shard = String(Math.floor(n / days) % COUNTER_SHARDS).padStart(2, '0');
    const team = Math.floor(n / (days * COUNTER_SHARDS)) % teams;
    const column = `d_${DECISIONS[Math.floor(n / 7) % DECISIONS.length]}`;
    byDay.set(day, (byDay.get(day) ?? 0) + 1);
    if (team === 0) team0ByDay.set(day, (team0ByDay.get(day) ?? 0) + 1);
    add(`${counterPrefix()}${compact}|${shard}`, column);
    if (n % 3 === 0) add(`${counterPrefix()}${compact}|${shard}`, 'noConsent');
    if (which === 'all' || team === 0) add(`${counterPrefix(teamId(team))}${compact}|${shard}`, column);
  }
  const actions = counterActions(TENANT, increments as Parameters<typeof counterActions>[1], new Map());
  const batches: TransactionAction[][] = [];
  for (let i = 0; i < actions.length; i += 100) batches.push(actions.slice(i, i + 100));
  return { batches, rows: actions.length, byDay, team0ByDay };
}

async function runSummary(
  backend: Backend,
  client: TableClient,
  sorted: SortedTable | undefined,
  which: 'all' | 'one team',
  options: RecordsQueryBenchOptions,
  out: SummaryTiming[],
): Promise<void> {
  const days = options.months * 30;
  const seedStart = performance.now();
  const { batches, rows, byDay, team0ByDay } = counterSeed(options.summaryRecords, days, options.teams, which);
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < batches.length) await client.submitTransaction(batches[next++]!);
    }),
  );
  console.log(
    `  ${backend}: seeded ${rows.toLocaleString('en-GB')} counter rows (${which === 'all' ? `tenant + ${options.teams} teams` : 'tenant + 1 team'}) in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
  );
  const store = new TableDecisionStore(client, { callTimeoutMs: 60_000 });
  const now = new Date(END - DAY_MS + 12 * 3600_000);
  const expected = (span: number, counts: Map<string, number>) => {
    let sum = 0;
    for (let d = 0; d < span; d++)
      sum += counts.get(new Date(END - DAY_MS - d * DAY_MS).toISOString().slice(0, 10)) ?? 0;
    return sum;
  };
  const kinds = [
    { kind: 'summary 90 days, tenant-wide', days: 90, teamId: undefined, counts: byDay },
    { kind: 'summary 30 days, tenant-wide', days: 30, teamId: undefined, counts: byDay },
    { kind: 'summary 90 days, one team', days: 90, teamId: teamId(0), counts: team0ByDay },
  ];
  for (const k of kinds) {
    const run = () =>
      teamSummary(store, {
        tenantId: TENANT,
        days: k.days,
        now,
        retentionDays: 2557,
        ...(k.teamId ? { teamId: k.teamId } : {}),
      });
    for (let i = 0; i < 5; i++) await run(); // warm-up
    if (sorted) sorted.examined = 0;
    const samples: number[] = [];
    let decisions = 0;
    const deadline = performance.now() + options.budgetSeconds * 1000;
    while (samples.length < options.iterations && performance.now() < deadline) {
      const t0 = performance.now();
      decisions = (await run()).current.totalDecisions;
      samples.push(performance.now() - t0);
    }
    samples.sort((a, b) => a - b);
    const timing: SummaryTiming = {
      backend,
      counterRows: rows,
      recordsCounted: options.summaryRecords,
      kind: k.kind,
      iterations: samples.length,
      p50: percentile(samples, 50),
      p99: percentile(samples, 99),
      max: samples.at(-1)!,
      decisions,
      expectedDecisions: expected(k.days, k.counts),
      ...(sorted ? { examined: sorted.examined / samples.length } : {}),
    };
    out.push(timing);
    console.log(
      `  ${k.kind.padEnd(30)} n=${String(timing.iterations).padStart(3)}  p50 ${timing.p50.toFixed(2)} ms  p99 ${timing.p99.toFixed(2)} ms  decisions ${decisions} (expected ${timing.expectedDecisions})${timing.examined === undefined ? '' : `  rows examined/query ${timing.examined.toFixed(0)}`}`,
    );
  }
}

async function runBackend(
  backend: Backend,
  client: TableClient,
  sorted: SortedTable | undefined,
  sizesIn: number[],
  options: RecordsQueryBenchOptions,
  seeding: SeedPhase[],
  timings: QueryTiming[],
): Promise<void> {
  const sizes = [...sizesIn].sort((a, b) => a - b);
  const random = prng(42);
  const span = options.months * 30 * 24 * 3600_000;
  // Random times across the window: concurrent writers each take a fresh one.
  const store = new TableDecisionStore(client, {
    now: () => new Date(END - Math.floor(random() * span)),
    callTimeoutMs: 60_000,
  });
  const cases = Math.max(1, Math.floor(sizes[sizes.length - 1]! / 4));
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  /** Case references actually written, so every lookup is of a real case. */
  const seededCases: string[] = [];

  const remember = (caseRef: string) => {
    seededCases.push(caseRef);
    return caseRef;
  };
  const makeRecord = (n: number): NewRecord => {
    const team = n % options.teams;
    return {
      idempotencyKey: `bench-${n}`,
      kind: 'decision',
      scope: {
        tenantId: TENANT,
        conversationId: `${teamId(team)};messageid=1`,
        conversationKind: 'channel',
        teamId: teamId(team),
        channelId: teamId(team),
      },
      decidedBy: {
        aadObjectId: aadOf(Math.floor(random() * options.practitioners)),
        name: `Practitioner ${n % options.practitioners}`,
      },
      rulePackVersion: '2026.11',
      ruleId: 'R-BENCH',
      decision: pick(DECISIONS),
      answers: { q1: 'yes', q2: 'no', q3: 'unsure' },
      consentStatus: 'not_sought',
      reasonsWithoutConsent: 'Risk of significant harm to the child; seeking consent would place them at further risk.',
      recipientAgency: 'childrens_social_care',
      recipientRole: 'duty social worker',
      channel: 'secure_system',
      informationOutline: 'Concerns raised by the school about attendance and injuries.',
      subjectInformed: 'will_inform',
      caseReference: remember(caseOf(Math.floor(random() * cases))),
      openFollowUps: ['inform_subject_later'],
    };
  };

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
          console.log(
            `  … ${seeded.toLocaleString('en-GB')} records (${Math.round((seeded - from) / ((lastReport - phaseStart) / 1000))}/s)`,
          );
        }
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    const seconds = (performance.now() - phaseStart) / 1000;
    seeding.push({ backend, size, seconds, recordsPerSecond: (size - from) / seconds });
    console.log(
      `  seeded ${(size - from).toLocaleString('en-GB')} records (table now ${size.toLocaleString('en-GB')}) in ${seconds.toFixed(1)} s: ${Math.round((size - from) / seconds)} records/s, ${options.concurrency} in flight`,
    );

    const page = async (q: RecordQuery) => (await store.query(q, options.pageSize)).items.length;
    const kinds: Array<{ kind: string; run: () => Promise<number> }> = [
      { kind: 'recent, tenant-wide', run: () => page({ tenantId: TENANT }) },
      {
        kind: 'recent, by team',
        run: () => page({ tenantId: TENANT, teamId: teamId(Math.floor(random() * options.teams)) }),
      },
      { kind: 'recent, by outcome', run: () => page({ tenantId: TENANT, decision: pick(DECISIONS) }) },
      {
        kind: 'team + outcome (residual filter)',
        run: () =>
          page({ tenantId: TENANT, teamId: teamId(Math.floor(random() * options.teams)), decision: pick(DECISIONS) }),
      },
      { kind: 'case lookup (byCase)', run: async () => (await store.byCase(TENANT, pick(seededCases))).length },
    ];
    for (const { kind, run } of kinds) {
      for (let i = 0; i < 5; i++) await run(); // warm-up
      const samples: number[] = [];
      let rows = 0;
      if (sorted) sorted.examined = 0;
      const deadline = performance.now() + options.budgetSeconds * 1000;
      while (samples.length < options.iterations && performance.now() < deadline) {
        const t0 = performance.now();
        rows = await run();
        samples.push(performance.now() - t0);
      }
      samples.sort((a, b) => a - b);
      const timing: QueryTiming = {
        backend,
        size,
        kind,
        iterations: samples.length,
        p50: percentile(samples, 50),
        p99: percentile(samples, 99),
        max: samples.at(-1)!,
        rows,
        ...(sorted ? { examined: sorted.examined / samples.length } : {}),
      };
      timings.push(timing);
      console.log(
        `  ${kind.padEnd(34)} n=${String(timing.iterations).padStart(3)}  p50 ${timing.p50.toFixed(2)} ms  p99 ${timing.p99.toFixed(2)} ms${timing.examined === undefined ? '' : `  examined/query ${timing.examined.toFixed(0)}`}`,
      );
    }
  }
}

type Entity = Record<string, unknown> & { partitionKey: string; rowKey: string };

/**
 * The subset of TableClient the store uses, over partitions kept sorted by RowKey: a filtered list
 * seeks to the RowKey lower bound (binary search) and walks forward — which is how Azure Table
 * storage serves a PartitionKey + RowKey range — testing residual `eq` conditions per row. Results
 * go through JSON like the wire format does. Sorting is deferred to the first read after writes,
 * so seeding stays cheap.
 */
class SortedTable {
  examined = 0;
  private writes = 0;
  private readonly partitions = new Map<string, { rows: Entity[]; byKey: Map<string, Entity>; dirty: boolean }>();

  constructor(readonly tableName: string) {}

  async createTable(): Promise<void> {}

  /** Creates, Replace updates conditional on the ETag and upserts (the summary counters): all or nothing. */
  async submitTransaction(actions: TransactionAction[]): Promise<void> {
    const ops = actions.map((a) => {
      if (a[0] === 'delete') throw new Error('SortedTable does not delete');
      const entity = JSON.parse(JSON.stringify(a[1])) as Entity;
      return {
        kind: a[0],
        entity,
        etag: a[0] === 'update' ? (a[3] as { etag?: string } | undefined)?.etag : undefined,
      };
    });
    for (const { kind, entity, etag } of ops) {
      const existing = this.partition(entity.partitionKey).byKey.get(entity.rowKey);
      if (kind === 'create' && existing)
        throw new RestError('The specified entity already exists.', { statusCode: 409 });
      if (kind === 'update' && (!existing || (etag !== '*' && existing.etag !== etag)))
        throw new RestError('The update condition specified in the request was not satisfied.', { statusCode: 412 });
    }
    for (const { entity } of ops) this.put(entity);
    await Promise.resolve();
  }

  /** Writes one row (a new ETag each time); a new row marks the partition for sorting. */
  put(entity: Entity): void {
    const p = this.partition(entity.partitionKey);
    entity.etag = `W/"${++this.writes}"`;
    const existing = p.byKey.get(entity.rowKey);
    if (existing) {
      for (const key of Object.keys(existing)) delete existing[key];
      Object.assign(existing, entity);
      return;
    }
    p.byKey.set(entity.rowKey, entity);
    p.rows.push(entity);
    p.dirty = true;
  }

  async getEntity(partitionKey: string, rowKey: string): Promise<Entity> {
    const e = this.partitions.get(partitionKey)?.byKey.get(rowKey);
    if (!e) throw new RestError('The specified resource does not exist.', { statusCode: 404 });
    return JSON.parse(JSON.stringify(e)) as Entity;
  }

  listEntities(options: { queryOptions?: { filter?: string } }) {
    const conditions = parseFilter(options.queryOptions?.filter ?? '');
    return {
      byPage: (settings: { maxPageSize?: number; continuationToken?: string }) => {
        let token = settings.continuationToken;
        let done = false;
        return {
          next: async () => {
            if (done) return { done: true as const, value: undefined };
            const page = this.page(conditions, Math.min(settings.maxPageSize ?? 1000, 1000), token);
            token = page.continuationToken;
            done = token === undefined;
            return {
              done: false as const,
              value: Object.assign(page.rows, { continuationToken: page.continuationToken }),
            };
          },
        };
      },
    };
  }

  private partition(pk: string) {
    let p = this.partitions.get(pk);
    if (!p) this.partitions.set(pk, (p = { rows: [], byKey: new Map(), dirty: false }));
    return p;
  }

  private page(conditions: Condition[], max: number, token?: string): { rows: Entity[]; continuationToken?: string } {
    const pk = conditions.find((c) => c.field === 'PartitionKey' && c.op === 'eq')?.value;
    if (pk === undefined) throw new Error('SortedTable needs a PartitionKey eq condition');
    const p = this.partitions.get(pk);
    if (!p) return { rows: [] };
    if (p.dirty) {
      p.rows.sort((a, b) => (a.rowKey < b.rowKey ? -1 : a.rowKey > b.rowKey ? 1 : 0));
      p.dirty = false;
    }
    const rk = conditions.filter((c) => c.field === 'RowKey');
    const residual = conditions.filter((c) => c.field !== 'RowKey' && c.field !== 'PartitionKey');
    // The service seeks to the range start (or the continuation point) and walks forward.
    let lower = token ?? '';
    for (const c of rk) if ((c.op === 'ge' || c.op === 'gt') && c.value > lower) lower = c.value;
    const rows: Entity[] = [];
    for (let i = lowerBound(p.rows, lower); i < p.rows.length; i++) {
      const e = p.rows[i]!;
      if (rk.some((c) => (c.op === 'lt' && e.rowKey >= c.value) || (c.op === 'le' && e.rowKey > c.value)))
        return { rows };
      this.examined++;
      if (rk.some((c) => c.op === 'gt' && e.rowKey <= c.value)) continue;
      if (residual.every((c) => String(e[c.field]) === c.value)) {
        if (rows.length === max) return { rows, continuationToken: e.rowKey };
        rows.push(JSON.parse(JSON.stringify(e)) as Entity);
      }
    }
    return { rows };
  }
}

interface Condition {
  field: string;
  op: 'eq' | 'ge' | 'gt' | 'lt' | 'le';
  value: string;
}

/** Parses what the store sends: `Field op 'value'` clauses joined by ` and ` (values are odata-escaped). */
function parseFilter(filter: string): Condition[] {
  const clause = /\s*(\w+) (eq|ge|gt|lt|le) '((?:[^']|'')*)'\s*(?:and|$)/gy;
  const out: Condition[] = [];
  let m: RegExpExecArray | null;
  while ((m = clause.exec(filter)) !== null) {
    out.push({ field: m[1]!, op: m[2] as Condition['op'], value: m[3]!.replace(/''/g, "'") });
    if (clause.lastIndex >= filter.length) break;
  }
  if (clause.lastIndex < filter.length && out.length === 0)
    throw new Error(`SortedTable cannot parse filter: ${filter}`);
  return out;
}

function lowerBound(rows: Entity[], key: string): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid]!.rowKey < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function formatRecordsQueryBench(result: RecordsQueryBenchResult): string {
  const o = result.options;
  const lines = [
    '',
    `Records query benchmark — first page of ${o.pageSize} rows; one tenant, ${o.teams} teams, ${o.practitioners} practitioners, ${o.months} months`,
    '',
    '| backend | records | query | n | p50 ms | p99 ms | max ms | rows | entities examined/query |',
    '|---------|--------:|-------|--:|-------:|-------:|-------:|-----:|------------------------:|',
    ...result.timings.map(
      (t) =>
        `| ${t.backend} | ${t.size.toLocaleString('en-GB')} | ${t.kind} | ${t.iterations} | ${t.p50.toFixed(2)} | ${t.p99.toFixed(2)} | ${t.max.toFixed(2)} | ${t.rows} | ${t.examined === undefined ? '—' : t.examined.toFixed(0)} |`,
    ),
    '',
    ...result.seeding.map(
      (s) =>
        `seeding (${s.backend}) up to ${s.size.toLocaleString('en-GB')} records: ${Math.round(s.recordsPerSecond).toLocaleString('en-GB')} records/s (${s.seconds.toFixed(1)} s)`,
    ),
    '',
    `Team summary — this period and the previous one from the per-day counters of ${o.summaryRecords.toLocaleString('en-GB')} records (${o.months} months, ${o.teams} teams), seeded directly`,
    '',
    '| backend | counter rows | query | n | p50 ms | p99 ms | max ms | decisions counted (expected) | rows examined/query |',
    '|---------|-------------:|-------|--:|-------:|-------:|-------:|-----------------------------:|--------------------:|',
    ...result.summary.map(
      (t) =>
        `| ${t.backend} | ${t.counterRows.toLocaleString('en-GB')} | ${t.kind} | ${t.iterations} | ${t.p50.toFixed(2)} | ${t.p99.toFixed(2)} | ${t.max.toFixed(2)} | ${t.decisions} (${t.expectedDecisions}) | ${t.examined === undefined ? '—' : t.examined.toFixed(0)} |`,
    ),
    '',
    `total ${result.totalSeconds.toFixed(0)} s`,
  ];
  return lines.join('\n');
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

if (require.main === module) {
  const list = (name: string) => arg(name)?.split(',').filter(Boolean).map(Number);
  const sizes = list('sizes');
  const azuriteSizes = list('azurite-sizes');
  runRecordsQueryBench({
    ...(sizes ? { sizes } : {}),
    ...(azuriteSizes ? { azuriteSizes } : {}),
    ...(arg('iterations') ? { iterations: Number(arg('iterations')) } : {}),
    ...(arg('budget-seconds') ? { budgetSeconds: Number(arg('budget-seconds')) } : {}),
    ...(arg('summary-records') ? { summaryRecords: Number(arg('summary-records')) } : {}),
  })
    .then((result) => console.log(formatRecordsQueryBench(result)))
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    });
}
