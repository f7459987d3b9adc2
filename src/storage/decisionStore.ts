/**
 * DecisionStore on Azure Table storage (layout and trade-offs: docs/storage-design.md).
 *
 * One partition per tenant; each record is written with its index rows in one transaction, and
 * every list is a single RowKey-range scan of one index, newest first.
 */
import { odata, type TableClient } from '@azure/data-tables';
import type {
  DecisionStore,
  NewRecord,
  Page,
  RecordOptions,
  RecordQuery,
  RecordResult,
  StoredRecord,
} from './contract';
import { StorageUnavailableError } from './contract';
import { decodeToken, encodeToken, queryFingerprint } from './continuationToken';
import {
  idempotencyRowKey,
  indexPrefix,
  indexRange,
  recordRowKey,
  tenantPartitionKey,
  urgentLinkRowKey,
  type IndexName,
} from './decisionKeys';
import {
  markerFromEntity,
  normaliseMinter,
  RECORD_WRITE_ATTEMPTS,
  recordFromEntity,
  recordTransaction,
  stampedRecord,
  urgentLinkFromEntity,
  validatedRecordInput,
  type Marker,
} from './decisionEntities';
import {
  checkedSpan,
  counterActions,
  counterContext,
  counterIncrements,
  counterRange,
  daysFromRows,
  type DayCounts,
  ShardPicker,
  type CounterContext,
} from './decisionCounters';
import {
  IdempotencyKeyInUseError,
  InvalidQueryError,
  InvalidRecordError,
  UrgentEntryAlreadyRecordedError,
} from './errors';
import { normaliseCaseReference, normaliseRecordId } from './keys';
import { scanRange } from './rangeScan';
import { TableStore, type Entity, type TableStoreOptions } from './tableStore';

export interface DecisionStoreOptions extends TableStoreOptions {
  /** Round trips one page may spend skipping rows that fail the filters. */
  maxRoundTripsPerPage?: number;
  /** byCase returns at most this many entries (newest); more is logged as a warning. */
  byCaseLimit?: number;
}

export const MAX_PAGE_SIZE = 1000;

/** The narrowest index first: a case has few entries, a whole tenant many. */
const INDEX_PREFERENCE: readonly IndexName[] = ['case', 'user', 'team', 'outcome', 'all'];

interface PlannedQuery {
  partitionKey: string;
  prefix: string;
  ge: string;
  lt: string;
  where: string[];
  fingerprint: string;
  empty: boolean;
}

export class TableDecisionStore extends TableStore implements DecisionStore {
  private readonly maxRoundTrips: number;
  private readonly byCaseLimit: number;
  /** Concurrent records of one tenant in this process take different counter shards. */
  private readonly shards = new ShardPicker();

  constructor(client: TableClient, options: DecisionStoreOptions = {}) {
    super(client, options);
    this.maxRoundTrips = options.maxRoundTripsPerPage ?? 10;
    this.byCaseLimit = options.byCaseLimit ?? 500;
  }

  async record(input: NewRecord, options: RecordOptions = {}): Promise<RecordResult> {
    const { newRecord, scope } = validatedRecordInput(input, options);
    const context = await counterContext(newRecord, (id) => this.get(newRecord.scope.tenantId, id));
    const extraCaseKeys = parentCaseKeys(newRecord, context.parent);
    const { shard, release } = this.shards.take(newRecord.scope.tenantId);
    try {
      return await this.writeRecord(newRecord, scope, context, extraCaseKeys, shard);
    } finally {
      release();
    }
  }

