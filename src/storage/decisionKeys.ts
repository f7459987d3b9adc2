/**
 * Row layout of the `decisions` table (see docs/storage-design.md).
 *
 * PartitionKey = encoded tenant id, so a record and all its index rows share one partition and
 * are written in one entity-group transaction (Azure transactions are single-partition, ≤ 100 ops).
 *
 *   rec|{id}                          the record (point read by id)
 *   idem|{idempotencyKey}             → record id (makes a double submit a no-op)
 *   all|{inv}|{id}                    every record, newest first
 *   team|{teamKey}|{inv}|{id}         teamKey = team id, or the conversation id for chats
 *   user|{aadObjectId}|{inv}|{id}
 *   case|{normalisedCaseRef}|{inv}|{id}
 *   outcome|{decision}|{inv}|{id}
 *
 * {inv} = 13-digit inverted epoch millis; the record id after it makes each key unique.
 */
import type { StoredRecord } from './contract';
import { encodeKeyPart, invertedMillis, normaliseCaseReference } from './keys';

export type IndexName = 'all' | 'team' | 'user' | 'case' | 'outcome';

export const recordRowKey = (id: string): string => `rec|${id}`;
export const idempotencyRowKey = (idempotencyKey: string): string => `idem|${encodeKeyPart(idempotencyKey)}`;
/** Create-only marker of the one decision that records an urgent entry (written with that decision). */
export const urgentLinkRowKey = (urgentEntryId: string): string => `urgentlink|${encodeKeyPart(urgentEntryId)}`;
export const tenantPartitionKey = (tenantId: string): string => encodeKeyPart(tenantId);

/** Chats have no team: their conversation id stands in, so "records from this chat" is one index too. */
export function teamKeyOf(record: Pick<StoredRecord, 'scope'>): string {
  return record.scope.teamId ?? record.scope.conversationId;
}

/** The RowKey prefix shared by every row of one index value, always ending in '|'. */
export function indexPrefix(index: IndexName, value?: string): string {
  if (index === 'all') return 'all|';
  if (value === undefined) throw new Error(`index '${index}' needs a value`);
  return `${index}|${encodeKeyPart(value)}|`;
}

/** Every index row key for a record; `extraCaseKeys` files it under other cases too (e.g. its parent's). */
export function indexRowKeys(record: StoredRecord, extraCaseKeys: readonly string[] = []): string[] {
  const suffix = `${invertedMillis(Date.parse(record.recordedAt))}|${record.id}`;
  const caseKeys = new Set([normaliseCaseReference(record.caseReference), ...extraCaseKeys]);
  return [
    indexPrefix('all') + suffix,
    indexPrefix('team', teamKeyOf(record)) + suffix,
    indexPrefix('user', record.decidedBy.aadObjectId) + suffix,
    ...[...caseKeys].map((caseKey) => indexPrefix('case', caseKey) + suffix),
    indexPrefix('outcome', record.decision) + suffix,
  ];
}

/**
 * The RowKey range [ge, lt) holding an index's rows for recordedAt in [fromMs, toMs).
 * Rows sort by inverted time, so the *upper* time bound gives the *lower* key bound.
 * '}' is the character after '|', so `x}` is the first key past every key starting `x|`.
 */
export function indexRange(prefix: string, fromMs?: number, toMs?: number): { ge: string; lt: string } {
  const clampInv = (ms: number) => invertedMillis(Math.min(9_999_999_999_999, Math.max(0, ms)));
  // recordedAt < to  ⇔  millis ≤ to − 1  ⇔  inv ≥ inv(to − 1)
  const ge = toMs === undefined ? prefix : prefix + clampInv(toMs - 1);
  // recordedAt ≥ from  ⇔  inv ≤ inv(from)  ⇔  key < prefix + inv(from) + '}'
  const lt = fromMs === undefined ? `${prefix.slice(0, -1)}}` : `${prefix}${clampInv(fromMs)}}`;
  return { ge, lt };
}
