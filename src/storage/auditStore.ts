/**
 * Append-only audit of what managers looked at (queries, exports), newest first per tenant.
 *
 *   PartitionKey = encoded tenant id, RowKey = {inv}|{random}   (inv = inverted epoch millis)
 *
 * Rows are only ever created, never updated; the retention purge (src/storage/retention.ts) deletes
 * entries older than RETENTION_DAYS.
 */
import { z } from 'zod';
import type { AuditStore } from './contract';
import { InvalidRecordError } from './errors';
import { encodeKeyPart, invertedMillis, uniqueSuffix } from './keys';
import { scanRange } from './rangeScan';
import { describeIssues } from './recordSchemas';
import { TableStore, whereOf, type Entity } from './tableStore';

export interface AuditEntry {
  tenantId: string;
  actorAadObjectId: string;
  /** What was done, e.g. 'query_records', 'export_csv', 'view_case'. */
  action: string;
  /** The query as the actor gave it (e.g. a RecordQuery). Stored as JSON. */
  filter: Readonly<Record<string, unknown>>;
  resultCount: number;
  /** ISO-8601 UTC. */
  at: string;
}

export type NewAuditEntry = Omit<AuditEntry, 'at'> & { at?: string };

export const auditEntrySchema = z.object({
  tenantId: z.string().min(1).max(200),
  actorAadObjectId: z.string().min(1).max(200),
  action: z.string().min(1).max(64),
  filter: z.record(z.string(), z.unknown()),
  resultCount: z.number().int().min(0),
  at: z.iso.datetime(),
});

const auditEntitySchema = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  tenantId: z.string(),
  actorAadObjectId: z.string(),
  action: z.string(),
  filter: z.string(),
  resultCount: z.number(),
  at: z.string(),
});

export const MAX_FILTER_JSON_CHARS = 8_000;

export class TableAuditStore extends TableStore implements AuditStore {
  async write(input: NewAuditEntry): Promise<AuditEntry> {
    const parsed = auditEntrySchema.safeParse({ ...input, at: input.at ?? this.now().toISOString() });
    if (!parsed.success) throw new InvalidRecordError(`audit entry rejected: ${describeIssues(parsed.error)}`);
    const entry = parsed.data;
    const filter = JSON.stringify(entry.filter);
    if (filter.length > MAX_FILTER_JSON_CHARS)
      throw new InvalidRecordError('audit entry rejected: filter is too large');
    await this.call('write audit entry', (abortSignal) =>
      this.client.createEntity(
        {
          partitionKey: encodeKeyPart(entry.tenantId),
          // The random suffix keeps two audits in the same millisecond apart.
          rowKey: `${invertedMillis(Date.parse(entry.at))}|${uniqueSuffix()}`,
          ...entry,
          filter,
        },
        { abortSignal },
      ),
    );
    return entry;
  }

  /** The most recent `limit` entries (1–1000), newest first. */
  async list(tenantId: string, limit = 100): Promise<AuditEntry[]> {
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw new RangeError('limit must be an integer from 1 to 1000');
    const { rows } = await scanRange({
      client: this.client,
      partitionKey: encodeKeyPart(tenantId),
      ge: '0',
      lt: ':', // the character after '9': every inverted-time key
      want: limit,
      signal: () => this.signal(),
      operation: 'list audit entries',
    });
    return rows.map((row) => this.toEntry(row));
  }

  private toEntry(row: Entity): AuditEntry {
    const entity = this.parsed(auditEntitySchema, row);
    let filter: unknown;
    try {
      filter = JSON.parse(entity.filter);
    } catch {
      throw this.corrupt(whereOf(row), "'filter' is not valid JSON");
    }
    const entry = auditEntrySchema.safeParse({ ...entity, filter });
    if (!entry.success) throw this.corrupt(whereOf(row), describeIssues(entry.error));
    return entry.data;
  }
}