  /** The record, its index rows and its counters in one transaction; written again after a counter collision. */
  private async writeRecord(
    newRecord: NewRecord,
    scope: string | undefined,
    context: CounterContext,
    extraCaseKeys: string[],
    shard: number,
  ): Promise<RecordResult> {
    for (let attempt = 1; attempt <= RECORD_WRITE_ATTEMPTS; attempt++) {
      const record = stampedRecord(newRecord, this.now());
      const increments = counterIncrements(record, context, shard);
      const current = await this.counterRows(record.scope.tenantId, [...increments.keys()]);
      const actions = [
        ...recordTransaction(record, extraCaseKeys, scope),
        ...counterActions(record.scope.tenantId, increments, current),
      ];
      const written = await this.conditional('record', [409, 412], (abortSignal) =>
        this.client.submitTransaction(actions, { abortSignal }),
      );
      if (written.ok) return { record, created: true };
      // 412: a counter row changed since it was read (another record of this tenant, same day and
      // shard): write again with fresh reads. 409: either the idempotency marker exists (a retry, a
      // concurrent double submit, or someone else's key), or a counter row was created meanwhile,
      // or, astronomically rarely, the new id collided — then try again.
      if (written.status === 409) {
        const existing = await this.replayOf(newRecord, scope);
        if (existing) return { record: existing, created: false };
        // Not a replay: another decision already records this urgent entry.
        const linked = await this.urgentLink(newRecord);
        if (linked !== undefined) throw new UrgentEntryAlreadyRecordedError(linked);
      }
      // Spread the writers that collided, so they do not meet again on the next attempt.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
    throw new StorageUnavailableError(`could not write the record after ${RECORD_WRITE_ATTEMPTS} attempts`);
  }

  /** The decision already recording the urgent entry `input` names, if any. */
  private async urgentLink(input: NewRecord): Promise<string | undefined> {
    if (input.urgentEntryId === undefined) return undefined;
    const entity = await this.pointRead(
      tenantPartitionKey(input.scope.tenantId),
      urgentLinkRowKey(input.urgentEntryId),
      'urgent link lookup',
    );
    return entity && this.checked(() => urgentLinkFromEntity(this.client.tableName, entity));
  }

  /** The counter rows a record is about to change, as they are now (absent ones are undefined). */
  private async counterRows(tenantId: string, rowKeys: string[]): Promise<Map<string, Entity | undefined>> {
    const partitionKey = tenantPartitionKey(tenantId);
    const rows = await Promise.all(rowKeys.map((rowKey) => this.pointRead(partitionKey, rowKey, 'read counter')));
    return new Map(rowKeys.map((rowKey, i) => [rowKey, rows[i]]));
  }

  async dailyCounts(tenantId: string, span: { from: string; to: string; teamId?: string }): Promise<DayCounts[]> {
    try {
      checkedSpan(span.from, span.to);
    } catch (err) {
      throw new InvalidQueryError((err as Error).message);
    }
    const { ge, lt } = counterRange(span.from, span.to, span.teamId);
    const filter = odata`PartitionKey eq ${tenantPartitionKey(tenantId)} and RowKey ge ${ge} and RowKey lt ${lt}`;
    const rows: Entity[] = [];
    for await (const page of this.pages(filter, 'daily counts', { maxPageSize: 1000 })) rows.push(...page);
    return this.checked(() => {
      try {
        return daysFromRows(rows);
      } catch {
        throw this.corrupt(`PartitionKey='${tenantPartitionKey(tenantId)}', counter rows`, 'counter row is not valid');
      }
    });
  }

  async get(tenantId: string, id: string): Promise<StoredRecord | undefined> {
    const recordId = normaliseRecordId(id);
    if (!recordId) return undefined;
    const entity = await this.pointRead(tenantPartitionKey(tenantId), recordRowKey(recordId), 'get record');
    return entity && this.validated(entity);
  }

  /**
   * The record an idempotency key produced, if any, whoever minted it. For operations and tests
   * only: never show its result to a user (record() answers a user only with their own record).
   */
  async findByIdempotencyKey(tenantId: string, idempotencyKey: string): Promise<StoredRecord | undefined> {
    const marker = await this.readMarker(tenantId, idempotencyKey);
    return marker && this.markedRecord(tenantId, marker.recordId);
  }

  /**
   * After a 409: the earlier record when this is the same submission again — same minting user and
   * same scope — or undefined when there is no marker (a record-id collision). A marker minted by
   * anyone else, or under another scope, throws IdempotencyKeyInUseError without reading or
   * returning that record. Legacy markers (written before binding) name no minter: the record they
   * point at must then have been decided by this user, and the scope cannot be checked.
   */
  private async replayOf(input: NewRecord, scope: string | undefined): Promise<StoredRecord | undefined> {
    const tenantId = input.scope.tenantId;
    const marker = await this.readMarker(tenantId, input.idempotencyKey);
    if (!marker) return undefined;
    const me = normaliseMinter(input.decidedBy.aadObjectId);
    if (marker.binding && (marker.binding.mintedBy !== me || marker.binding.boundTo !== scope))
      throw new IdempotencyKeyInUseError();
    const record = await this.markedRecord(tenantId, marker.recordId);
    if (normaliseMinter(record.decidedBy.aadObjectId) !== me) throw new IdempotencyKeyInUseError();
    return record;
  }

  private async readMarker(tenantId: string, idempotencyKey: string): Promise<Marker | undefined> {
    const entity = await this.pointRead(
      tenantPartitionKey(tenantId),
      idempotencyRowKey(idempotencyKey),
      'idempotency lookup',
    );
    return entity && this.checked(() => markerFromEntity(this.client.tableName, entity));
  }

  private async markedRecord(tenantId: string, recordId: string): Promise<StoredRecord> {
    const record = await this.get(tenantId, recordId);
    if (!record) {
      // Written in the same transaction as its marker, so this means the table was edited by hand.
      const where = `PartitionKey='${tenantPartitionKey(tenantId)}', RowKey='rec|${recordId}'`;
      throw this.corrupt(where, 'idempotency marker points at a missing record');
    }
    return record;
  }

  async query(q: RecordQuery, pageSize: number, continuationToken?: string): Promise<Page<StoredRecord>> {
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw new InvalidQueryError(`pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}`);
    }
    const plan = planQuery(q);
    const resume = continuationToken === undefined ? undefined : decodeToken(continuationToken, plan.fingerprint);
    if (plan.empty) return { items: [] };
    const result = await scanRange({
      client: this.client,
      partitionKey: plan.partitionKey,
      ge: plan.ge,
      lt: plan.lt,
      where: plan.where,
      want: pageSize,
      resume,
      maxRoundTrips: this.maxRoundTrips,
      signal: () => this.signal(),
      operation: 'query records',
    });
    const items = result.rows.map((row) => this.validated(row));
    return result.resume ? { items, continuationToken: encodeToken(plan.fingerprint, result.resume) } : { items };
  }

