/**
 * Converting records to table entities and back (with validation) for the `decisions` table.
 */
import type { TransactionAction } from '@azure/data-tables';
import { z } from 'zod';
import type { NewRecord, RecordOptions, StoredRecord } from './contract';
import {
  idempotencyRowKey,
  indexRowKeys,
  recordRowKey,
  teamKeyOf,
  tenantPartitionKey,
  urgentLinkRowKey,
} from './decisionKeys';
import { CorruptEntityError, InvalidRecordError } from './errors';
import { newRecordId, normaliseCaseReference } from './keys';
import { describeIssues, newRecordSchema, recordOptionsSchema, storedRecordSchema } from './recordSchemas';

export const SCHEMA_VERSION = 1;

/**
 * How many times record() writes before giving up: a fresh id after a collision (astronomically
 * rare), fresh counter reads after a counter row changed under it (two records of one tenant in
 * the same moment and counter shard).
 */
export const RECORD_WRITE_ATTEMPTS = 10;

/** record()'s input, validated as every DecisionStore implementation must: the record and its idempotency scope. */
export function validatedRecordInput(
  input: NewRecord,
  options: RecordOptions,
): { newRecord: NewRecord; scope: string | undefined } {
  const parsed = newRecordSchema.safeParse(input);
  if (!parsed.success) throw new InvalidRecordError(`record rejected: ${describeIssues(parsed.error)}`);
  const opts = recordOptionsSchema.safeParse(options);
  if (!opts.success) throw new InvalidRecordError(`record options rejected: ${describeIssues(opts.error)}`);
  return { newRecord: parsed.data, scope: opts.data.idempotencyScope };
}

/**
 * The record as stored at `at`, with a fresh id. Through JSON so the returned record is exactly
 * what get() reads back (no undefined-valued keys).
 */
export function stampedRecord(newRecord: NewRecord, at: Date): StoredRecord {
  return JSON.parse(
    JSON.stringify({ ...newRecord, id: newRecordId(at), recordedAt: at.toISOString() }),
  ) as StoredRecord;
}

/**
 * An Azure string property holds 64 KiB = 32K UTF-16 code units; leave headroom.
 * (The field limits in recordSchemas keep real records far below this.)
 */
const MAX_RECORD_JSON_CHARS = 30_000;

/**
 * Columns copied onto every record/index row. `record` is the full record as JSON, so a list page
 * is answered from index rows alone; the other columns exist for server-side $filter.
 */
function recordColumns(record: StoredRecord, json: string) {
  return {
    schemaVersion: SCHEMA_VERSION,
    recordId: record.id,
    recordedAt: record.recordedAt,
    decision: record.decision,
    decidedByAad: record.decidedBy.aadObjectId,
    teamKey: teamKeyOf(record),
    caseKey: normaliseCaseReference(record.caseReference),
    record: json,
  };
}

/**
 * Who and what an idempotency marker belongs to. `mintedBy` is the lower-cased AAD object id of the
 * user whose submission wrote it; `boundTo` the caller's idempotency scope (e.g. the questionnaire).
 * Markers written before these columns existed have neither (see markerFromEntity).
 */
export interface MarkerBinding {
  mintedBy: string;
  boundTo?: string;
}

export const normaliseMinter = (aadObjectId: string): string => aadObjectId.trim().toLowerCase();

/** The whole write for one record: record row, idempotency marker and every index row — one transaction. */
export function recordTransaction(
  record: StoredRecord,
  extraCaseKeys: readonly string[] = [],
  idempotencyScope?: string,
): TransactionAction[] {
  const json = JSON.stringify(record);
  if (json.length > MAX_RECORD_JSON_CHARS) {
    throw new InvalidRecordError(
      `record is too large to store (${json.length} characters; limit ${MAX_RECORD_JSON_CHARS})`,
    );
  }
  const partitionKey = tenantPartitionKey(record.scope.tenantId);
  const columns = {
    ...recordColumns(record, json),
    // A follow-up is also filed under its parent's case: remember that case (JSON array of case keys)
    // so the retention purge can find every index row of it even after the parent has been purged.
    ...(extraCaseKeys.length > 0 ? { extraCaseKeys: JSON.stringify(extraCaseKeys) } : {}),
  };
  const actions: TransactionAction[] = [
    // The marker goes first: when a double submit loses the race, its failing op is this one.
    [
      'create',
      {
        partitionKey,
        rowKey: idempotencyRowKey(record.idempotencyKey),
        entityKind: 'idem',
        schemaVersion: SCHEMA_VERSION,
        recordId: record.id,
        // Binds the key to its submission: a retry is only recognised for the same user and scope.
        mintedBy: normaliseMinter(record.decidedBy.aadObjectId),
        ...(idempotencyScope !== undefined ? { boundTo: idempotencyScope } : {}),
      },
    ],
    ['create', { partitionKey, rowKey: recordRowKey(record.id), entityKind: 'rec', ...columns }],
  ];
  // One decision per urgent entry, enforced here: a second decision naming the entry fails on this
  // create (409), whatever its idempotency key, however close together the two writes are.
  if (record.urgentEntryId !== undefined) {
    actions.push([
      'create',
      { partitionKey, rowKey: urgentLinkRowKey(record.urgentEntryId), entityKind: 'ulink', recordId: record.id },
    ]);
  }
  for (const rowKey of indexRowKeys(record, extraCaseKeys)) {
    actions.push(['create', { partitionKey, rowKey, entityKind: 'idx', ...columns }]);
  }
  return actions;
}

