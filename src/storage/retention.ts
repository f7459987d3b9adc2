/**
 * Retention purge on Table storage: deletes decision records (with every index row and their
 * idempotency marker) and audit entries recorded before a cutoff (docs/storage-design.md, "Retention").
 *
 * Cost is O(tenants + expired), never O(table):
 *  - Tenants are enumerated with a *skip scan* of the PartitionKeys: "the first row whose
 *    PartitionKey is greater than the last tenant seen", one tiny query (`$top=1`, PartitionKey
 *    only) per tenant. No registry to keep in step, no cost on the recording hot path, and tenants
 *    that recorded before this code existed are found too.
 *  - Per tenant, the `all|{inv}|{id}` index is newest first, so every record older than the cutoff
 *    lies in one RowKey range: [`all|{inv(cutoff − 1)}`, `all}`). The same holds for audit RowKeys.
 *
 * Each record goes in ONE entity-group transaction (record row, idempotency marker and every index
 * row share the tenant's partition), so a crash never leaves a partial record. A delete of a row
 * that is already gone fails the whole transaction with 404 (another purger got there first, or a
 * row was removed by hand); the purger then reads which rows still exist and deletes exactly those.
 *
 * Retention is per entry, by its own recordedAt: a follow-up younger than the cutoff stays even if
 * its parent decision is purged (so a case's chain can outlive its first decision).
 *
 * Logs carry counts, record ids and partition keys only — never record content.
 */