  async byCase(tenantId: string, caseReference: string): Promise<StoredRecord[]> {
    const caseKey = normaliseCaseReference(caseReference);
    if (!caseKey) return [];
    const prefix = indexPrefix('case', caseKey);
    const { ge, lt } = indexRange(prefix);
    const result = await scanRange({
      client: this.client,
      partitionKey: tenantPartitionKey(tenantId),
      ge,
      lt,
      want: this.byCaseLimit,
      maxRoundTrips: this.maxRoundTrips,
      signal: () => this.signal(),
      operation: 'records by case',
    });
    if (result.resume) {
      this.logger.warn(
        { tenantId, limit: this.byCaseLimit },
        'byCase truncated: the case has more entries than the limit',
      );
    }
    return result.rows.map((row) => this.validated(row));
  }

  private validated(entity: Entity): StoredRecord {
    return this.checked(() => recordFromEntity(this.client.tableName, entity));
  }
}

/** A follow-up is also filed under its parent's case, so byCase(parent's case) always shows it. */
export function parentCaseKeys(record: NewRecord, parent: StoredRecord | undefined): string[] {
  if (record.parentId === undefined) return [];
  if (!parent) throw new InvalidRecordError(`parentId ${record.parentId} is not a record of this tenant`);
  return [normaliseCaseReference(parent.caseReference)];
}

/** Picks the narrowest index for the query and turns the other filters into OData conditions. */
export function planQuery(q: RecordQuery): PlannedQuery {
  if (typeof q?.tenantId !== 'string' || q.tenantId === '') throw new InvalidQueryError('tenantId is required');
  const fromMs = parseInstant('from', q.from);
  const toMs = parseInstant('to', q.to);
  const caseKey = q.caseReference === undefined ? undefined : normaliseCaseReference(q.caseReference);
  if (caseKey === '') throw new InvalidQueryError('caseReference must not be blank');

  const values: Record<IndexName, string | undefined> = {
    case: caseKey,
    user: q.decidedBy,
    team: q.teamId,
    outcome: q.decision,
    all: 'all',
  };
  const index = INDEX_PREFERENCE.find((name) => values[name] !== undefined) ?? 'all';
  const prefix = indexPrefix(index, index === 'all' ? undefined : values[index]);
  const where: string[] = [];
  if (index !== 'user' && q.decidedBy !== undefined) where.push(odata`decidedByAad eq ${q.decidedBy}`);
  if (index !== 'team' && q.teamId !== undefined) where.push(odata`teamKey eq ${q.teamId}`);
  if (index !== 'outcome' && q.decision !== undefined) where.push(odata`decision eq ${q.decision}`);
  // The case index is always chosen when a case is given, so a case never needs a residual filter.

  const { ge, lt } = indexRange(prefix, fromMs, toMs);
  const partitionKey = tenantPartitionKey(q.tenantId);
  const fingerprint = queryFingerprint([partitionKey, prefix, ge, lt, where]);
  return { partitionKey, prefix, ge, lt, where, fingerprint, empty: ge >= lt };
}

function parseInstant(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) throw new InvalidQueryError(`${name} must be an ISO-8601 date or date-time`);
  return ms;
}