const recordEntitySchema = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  entityKind: z.enum(['rec', 'idx']),
  recordId: z.string(),
  record: z.string(),
});

const idempotencyEntitySchema = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  entityKind: z.literal('idem'),
  recordId: z.string().min(1),
  mintedBy: z.string().min(1).optional(),
  boundTo: z.string().optional(),
});

const urgentLinkEntitySchema = z.object({ entityKind: z.literal('ulink'), recordId: z.string().min(1) });

/** The id of the decision an urgent-link marker row names, or CorruptEntityError. */
export function urgentLinkFromEntity(table: string, entity: Record<string, unknown>): string {
  const link = urgentLinkEntitySchema.safeParse(entity);
  if (!link.success) {
    throw new CorruptEntityError(table, describeRow(entity.partitionKey, entity.rowKey), describeIssues(link.error));
  }
  return link.data.recordId;
}

/** Names a row for logs and errors without echoing case references or user ids held in index keys. */
export function describeRow(partitionKey: unknown, rowKey: unknown, recordId?: unknown): string {
  const key = typeof rowKey === 'string' ? rowKey : '?';
  const kind = key.split('|')[0];
  const row = kind === 'rec' || kind === 'idem' ? `RowKey='${kind === 'idem' ? 'idem|…' : key}'` : `${kind} index row`;
  const of = typeof recordId === 'string' ? ` of record ${recordId}` : '';
  return `PartitionKey='${String(partitionKey)}', ${row}${of}`;
}

/** Validates a record or index row and returns the record it carries, or throws CorruptEntityError. */
export function recordFromEntity(table: string, entity: Record<string, unknown>): StoredRecord {
  const where = describeRow(entity.partitionKey, entity.rowKey, entity.recordId);
  const row = recordEntitySchema.safeParse(entity);
  if (!row.success) throw new CorruptEntityError(table, where, describeIssues(row.error));
  let json: unknown;
  try {
    json = JSON.parse(row.data.record);
  } catch {
    throw new CorruptEntityError(table, where, "'record' is not valid JSON");
  }
  const record = storedRecordSchema.safeParse(json);
  if (!record.success) throw new CorruptEntityError(table, where, describeIssues(record.error));
  // Defence in depth: a row copied into the wrong partition must never surface in another tenant.
  if (
    tenantPartitionKey(record.data.scope.tenantId) !== row.data.partitionKey ||
    record.data.id !== row.data.recordId
  ) {
    throw new CorruptEntityError(table, where, 'record does not belong to this row (tenant or id mismatch)');
  }
  return record.data;
}

/** An idempotency marker: the record it points at and, unless written before binding existed, whose it is. */
export interface Marker {
  recordId: string;
  /** Absent on legacy markers: the record's own decidedBy is then the minter. */
  binding?: MarkerBinding;
}

export function markerFromEntity(table: string, entity: Record<string, unknown>): Marker {
  const marker = idempotencyEntitySchema.safeParse(entity);
  if (!marker.success) {
    throw new CorruptEntityError(table, describeRow(entity.partitionKey, entity.rowKey), describeIssues(marker.error));
  }
  const { recordId, mintedBy, boundTo } = marker.data;
  return mintedBy === undefined
    ? { recordId }
    : { recordId, binding: { mintedBy, ...(boundTo !== undefined ? { boundTo } : {}) } };
}