import { odata, type TableClient, type TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import type { RetentionPurge, StoredRecord } from './contract';
import {
  idempotencyRowKey,
  indexPrefix,
  indexRange,
  indexRowKeys,
  recordRowKey,
  urgentLinkRowKey,
} from './decisionKeys';
import { expiredCounterRanges } from './decisionCounters';
import { describeRow, recordFromEntity } from './decisionEntities';
import { CorruptEntityError } from './errors';
import { invertedMillis, normaliseCaseReference } from './keys';
import { TableStore, type Entity, type TableStoreOptions } from './tableStore';
import { pool } from '../util/pool';

export interface RetentionPurgeOptions extends TableStoreOptions {
  /** Records deleted at once (each its own transaction). */
  concurrency?: number;
  /** Rows read per page of an expired range. */
  pageSize?: number;
}

export interface PurgeLimits {
  /** Records examined per run at most (the rest are left for the next run). */
  maxRecords: number;
  /** Audit entries deleted per run at most. */
  maxAuditEntries: number;
  /** Checked between records: stop early (app shutdown, lease lost). */
  signal?: AbortSignal;
}

export interface PurgeCounts {
  /** ISO-8601: everything recorded strictly before this instant was due for deletion. */
  cutoff: string;
  /** Tenant partitions visited (decisions and audit tables together, distinct). */
  tenants: number;
  /** Records whose rows this purger deleted (the transaction committed). */
  recordsDeleted: number;
  /** Rows deleted: record rows, index rows and idempotency markers. */
  rowsDeleted: number;
  /** Expired records whose rows were already gone (another purger deleted them first). */
  recordsAlreadyGone: number;
  /** Expired index rows that could not be read (logged by location) and were left in place. */
  corruptSkipped: number;
  auditEntriesDeleted: number;
  /** Team-summary counter rows deleted (days wholly before the cutoff's day). */
  counterRowsDeleted: number;
  /** A limit was reached or the run was stopped: more may be expired (the next run continues). */
  truncated: boolean;
}

/** Azure: ≤ 100 operations per entity-group transaction. */
const MAX_TRANSACTION_OPS = 100;
/** Summary counter rows deleted per tenant per run at most (a year of 20 teams is ≈ 60,000). */
const MAX_COUNTER_ROWS_PER_RUN = 20_000;
/** Attempts at one record's transaction when rows vanish under us (each retry re-reads what exists). */
const DELETE_ATTEMPTS = 4;

const caseKeysColumn = z.array(z.string().min(1)).max(10);

/** Works on two tables: `client` (the base's) is the decisions table; audit is the other. */
export class TableRetentionPurge extends TableStore implements RetentionPurge {
  private readonly concurrency: number;
  private readonly pageSize: number;

  constructor(
    private readonly tables: { decisions: TableClient; audit: TableClient },
    options: RetentionPurgeOptions = {},
  ) {
    super(tables.decisions, options);
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.pageSize = Math.min(1000, Math.max(1, options.pageSize ?? 100));
  }

  /** Deletes every record and audit entry recorded before `cutoff`, within `limits`. */
  async purge(cutoff: Date, limits: PurgeLimits): Promise<PurgeCounts> {
    const cutoffMs = cutoff.getTime();
    if (!Number.isFinite(cutoffMs)) throw new RangeError('cutoff must be a valid date');
    const counts: PurgeCounts = {
      cutoff: cutoff.toISOString(),
      tenants: 0,
      recordsDeleted: 0,
      rowsDeleted: 0,
      recordsAlreadyGone: 0,
      corruptSkipped: 0,
      auditEntriesDeleted: 0,
      counterRowsDeleted: 0,
      truncated: false,
    };
    const tenants = new Set<string>();
    const stopped = () => limits.signal?.aborted === true;

    const pass = { tenants, counts, stopped };
    const budget = await this.eachTenant(
      this.tables.decisions,
      'list decision tenants',
      limits.maxRecords,
      pass,
      async (partitionKey, left) => {
        const examined = await this.purgeTenantRecords(partitionKey, cutoffMs, left, counts, stopped);
        if (!stopped()) await this.purgeTenantCounters(partitionKey, cutoff, counts, stopped);
        return examined;
      },
    );
    const auditBudget = await this.eachTenant(
      this.tables.audit,
      'list audit tenants',
      limits.maxAuditEntries,
      pass,
      async (partitionKey, left) => {
        const deleted = await this.purgeTenantAudit(partitionKey, cutoffMs, left, stopped);
        counts.auditEntriesDeleted += deleted;
        return deleted;
      },
    );
    if (budget <= 0 || auditBudget <= 0 || stopped()) counts.truncated = true;
    counts.tenants = tenants.size;
    return counts;
  }

  /**
   * Runs `work` for each tenant partition of a table while budget is left and the run is not
   * stopped (then marks the counts truncated). `work` returns the budget it used; returns what is left.
   */
  private async eachTenant(
    client: TableClient,
    operation: string,
    budget: number,
    pass: { tenants: Set<string>; counts: PurgeCounts; stopped: () => boolean },
    work: (partitionKey: string, budgetLeft: number) => Promise<number>,
  ): Promise<number> {
    let left = budget;
    for await (const partitionKey of this.partitionKeys(client, operation)) {
      pass.tenants.add(partitionKey);
      if (left <= 0 || pass.stopped()) {
        pass.counts.truncated = true;
        break;
      }
      left -= await work(partitionKey, left);
    }
    return left;
  }

  /**
   * Every PartitionKey of a table, in order, by skip scan: one `$top=1` query per partition asking
   * for the first row past the previous PartitionKey. O(partitions) small round trips.
   */
  async *partitionKeys(client: TableClient, operation: string): AsyncGenerator<string> {
    let after: string | undefined;
    for (;;) {
      const next = await this.firstPartitionAfter(client, after, operation);
      if (next === undefined) return;
      yield next;
      after = next;
    }
  }

  private async firstPartitionAfter(
    client: TableClient,
    after: string | undefined,
    operation: string,
  ): Promise<string | undefined> {
    const filter = after === undefined ? undefined : odata`PartitionKey gt ${after}`;
    let continuationToken: string | undefined;
    // The service may answer a range query with an empty page and a continuation (at a partition
    // server boundary): follow it until a row or the end.
    do {
      const page = await this.call(operation, async (abortSignal) => {
        const pages = client
          .listEntities<Entity>({
            queryOptions: { ...(filter ? { filter } : {}), select: ['PartitionKey'] },
            abortSignal,
          })
          .byPage({ maxPageSize: 1, continuationToken });
        const next = await pages.next();
        return next.done ? undefined : next.value;
      });
      const first = page?.[0]?.partitionKey;
      if (typeof first === 'string') return first;
      continuationToken = page?.continuationToken;
    } while (continuationToken);
    return undefined;
  }

  /** One tenant's expired records, newest expired first. Returns how many index rows it examined. */
  private async purgeTenantRecords(
    partitionKey: string,
    cutoffMs: number,
    budget: number,
    counts: PurgeCounts,
    stopped: () => boolean,
  ): Promise<number> {
    // recordedAt < cutoff  ⇔  RowKey in [all|inv(cutoff − 1), all})
    const { ge, lt } = indexRange(indexPrefix('all'), undefined, cutoffMs);
    const filter = [odata`PartitionKey eq ${partitionKey}`, odata`RowKey ge ${ge}`, odata`RowKey lt ${lt}`].join(
      ' and ',
    );
    let examined = 0;
    for await (const page of this.pages(filter, 'list expired records', { maxPageSize: this.pageSize })) {
      const batch = page.slice(0, budget - examined);
      examined += batch.length;
      await pool(batch, this.concurrency, async (row) => {
        if (stopped()) return;
        await this.purgeRecord(partitionKey, row, cutoffMs, counts);
      });
      if (examined >= budget || stopped()) break;
    }
    return examined;
  }

  private async purgeRecord(
    partitionKey: string,
    allRow: Record<string, unknown>,
    cutoffMs: number,
    counts: PurgeCounts,
  ): Promise<void> {
    const table = this.tables.decisions.tableName;
    let record: StoredRecord;
    try {
      record = recordFromEntity(table, allRow);
      const expectedKey = indexRowKeys(record)[0];
      if (allRow.rowKey !== expectedKey || !(Date.parse(record.recordedAt) < cutoffMs)) {
        throw new CorruptEntityError(
          table,
          describeRow(partitionKey, allRow.rowKey, allRow.recordId),
          'all-index key does not match the record it carries',
        );
      }
    } catch (err) {
      if (!(err instanceof CorruptEntityError)) throw err;
      // Left in place for a person to look at: we cannot tell which rows belong to it.
      counts.corruptSkipped++;
      this.logger.error(
        { table: err.table, where: err.where, detail: err.detail },
        'retention: corrupt entity left in place',
      );
      return;
    }
    const rowKeys = new Set([
      idempotencyRowKey(record.idempotencyKey),
      recordRowKey(record.id),
      ...indexRowKeys(record),
      ...(record.urgentEntryId !== undefined ? [urgentLinkRowKey(record.urgentEntryId)] : []),
      ...(await this.otherCaseRowKeys(partitionKey, allRow, record)),
    ]);
    const deleted = await this.deleteRows(partitionKey, [...rowKeys], `purge record ${record.id}`);
    if (deleted > 0) {
      counts.recordsDeleted++;
      counts.rowsDeleted += deleted;
    } else {
      counts.recordsAlreadyGone++;
    }
  }

  /**
   * The case-index rows of a follow-up under cases other than its own (its parent's case). New rows
   * carry them in the `extraCaseKeys` column. Rows written before that column existed: ask the
   * parent if it still exists, else find them with a filtered scan of the tenant's case index
   * (O(case index), only for such legacy follow-ups whose parent is already gone; logged).
   */
  private async otherCaseRowKeys(
    partitionKey: string,
    allRow: Record<string, unknown>,
    record: StoredRecord,
  ): Promise<string[]> {
    if (record.parentId === undefined) return [];
    const suffix = `${invertedMillis(Date.parse(record.recordedAt))}|${record.id}`;
    const toRowKeys = (caseKeys: readonly string[]) => caseKeys.map((caseKey) => indexPrefix('case', caseKey) + suffix);

    if (typeof allRow.extraCaseKeys === 'string') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(allRow.extraCaseKeys);
      } catch {
        parsed = undefined;
      }
      const keys = caseKeysColumn.safeParse(parsed);
      if (keys.success) return toRowKeys(keys.data);
      // Unreadable column: fall through to the slower ways, which find the same rows.
      this.logger.warn(
        { where: describeRow(partitionKey, allRow.rowKey, record.id) },
        'retention: unreadable extraCaseKeys column',
      );
    }

    const parent = await this.pointRead(partitionKey, recordRowKey(record.parentId), 'read parent for purge');
    if (parent) {
      try {
        return toRowKeys([
          normaliseCaseReference(recordFromEntity(this.tables.decisions.tableName, parent).caseReference),
        ]);
      } catch (err) {
        if (!(err instanceof CorruptEntityError)) throw err;
      }
    }

    this.logger.warn(
      { partitionKey, recordId: record.id },
      'retention: scanning the case index for a follow-up written without extraCaseKeys',
    );
    const { ge, lt } = indexRange('case|');
    const filter = [
      odata`PartitionKey eq ${partitionKey}`,
      odata`RowKey ge ${ge}`,
      odata`RowKey lt ${lt}`,
      odata`recordId eq ${record.id}`,
    ].join(' and ');
    const found: string[] = [];
    for await (const page of this.pages(filter, 'find case rows for purge', {
      select: ['RowKey'],
      maxPageSize: 1000,
    })) {
      for (const row of page) if (typeof row.rowKey === 'string') found.push(row.rowKey);
    }
    return found;
  }

  /**
   * The team summary's counters of the days wholly before the cutoff's day (decisionCounters.ts):
   * counts only, but derived from the expired records, so they go with them. Each team's rows of
   * a day are found through that day's list row and deleted with it in one transaction (≤ 9
   * rows); then the tenant's rows, one RowKey range. At most MAX_COUNTER_ROWS_PER_RUN rows per
   * tenant per run (the rest next run: truncated). O(expired counter rows), never all of them.
   */
  private async purgeTenantCounters(
    partitionKey: string,
    cutoff: Date,
    counts: PurgeCounts,
    stopped: () => boolean,
  ): Promise<void> {
    const ranges = expiredCounterRanges(cutoff);
    let left = MAX_COUNTER_ROWS_PER_RUN;
    for (const list of await this.rowKeysIn(partitionKey, ranges.dayLists, left)) {
      if (stopped() || left <= 0) break;
      const rows = [...(await this.rowKeysIn(partitionKey, ranges.teamRowsOf(list), MAX_TRANSACTION_OPS - 1)), list];
      counts.counterRowsDeleted += await this.deleteRows(partitionKey, rows, 'purge team counters');
      left -= rows.length;
    }
    const tenantRows = left > 0 && !stopped() ? await this.rowKeysIn(partitionKey, ranges.tenantRows, left) : [];
    for (let i = 0; i < tenantRows.length && !stopped(); i += MAX_TRANSACTION_OPS) {
      const chunk = tenantRows.slice(i, i + MAX_TRANSACTION_OPS);
      counts.counterRowsDeleted += await this.deleteRows(partitionKey, chunk, 'purge tenant counters');
    }
    left -= tenantRows.length;
    if (left <= 0) counts.truncated = true;
  }

  /** The RowKeys of one partition in [ge, lt), at most `max` of them, in order. */
  private async rowKeysIn(partitionKey: string, range: { ge: string; lt: string }, max: number): Promise<string[]> {
    const filter = [odata`PartitionKey eq ${partitionKey}`, odata`RowKey ge ${range.ge}`, odata`RowKey lt ${range.lt}`];
    const found: string[] = [];
    for await (const page of this.pages(filter.join(' and '), 'list expired counters', {
      select: ['RowKey'],
      maxPageSize: Math.min(1000, Math.max(1, max)),
    })) {
      for (const row of page) if (typeof row.rowKey === 'string' && found.length < max) found.push(row.rowKey);
      if (found.length >= max) break;
    }
    return found;
  }

  /**
   * Deletes the given rows of one partition in one transaction. A row already gone makes the
   * service refuse the whole transaction (404), so then we read which rows still exist and try
   * again with exactly those. Returns how many rows this call deleted (0: all were already gone).
   */
  async deleteRows(partitionKey: string, rowKeys: readonly string[], operation: string): Promise<number> {
    if (rowKeys.length > MAX_TRANSACTION_OPS)
      throw new RangeError(`${operation}: more than ${MAX_TRANSACTION_OPS} rows in one transaction`);
    let keys = [...rowKeys];
    for (let attempt = 1; attempt <= DELETE_ATTEMPTS; attempt++) {
      if (keys.length === 0) return 0;
      const actions: TransactionAction[] = keys.map((rowKey) => ['delete', { partitionKey, rowKey }]);
      const deleted = await this.conditional(operation, [404], (abortSignal) =>
        this.client.submitTransaction(actions, { abortSignal }),
      );
      if (deleted.ok) return keys.length;
      keys = await this.existing(partitionKey, keys);
    }
    // Rows keep vanishing between our read and our write: someone else is deleting this record.
    return 0;
  }

  private async existing(partitionKey: string, rowKeys: readonly string[]): Promise<string[]> {
    const present = await Promise.all(
      rowKeys.map((rowKey) => this.pointRead(partitionKey, rowKey, 'check rows before purge')),
    );
    return rowKeys.filter((_, i) => present[i] !== undefined);
  }

  /** One tenant's audit entries older than the cutoff, up to 100 per transaction. Returns how many it deleted. */
  private async purgeTenantAudit(
    partitionKey: string,
    cutoffMs: number,
    budget: number,
    stopped: () => boolean,
  ): Promise<number> {
    const client = this.tables.audit;
    // RowKey = {inv}|{random}: recordedAt < cutoff ⇔ RowKey ≥ inv(cutoff − 1); ':' follows every digit.
    const ge = invertedMillis(Math.max(0, cutoffMs - 1));
    const filter = [odata`PartitionKey eq ${partitionKey}`, odata`RowKey ge ${ge}`, odata`RowKey lt ${':'}`].join(
      ' and ',
    );
    let deleted = 0;
    for await (const page of this.pages(filter, 'list expired audit entries', {
      client,
      select: ['RowKey'],
      maxPageSize: MAX_TRANSACTION_OPS,
    })) {
      if (stopped()) break;
      const keys = page
        .map((row) => row.rowKey)
        .filter((k): k is string => typeof k === 'string')
        .slice(0, budget - deleted);
      deleted += await this.deleteAuditRows(partitionKey, keys);
      if (deleted >= budget) break;
    }
    return deleted;
  }

  private async deleteAuditRows(partitionKey: string, rowKeys: readonly string[]): Promise<number> {
    if (rowKeys.length === 0) return 0;
    const client = this.tables.audit;
    const actions = rowKeys.map((rowKey): TransactionAction => ['delete', { partitionKey, rowKey }]);
    const batch = await this.conditional('purge audit entries', [404], (abortSignal) =>
      client.submitTransaction(actions, { abortSignal }),
    );
    if (batch.ok) return rowKeys.length;
    // Someone deleted some of them first: delete the rest one by one (audit rows are independent).
    let deleted = 0;
    for (const rowKey of rowKeys) {
      const one = await this.conditional('purge audit entry', [404], (abortSignal) =>
        client.deleteEntity(partitionKey, rowKey, { abortSignal }),
      );
      if (one.ok) deleted++;
    }
    return deleted;
  }
}
