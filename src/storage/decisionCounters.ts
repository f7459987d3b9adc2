/**
 * Per-day counters of the `decisions` table, kept in the SAME entity-group transaction as each
 * record, so that a manager's summary reads O(days × shards) small rows whatever the number of
 * records (docs/storage-design.md, "Summary counters").
 *
 *   sum|all|{YYYYMMDD}|{shard}                 tenant-wide counts for one UTC day
 *   sum|team|{teamId}|{YYYYMMDD}|{shard}       the same for one Teams team (channel records only)
 *
 * A record adds to the row of its shard, read first and written back with the read's ETag (or
 * created when absent): two records that hit the same row at once make one transaction fail with
 * 412/409, and that record is written again with fresh reads. The Table store takes a shard no other
 * write of the same tenant in this process is using (ShardPicker), so concurrent records on one
 * instance do not collide at all; across instances a collision needs two records of one tenant in
 * the same few milliseconds and the same shard. Both stores build their counter writes here.
 */
import type { TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import { DECISIONS, type DecisionCode } from '../domain/contract';
import type { NewRecord, StoredRecord } from './contract';
import { tenantPartitionKey } from './decisionKeys';
import { encodeKeyPart } from './keys';

/** Rows per (scope, day): contention needs two concurrent records on the same shard. */
export const COUNTER_SHARDS = 8;
/** The longest span one counts read may cover (two 90-day periods fit, with room). */
export const MAX_COUNT_DAYS = 400;

/** Counter columns besides one per decision code (`d_{decision}`). */
const FIELDS = ['noConsent', 'withdrawn', 'urgent', 'urgentRecorded', 'reviewDue', 'reviewDone'] as const;
type Field = (typeof FIELDS)[number];
type Column = Field | `d_${DecisionCode}`;
const COLUMNS: readonly Column[] = [...FIELDS, ...DECISIONS.map((d) => `d_${d}` as const)];

/** What one UTC day's rows add up to (for one tenant, or one team). */
export interface DayCounts {
  /** YYYY-MM-DD (UTC). */
  day: string;
  /** Decisions recorded that day, by decision. */
  decisions: Record<DecisionCode, number>;
  /** Decisions to share recorded that day without consent obtained. */
  noConsent: number;
  /** Consent withdrawals recorded that day. */
  withdrawn: number;
  /** Urgent shares ("share now, record after") made that day … */
  urgent: number;
  /** … and how many of those have since been recorded as a decision. */
  urgentRecorded: number;
  /** Decisions whose "person not yet told" review date is this day … */
  reviewDue: number;
  /** … and how many of those have since had the follow-up recorded. */
  reviewDone: number;
}

/** Decisions that share: a share "without consent" is one of these with consent not obtained. */
const SHARING: ReadonlySet<DecisionCode> = new Set([
  'share_not_confidential_or_authorised',
  'share_legal_obligation',
  'share_without_consent_justified',
  'police_disclosure_scheme',
]);

/** Whether a decision leaves "the person not yet told" for review on its reviewBy date. */
const awaitsTelling = (r: Pick<NewRecord, 'subjectInformed' | 'reviewBy'>) =>
  r.reviewBy !== undefined && (r.subjectInformed === 'will_inform' || r.subjectInformed === 'not_informing');

/** The other records a record's counts depend on (read before the transaction). */
export interface CounterContext {
  parent?: StoredRecord;
  /** kind 'decision' with urgentEntryId: the urgent entry it records. */
  urgentEntry?: StoredRecord;
}

export async function counterContext(
  record: NewRecord,
  get: (id: string) => Promise<StoredRecord | undefined>,
): Promise<CounterContext> {
  const [parent, urgentEntry] = await Promise.all([
    record.parentId === undefined ? undefined : get(record.parentId),
    record.urgentEntryId === undefined ? undefined : get(record.urgentEntryId),
  ]);
  return { ...(parent ? { parent } : {}), ...(urgentEntry?.kind === 'urgent_share' ? { urgentEntry } : {}) };
}

const compactDay = (isoDayOrTime: string) => isoDayOrTime.slice(0, 10).replace(/-/g, '');

function shardOf(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return h % COUNTER_SHARDS;
}

/** RowKey prefix of one scope's counter rows: the tenant's, or one team's. */
export function counterPrefix(teamId?: string): string {
  return teamId === undefined ? 'sum|all|' : `sum|team|${encodeKeyPart(teamId)}|`;
}

/**
 * Hands out counter shards per tenant so that this process's concurrent writes use different rows:
 * with ETag-checked counters, two concurrent records on one shard cost one of them a full retry
 * (measured in the record benchmark: a quarter of the records at 10 concurrent writers, before).
 */
export class ShardPicker {
  private readonly busy = new Map<string, Set<number>>();

  /** A shard of `tenantId` not in use here (any, when all are), and the function that frees it. */
  take(tenantId: string): { shard: number; release: () => void } {
    let inUse = this.busy.get(tenantId);
    if (!inUse) this.busy.set(tenantId, (inUse = new Set()));
    const start = Math.floor(Math.random() * COUNTER_SHARDS);
    let shard = start;
    for (let i = 0; i < COUNTER_SHARDS; i++) {
      const candidate = (start + i) % COUNTER_SHARDS;
      if (!inUse.has(candidate)) {
        shard = candidate;
        break;
      }
    }
    const taken = !inUse.has(shard);
    if (taken) inUse.add(shard);
    const held = inUse;
    return {
      shard,
      release: () => {
        if (!taken) return;
        held.delete(shard);
        if (held.size === 0 && this.busy.get(tenantId) === held) this.busy.delete(tenantId);
      },
    };
  }
}

/**
 * What a record adds, per counter row (row key → column → increment), on `shard` (by default one
 * derived from the record's random id).
 */
export function counterIncrements(
  record: StoredRecord,
  ctx: CounterContext,
  shardNumber: number = shardOf(record.id),
): Map<string, Map<Column, number>> {
  const out = new Map<string, Map<Column, number>>();
  const shard = String(shardNumber).padStart(2, '0');
  const add = (of: Pick<StoredRecord, 'scope'>, day: string, column: Column) => {
    for (const prefix of [counterPrefix(), ...(of.scope.teamId ? [counterPrefix(of.scope.teamId)] : [])]) {
      const rowKey = `${prefix}${compactDay(day)}|${shard}`;
      const row = out.get(rowKey) ?? new Map<Column, number>();
      row.set(column, (row.get(column) ?? 0) + 1);
      out.set(rowKey, row);
    }
  };
  const today = record.recordedAt;
  if (record.kind === 'decision') {
    add(record, today, `d_${record.decision}`);
    if (SHARING.has(record.decision) && record.consentStatus !== 'sought_obtained') add(record, today, 'noConsent');
    if (awaitsTelling(record)) add(record, record.reviewBy!, 'reviewDue');
    if (ctx.urgentEntry) add(ctx.urgentEntry, ctx.urgentEntry.recordedAt, 'urgentRecorded');
    // Typed in personal chat, a withdrawal is in no team: it counts under its parent's (the decision
    // it withdraws), tenant-wide once either way.
  } else if (record.kind === 'consent_withdrawn') add(ctx.parent ?? record, today, 'withdrawn');
  else if (record.kind === 'urgent_share') add(record, today, 'urgent');
  else if (record.kind === 'follow_up_subject_informed' && ctx.parent && awaitsTelling(ctx.parent))
    add(ctx.parent, ctx.parent.reviewBy!, 'reviewDone');
  return out;
}

const counterRowSchema = z.looseObject({ rowKey: z.string(), etag: z.string().optional() });
type CounterRow = Record<string, unknown>;

/**
 * The row's counts, by column. A column that is not a count (nor absent) makes the row corrupt
 * (RangeError). Checked by hand, not with a schema per column: a 90-day summary reads 1,440 rows.
 */
function countsOf(row: CounterRow): { rowKey: string; etag?: string; counts: Map<Column, number> } {
  const { rowKey, etag } = counterRowSchema.parse(row);
  const counts = new Map<Column, number>();
  for (const column of COLUMNS) {
    const value = row[column];
    if (value !== undefined && !(Number.isSafeInteger(value) && (value as number) >= 0))
      throw new RangeError(`counter column ${column} is not a count`);
    counts.set(column, (value as number | undefined) ?? 0);
  }
  return { rowKey, ...(etag !== undefined ? { etag } : {}), counts };
}

/**
 * The transaction actions that apply `increments` to the rows as they were read (`current`: row
 * key → entity, absent when the row does not exist yet): create, or replace on the read's ETag.
 */
export function counterActions(
  tenantId: string,
  increments: Map<string, Map<Column, number>>,
  current: ReadonlyMap<string, CounterRow | undefined>,
): TransactionAction[] {
  const partitionKey = tenantPartitionKey(tenantId);
  const actions: TransactionAction[] = [];
  for (const [rowKey, add] of increments) {
    const existing = current.get(rowKey);
    const base = existing ? countsOf(existing) : undefined;
    const values: Record<string, number> = {};
    for (const column of COLUMNS) {
      const value = (base?.counts.get(column) ?? 0) + (add.get(column) ?? 0);
      if (value > 0) values[column] = value;
    }
    const entity = { partitionKey, rowKey, entityKind: 'sum', ...values };
    actions.push(base ? ['update', entity, 'Replace', { etag: base.etag ?? '*' }] : ['create', entity]);
    // A team's row is listed under its day, so the retention purge finds every team row of an
    // expired day without scanning all teams' rows (an upsert: no ETag, nothing to contend for).
    const [, scope, team, day] = rowKey.split('|');
    if (scope === 'team') {
      actions.push([
        'upsert',
        { partitionKey, rowKey: `${DAY_LIST_PREFIX}${day}|${team}`, entityKind: 'sumday' },
        'Replace',
      ]);
    }
  }
  return actions;
}

/** `sum|days|{YYYYMMDD}|{encoded team id}`: which teams have counter rows on a day (for the purge). */
const DAY_LIST_PREFIX = 'sum|days|';

/**
 * What the retention purge deletes for a cutoff: the counter rows of every UTC day wholly before
 * the cutoff's own day (that day may still count retained records, so it stays until the next
 * day's run). Tenant rows are one RowKey range; team rows are found through the day lists.
 */
export function expiredCounterRanges(cutoff: Date): {
  tenantRows: { ge: string; lt: string };
  dayLists: { ge: string; lt: string };
  /** The RowKey range of one team's rows on one day, from its day-list row key. */
  teamRowsOf(dayListRowKey: string): { ge: string; lt: string };
} {
  const day = compactDay(cutoff.toISOString());
  return {
    tenantRows: { ge: counterPrefix(), lt: `${counterPrefix()}${day}` },
    dayLists: { ge: DAY_LIST_PREFIX, lt: `${DAY_LIST_PREFIX}${day}` },
    teamRowsOf(dayListRowKey) {
      const [, , listDay, team] = dayListRowKey.split('|');
      const prefix = `sum|team|${team}|${listDay}|`;
      return { ge: prefix, lt: `${prefix.slice(0, -1)}}` };
    },
  };
}

/** [ge, lt) of one scope's counter rows for days in [from, to) (YYYY-MM-DD). */
export function counterRange(from: string, to: string, teamId?: string): { ge: string; lt: string } {
  const prefix = counterPrefix(teamId);
  return { ge: prefix + compactDay(from), lt: prefix + compactDay(to) };
}

/** Validates a counts request; throws RangeError when the days are not a span of at most MAX_COUNT_DAYS. */
export function checkedSpan(from: string, to: string): void {
  const ok = (d: string) => /^\d{4}-\d{2}-\d{2}$/.test(d) && !Number.isNaN(Date.parse(d));
  if (!ok(from) || !ok(to)) throw new RangeError('from and to must be YYYY-MM-DD days');
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
  if (days < 0 || days > MAX_COUNT_DAYS) throw new RangeError(`a counts span is 0 to ${MAX_COUNT_DAYS} days`);
}

/** Adds counter rows (any shard, scan order) up into one DayCounts per day that has any, oldest first. */
export function daysFromRows(rows: readonly Record<string, unknown>[]): DayCounts[] {
  const days = new Map<string, DayCounts>();
  for (const raw of rows) {
    const row = countsOf(raw);
    const compact = row.rowKey.split('|').at(-2) ?? '';
    const day = `${compact.slice(0, 4)}-${compact.slice(4, 6)}-${compact.slice(6, 8)}`;
    const counts = days.get(day) ?? emptyDay(day);
    for (const column of COLUMNS) {
      const value = row.counts.get(column) ?? 0;
      if (column.startsWith('d_')) counts.decisions[column.slice(2) as DecisionCode] += value;
      else counts[column as Field] += value;
    }
    days.set(day, counts);
  }
  return [...days.values()].sort((a, b) => a.day.localeCompare(b.day));
}

function emptyDay(day: string): DayCounts {
  const decisions = Object.fromEntries(DECISIONS.map((d) => [d, 0])) as Record<DecisionCode, number>;
  return { day, decisions, noConsent: 0, withdrawn: 0, urgent: 0, urgentRecorded: 0, reviewDue: 0, reviewDone: 0 };
}
