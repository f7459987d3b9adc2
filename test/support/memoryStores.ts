/**
 * In-memory implementations of the storage contract (src/storage/contract.ts), for the fast
 * feature tests (test/feature). They live under test/ so production can never pick them up.
 *
 * They honour the same contract as the Table stores — the contract tests in
 * test/integration/storage/contract.test.ts run the same cases against both — and where they can
 * they reuse the Table stores' own layout and validation: the decision store keeps the very rows
 * recordTransaction writes (record, marker, index rows), written all-or-nothing, and reads them back
 * through recordFromEntity; paging is a RowKey-range scan of one index, newest first, with the same
 * continuation tokens; the clock is injected.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../src/logger';
import {
  auditEntrySchema,
  MAX_FILTER_JSON_CHARS,
  type AuditEntry,
  type NewAuditEntry,
} from '../../src/storage/auditStore';
import type {
  AuditStore,
  ConversationStore,
  DecisionStore,
  DeliveryStore,
  LeaseStore,
  NewRecord,
  Page,
  QuestionnaireSessionStore,
  RecordOptions,
  RecordQuery,
  RecordResult,
  ReminderStore,
  RoleStore,
  StoredRecord,
  TenantSettingsStore,
} from '../../src/storage/contract';
import { StorageUnavailableError } from '../../src/storage/contract';
import { decodeToken, encodeToken } from '../../src/storage/continuationToken';
import {
  INACTIVE_REASON_CHARS,
  validatedConversation,
  type ConversationMeta,
  type StoredConversation,
  type StoredConversationReference,
} from '../../src/storage/conversationStore';
import {
  markerFromEntity,
  normaliseMinter,
  RECORD_WRITE_ATTEMPTS,
  recordFromEntity,
  recordTransaction,
  stampedRecord,
  urgentLinkFromEntity,
  validatedRecordInput,
} from '../../src/storage/decisionEntities';
import {
  idempotencyRowKey,
  indexPrefix,
  indexRange,
  recordRowKey,
  tenantPartitionKey,
  urgentLinkRowKey,
} from '../../src/storage/decisionKeys';
import { MAX_PAGE_SIZE, parentCaseKeys, planQuery } from '../../src/storage/decisionStore';
import {
  checkedSpan,
  counterActions,
  counterContext,
  counterIncrements,
  counterRange,
  daysFromRows,
  type DayCounts,
} from '../../src/storage/decisionCounters';
import type { ClaimResult, DeliveryClaim, DeliveryState } from '../../src/storage/deliveryStore';
import {
  CorruptEntityError,
  IdempotencyKeyInUseError,
  InvalidContinuationTokenError,
  InvalidQueryError,
  InvalidRecordError,
  UrgentEntryAlreadyRecordedError,
} from '../../src/storage/errors';
import { crockfordRandom, normaliseCaseReference, normaliseRecordId } from '../../src/storage/keys';
import type { AcquireResult, Lease } from '../../src/storage/leaseStore';
import { silentLogger } from '../../src/storage/logger';
import type { CurrentQuestionnaire } from '../../src/storage/questionnaireSessionStore';
import { describeIssues } from '../../src/storage/recordSchemas';
import {
  followUpEntitySchema,
  newSchedule,
  type FollowUpTracker,
  type NewFollowUpTracker,
  type NewScheduledReminder,
  type ReminderItem,
  type ScheduledReminder,
} from '../../src/storage/reminderStore';
import { roleGrantInputSchema, type Role, type RoleGrant } from '../../src/storage/roleStore';
import {
  validatedSettingsChange,
  type SaveSettingsResult,
  type TenantSettings,
  type TenantSettingsChange,
} from '../../src/storage/tenantSettingsStore';

export interface MemoryStoreOptions {
  logger?: Logger;
  now?: () => Date;
}

type Row = Record<string, unknown>;

/** Copies in and out, so a caller holding a returned object can never change what is stored. */
const copy = <T>(value: T): T => structuredClone(value);

/** A fresh ETag per write, as Table storage gives. */
const newEtag = (): string => `W/"${randomUUID()}"`;

/**
 * The rows of an in-memory `decisions` table (partition → RowKey → row): the same rows the Table
 * store writes. Several stores may share one, as several instances share a table.
 */
export class MemoryDecisionRows {
  readonly partitions = new Map<string, Map<string, Row>>();

  /** The RowKeys of one partition, in order. */
  rowKeys(partitionKey: string): string[] {
    return [...(this.partitions.get(partitionKey)?.keys() ?? [])].sort();
  }

  read(partitionKey: string, rowKey: string): Row {
    const row = this.partitions.get(partitionKey)?.get(rowKey);
    if (!row) throw new Error(`no row ${rowKey}`);
    return copy(row);
  }

  /** A raw write, as a hand edit or an older version of the app would make (Merge or Replace, like the SDK's). */
  write(partitionKey: string, row: { rowKey: string } & Row, mode: 'Merge' | 'Replace'): void {
    const partition = this.partition(partitionKey);
    const existing = partition.get(row.rowKey);
    if (mode === 'Merge' && !existing) throw new Error(`no row ${row.rowKey} to merge into`);
    partition.set(row.rowKey, { ...(mode === 'Merge' ? existing : {}), ...copy(row), partitionKey, etag: newEtag() });
  }

  partition(partitionKey: string): Map<string, Row> {
    let partition = this.partitions.get(partitionKey);
    if (!partition) this.partitions.set(partitionKey, (partition = new Map()));
    return partition;
  }
}

export class MemoryDecisionStore implements DecisionStore {
  private readonly rows: MemoryDecisionRows;
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly byCaseLimit: number;

  constructor(options: MemoryStoreOptions & { byCaseLimit?: number; rows?: MemoryDecisionRows } = {}) {
    this.rows = options.rows ?? new MemoryDecisionRows();
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? (() => new Date());
    this.byCaseLimit = options.byCaseLimit ?? 500;
  }

  async record(input: NewRecord, options: RecordOptions = {}): Promise<RecordResult> {
    const { newRecord, scope } = validatedRecordInput(input, options);
    const context = await counterContext(newRecord, (id) => this.get(newRecord.scope.tenantId, id));
    const extraCaseKeys = parentCaseKeys(newRecord, context.parent);
    for (let attempt = 1; attempt <= RECORD_WRITE_ATTEMPTS; attempt++) {
      const record = stampedRecord(newRecord, this.now());
      const partition = this.rows.partition(tenantPartitionKey(record.scope.tenantId));
      const increments = counterIncrements(record, context);
      const current = new Map(
        [...increments.keys()].map((key) => [key, partition.get(key) && copy(partition.get(key)!)]),
      );
      // Another turn may write between the reads above and the transaction below, as on Table storage.
      await Promise.resolve();
      const actions = [
        ...recordTransaction(record, extraCaseKeys, scope),
        ...counterActions(record.scope.tenantId, increments, current),
      ];
      // All or nothing, like an entity-group transaction: a create of an existing row, or a replace
      // whose ETag no longer matches, refuses the whole write.
      const applies = actions.every(([kind, entity, , opts]) =>
        kind === 'create'
          ? !partition.has(entity.rowKey)
          : kind === 'upsert' || partition.get(entity.rowKey)?.etag === (opts as { etag?: string } | undefined)?.etag,
      );
      if (applies) {
        for (const [, entity] of actions) partition.set(entity.rowKey, { ...copy(entity), etag: newEtag() });
        return { record: copy(record), created: true };
      }
      const existing = await this.replayOf(newRecord, scope);
      if (existing) return { record: existing, created: false };
      // Not a replay: another decision already records this urgent entry.
      const link =
        newRecord.urgentEntryId === undefined ? undefined : partition.get(urgentLinkRowKey(newRecord.urgentEntryId));
      if (link) throw new UrgentEntryAlreadyRecordedError(urgentLinkFromEntity('decisions', copy(link)));
    }
    throw new StorageUnavailableError(`could not write the record after ${RECORD_WRITE_ATTEMPTS} attempts`);
  }

  async dailyCounts(tenantId: string, span: { from: string; to: string; teamId?: string }): Promise<DayCounts[]> {
    try {
      checkedSpan(span.from, span.to);
    } catch (err) {
      throw new InvalidQueryError((err as Error).message);
    }
    const { ge, lt } = counterRange(span.from, span.to, span.teamId);
    try {
      return daysFromRows(this.range(tenantPartitionKey(tenantId), ge, lt, false));
    } catch {
      const where = `PartitionKey='${tenantPartitionKey(tenantId)}', counter rows`;
      throw this.reported(new CorruptEntityError('decisions', where, 'counter row is not valid'));
    }
  }

  async get(tenantId: string, id: string): Promise<StoredRecord | undefined> {
    const recordId = normaliseRecordId(id);
    if (!recordId) return undefined;
    const row = this.rows.partitions.get(tenantPartitionKey(tenantId))?.get(recordRowKey(recordId));
    return row && this.validated(row);
  }

  async query(q: RecordQuery, pageSize: number, continuationToken?: string): Promise<Page<StoredRecord>> {
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw new InvalidQueryError(`pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}`);
    }
    const plan = planQuery(q);
    const resume = continuationToken === undefined ? undefined : decodeToken(continuationToken, plan.fingerprint);
    if (plan.empty) return { items: [] };
    if (resume && !('after' in resume)) throw new InvalidContinuationTokenError('server position is not valid');
    if (resume && !(resume.after >= plan.ge && resume.after < plan.lt)) {
      throw new InvalidContinuationTokenError('position is outside this query');
    }
    const matches = (row: Row) =>
      (q.decidedBy === undefined || row.decidedByAad === q.decidedBy) &&
      (q.teamId === undefined || row.teamKey === q.teamId) &&
      (q.decision === undefined || row.decision === q.decision);
    const rows = this.range(plan.partitionKey, resume ? resume.after : plan.ge, plan.lt, resume !== undefined).filter(
      matches,
    );
    const page = rows.slice(0, pageSize);
    const items = page.map((row) => this.validated(row));
    if (rows.length <= pageSize) return { items };
    return { items, continuationToken: encodeToken(plan.fingerprint, { after: String(page.at(-1)!.rowKey) }) };
  }

  async byCase(tenantId: string, caseReference: string): Promise<StoredRecord[]> {
    const caseKey = normaliseCaseReference(caseReference);
    if (!caseKey) return [];
    const { ge, lt } = indexRange(indexPrefix('case', caseKey));
    const rows = this.range(tenantPartitionKey(tenantId), ge, lt, false);
    if (rows.length > this.byCaseLimit) {
      this.logger.warn(
        { tenantId, limit: this.byCaseLimit },
        'byCase truncated: the case has more entries than the limit',
      );
    }
    return rows.slice(0, this.byCaseLimit).map((row) => this.validated(row));
  }

  /** Rows of one partition with RowKey in [from, lt) — or (from, lt) when `exclusive` — in RowKey order. */
  private range(partitionKey: string, from: string, lt: string, exclusive: boolean): Row[] {
    const partition = this.rows.partitions.get(partitionKey);
    if (!partition) return [];
    return [...partition.keys()]
      .filter((key) => (exclusive ? key > from : key >= from) && key < lt)
      .sort()
      .map((key) => partition.get(key)!);
  }

  /** The same rules as the Table store: a replay only for the minting user under the same scope. */
  private async replayOf(input: NewRecord, scope: string | undefined): Promise<StoredRecord | undefined> {
    const partitionKey = tenantPartitionKey(input.scope.tenantId);
    const markerRow = this.rows.partitions.get(partitionKey)?.get(idempotencyRowKey(input.idempotencyKey));
    if (!markerRow) return undefined;
    const marker = this.checked(() => markerFromEntity('decisions', markerRow));
    const me = normaliseMinter(input.decidedBy.aadObjectId);
    if (marker.binding && (marker.binding.mintedBy !== me || marker.binding.boundTo !== scope))
      throw new IdempotencyKeyInUseError();
    const record = await this.get(input.scope.tenantId, marker.recordId);
    if (!record)
      throw this.reported(
        new CorruptEntityError(
          'decisions',
          `PartitionKey='${partitionKey}', RowKey='rec|${marker.recordId}'`,
          'idempotency marker points at a missing record',
        ),
      );
    if (normaliseMinter(record.decidedBy.aadObjectId) !== me) throw new IdempotencyKeyInUseError();
    return record;
  }

  private validated(row: Row): StoredRecord {
    return this.checked(() => recordFromEntity('decisions', row));
  }

  private checked<T>(read: () => T): T {
    try {
      return read();
    } catch (err) {
      throw err instanceof CorruptEntityError ? this.reported(err) : err;
    }
  }

  private reported(err: CorruptEntityError): CorruptEntityError {
    this.logger.error({ table: err.table, where: err.where, detail: err.detail }, 'corrupt entity in Table storage');
    return err;
  }
}

export class MemoryAuditStore implements AuditStore {
  private readonly entries: Array<{ key: string; entry: AuditEntry }> = [];
  private readonly now: () => Date;

  constructor(options: MemoryStoreOptions = {}) {
    this.now = options.now ?? (() => new Date());
  }

  async write(input: NewAuditEntry): Promise<AuditEntry> {
    const parsed = auditEntrySchema.safeParse({ ...input, at: input.at ?? this.now().toISOString() });
    if (!parsed.success) throw new InvalidRecordError(`audit entry rejected: ${describeIssues(parsed.error)}`);
    if (JSON.stringify(parsed.data.filter).length > MAX_FILTER_JSON_CHARS)
      throw new InvalidRecordError('audit entry rejected: filter is too large');
    // Newest first by time, ties kept apart (the Table store's random suffix orders them arbitrarily).
    this.entries.push({ key: `${parsed.data.at}|${crockfordRandom(8)}`, entry: copy(parsed.data) });
    return copy(parsed.data);
  }

  async list(tenantId: string, limit = 100): Promise<AuditEntry[]> {
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw new RangeError('limit must be an integer from 1 to 1000');
    return this.entries
      .filter((e) => e.entry.tenantId === tenantId)
      .sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0))
      .slice(0, limit)
      .map((e) => copy(e.entry));
  }
}

export class MemoryRoleStore implements RoleStore {
  private readonly grants = new Map<string, RoleGrant>();
  private readonly now: () => Date;

  constructor(options: MemoryStoreOptions = {}) {
    this.now = options.now ?? (() => new Date());
  }

  async getRole(tenantId: string, aadObjectId: string): Promise<Role | undefined> {
    return this.grants.get(JSON.stringify([tenantId, aadObjectId]))?.role;
  }

  async grant(tenantId: string, aadObjectId: string, role: Role, grantedBy?: string): Promise<RoleGrant> {
    const checked = roleGrantInputSchema.safeParse({ tenantId, aadObjectId, role, grantedBy });
    if (!checked.success) throw new InvalidRecordError(`role grant rejected: ${describeIssues(checked.error)}`);
    const grant: RoleGrant = {
      tenantId,
      aadObjectId,
      role,
      grantedAt: this.now().toISOString(),
      ...(grantedBy === undefined ? {} : { grantedBy }),
    };
    this.grants.set(JSON.stringify([tenantId, aadObjectId]), grant);
    return copy(grant);
  }

  async revoke(tenantId: string, aadObjectId: string): Promise<boolean> {
    return this.grants.delete(JSON.stringify([tenantId, aadObjectId]));
  }

  async list(tenantId: string): Promise<RoleGrant[]> {
    return [...this.grants.values()].filter((g) => g.tenantId === tenantId).map(copy);
  }
}

export class MemoryTenantSettingsStore implements TenantSettingsStore {
  private readonly rows = new Map<string, TenantSettings>();
  private readonly now: () => Date;

  constructor(options: MemoryStoreOptions = {}) {
    this.now = options.now ?? (() => new Date());
  }

  async get(tenantId: string): Promise<TenantSettings | undefined> {
    const row = this.rows.get(tenantId);
    return row && copy(row);
  }

  async save(
    tenantId: string,
    change: TenantSettingsChange,
    expectedEtag: string | undefined,
  ): Promise<SaveSettingsResult> {
    const valid = validatedSettingsChange(tenantId, change);
    // As the Table store: insert only when there is no row, replace only the version that was read.
    if (this.rows.get(tenantId)?.etag !== expectedEtag) return { ok: false, reason: 'conflict' };
    const settings: TenantSettings = { tenantId, ...valid, updatedAt: this.now().toISOString(), etag: newEtag() };
    this.rows.set(tenantId, copy(settings));
    return { ok: true, settings: copy(settings) };
  }
}

export class MemoryConversationStore implements ConversationStore {
  private readonly rows = new Map<string, StoredConversation>();
  private readonly now: () => Date;

  constructor(options: MemoryStoreOptions = {}) {
    this.now = options.now ?? (() => new Date());
  }

  async upsert(
    tenantId: string,
    reference: StoredConversationReference,
    meta: ConversationMeta,
  ): Promise<StoredConversation> {
    const stored = validatedConversation(tenantId, reference, meta, this.now());
    this.rows.set(JSON.stringify([tenantId, stored.conversationId]), copy(stored));
    return stored;
  }

  async markInactive(tenantId: string, conversationId: string, reason: string): Promise<boolean> {
    const key = JSON.stringify([tenantId, conversationId]);
    const row = this.rows.get(key);
    if (!row) return false;
    this.rows.set(key, {
      ...row,
      active: false,
      inactiveReason: reason.slice(0, INACTIVE_REASON_CHARS),
      updatedAt: this.now().toISOString(),
    });
    return true;
  }

  async get(tenantId: string, conversationId: string): Promise<StoredConversation | undefined> {
    const row = this.rows.get(JSON.stringify([tenantId, conversationId]));
    return row && copy(row);
  }

  async *listActive(tenantId?: string): AsyncGenerator<StoredConversation> {
    for (const row of [...this.rows.values()]) {
      if (row.active && (tenantId === undefined || row.tenantId === tenantId)) yield copy(row);
    }
  }
}

const SCHEDULE_ID = /^R-[0-9A-Z]{5}$/;

export class MemoryReminderStore implements ReminderStore {
  private readonly items = new Map<string, ReminderItem>();
  private readonly watermarks = new Map<string, string>();
  private readonly now: () => Date;

  constructor(options: MemoryStoreOptions = {}) {
    this.now = options.now ?? (() => new Date());
  }

  async createSchedule(input: NewScheduledReminder): Promise<ScheduledReminder> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const { reminder, columns } = newSchedule(input, this.now());
      const key = this.key(reminder);
      if (this.items.has(key)) continue;
      const { itemType: _i, ...stored } = columns;
      this.items.set(key, { type: 'schedule', tenantId: input.tenantId, id: reminder.id, ...stored });
      return copy(reminder);
    }
    throw new InvalidRecordError('could not allocate a unique reminder id');
  }

  async getSchedule(tenantId: string, scheduleId: string): Promise<ScheduledReminder | undefined> {
    if (!SCHEDULE_ID.test(scheduleId)) return undefined;
    const item = this.items.get(this.key({ type: 'schedule', tenantId, id: scheduleId }));
    return item?.type === 'schedule' ? copy(item) : undefined;
  }

  async listSchedules(tenantId: string, conversationId?: string): Promise<ScheduledReminder[]> {
    return this.active(tenantId)
      .filter(
        (i): i is ScheduledReminder =>
          i.type === 'schedule' && (conversationId === undefined || i.conversationId === conversationId),
      )
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  async cancelSchedule(tenantId: string, scheduleId: string, cancelledBy: string): Promise<boolean> {
    if (!SCHEDULE_ID.test(scheduleId)) return false;
    const key = this.key({ type: 'schedule', tenantId, id: scheduleId });
    const item = this.items.get(key);
    if (item?.type !== 'schedule') return false;
    this.items.set(key, { ...item, active: false, cancelledBy });
    return true;
  }

  async ensureFollowUp(input: NewFollowUpTracker): Promise<boolean> {
    const { tenantId, id: recordId, ...rest } = input;
    const checked = followUpEntitySchema.safeParse({
      itemType: 'followup',
      ...rest,
      remindersSent: 0,
      nextRunAt: input.dueAt,
      active: true,
    });
    if (!checked.success) throw new InvalidRecordError(`follow-up tracker rejected: ${describeIssues(checked.error)}`);
    const key = this.key({ type: 'followup', tenantId, id: recordId });
    if (this.items.has(key)) return false;
    const { itemType: _i, ...stored } = checked.data;
    this.items.set(key, { type: 'followup', tenantId, id: recordId, ...stored });
    return true;
  }

  async getFollowUp(tenantId: string, recordId: string): Promise<FollowUpTracker | undefined> {
    const item = this.items.get(this.key({ type: 'followup', tenantId, id: recordId }));
    return item?.type === 'followup' ? copy(item) : undefined;
  }

  async closeFollowUp(tenantId: string, recordId: string, reason: string): Promise<void> {
    const key = this.key({ type: 'followup', tenantId, id: recordId });
    const item = this.items.get(key);
    if (item?.type === 'followup') this.items.set(key, { ...item, active: false, closedReason: reason.slice(0, 200) });
  }

  async listOpenFollowUps(tenantId: string, teamId?: string): Promise<FollowUpTracker[]> {
    return this.active(tenantId)
      .filter((i): i is FollowUpTracker => i.type === 'followup' && (teamId === undefined || i.teamId === teamId))
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  }

  async *due(at: Date): AsyncGenerator<ReminderItem> {
    const until = at.toISOString();
    for (const item of [...this.items.values()]) if (item.active && item.nextRunAt <= until) yield copy(item);
  }

  async advance(
    item: ReminderItem,
    runAt: string,
    nextRunAt: string | undefined,
    opts: { countReminder?: boolean } = {},
  ): Promise<boolean> {
    const key = this.key(item);
    const current = this.items.get(key);
    if (!current || current.nextRunAt !== runAt) return false;
    const moved: ReminderItem = nextRunAt === undefined ? { ...current, active: false } : { ...current, nextRunAt };
    if (opts.countReminder && moved.type === 'followup') moved.remindersSent += 1;
    this.items.set(key, moved);
    return true;
  }

  async getWatermark(tenantId: string): Promise<string | undefined> {
    return this.watermarks.get(tenantId);
  }

  async setWatermark(tenantId: string, readTo: string): Promise<void> {
    this.watermarks.set(tenantId, readTo);
  }

  private active(tenantId: string): ReminderItem[] {
    return [...this.items.values()].filter((i) => i.tenantId === tenantId && i.active).map(copy);
  }

  private key(item: Pick<ReminderItem, 'type' | 'tenantId' | 'id'>): string {
    return JSON.stringify([item.tenantId, item.type, item.id]);
  }
}

export class MemoryQuestionnaireSessionStore implements QuestionnaireSessionStore {
  private readonly current_ = new Map<string, CurrentQuestionnaire>();

  async replace(
    tenantId: string,
    aadObjectId: string,
    next: CurrentQuestionnaire,
    at: Date,
  ): Promise<CurrentQuestionnaire | undefined> {
    const key = JSON.stringify([tenantId, aadObjectId]);
    const previous = this.current_.get(key);
    // As the Table store: the start time is `at`, whatever `next.startedAt` says.
    const { startedAt: _ignored, ...rest } = next;
    this.current_.set(key, { ...copy(rest), startedAt: at.toISOString() });
    return previous && copy(previous);
  }

  async current(tenantId: string, aadObjectId: string): Promise<CurrentQuestionnaire | undefined> {
    const found = this.current_.get(JSON.stringify([tenantId, aadObjectId]));
    return found && copy(found);
  }
}

/** Leases with the Table store's semantics: conditional on the ETag the holder last saw; completed is final. */
export class MemoryLeaseStore implements LeaseStore {
  private readonly leases = new Map<
    string,
    { owner: string; expiresAt: number; generation: number; completed: boolean; etag: string }
  >();
  private readonly now: () => Date;

  constructor(options: MemoryStoreOptions = {}) {
    this.now = options.now ?? (() => new Date());
  }

  async acquire(key: string, owner: string, ttlMs: number): Promise<AcquireResult> {
    const wall = this.now().getTime();
    const current = this.leases.get(key);
    if (current?.completed) return { acquired: false, reason: 'completed', owner: current.owner };
    if (current && current.owner !== owner && current.expiresAt > wall)
      return { acquired: false, reason: 'held', owner: current.owner };
    const generation = current ? current.generation + 1 : 1;
    const row = { owner, expiresAt: wall + ttlMs, generation, completed: false, etag: newEtag() };
    this.leases.set(key, row);
    return {
      acquired: true,
      takeover: current !== undefined && current.owner !== owner,
      lease: { key, owner, expiresAt: row.expiresAt, generation, etag: row.etag },
    };
  }

  async renew(lease: Lease, ttlMs: number): Promise<Lease | undefined> {
    const written = this.overwrite(lease, { expiresAt: this.now().getTime() + ttlMs, completed: false });
    return written && { ...lease, expiresAt: written.expiresAt, etag: written.etag };
  }

  async complete(lease: Lease): Promise<boolean> {
    return this.overwrite(lease, { expiresAt: this.now().getTime(), completed: true }) !== undefined;
  }

  async release(lease: Lease): Promise<void> {
    this.overwrite(lease, { expiresAt: 0, completed: false });
  }

  /** ETag-conditional: undefined when someone else wrote the lease since (it is lost). */
  private overwrite(lease: Lease, state: { expiresAt: number; completed: boolean }) {
    const current = this.leases.get(lease.key);
    if (!current || current.etag !== lease.etag) return undefined;
    const row = { owner: lease.owner, generation: lease.generation, ...state, etag: newEtag() };
    this.leases.set(lease.key, row);
    return row;
  }
}

/**
 * Deliveries with the Table store's protocol: claim once, a stale 'sending' becomes 'unknown', 'failed' may be
 * reclaimed.
 */
export class MemoryDeliveryStore implements DeliveryStore {
  private readonly rows = new Map<
    string,
    { state: DeliveryState; owner: string; attempts: number; updatedAt: number; etag: string }
  >();
  private readonly now: () => Date;
  private readonly staleSendingMs: number;

  constructor(options: MemoryStoreOptions & { staleSendingMs?: number } = {}) {
    this.now = options.now ?? (() => new Date());
    this.staleSendingMs = options.staleSendingMs ?? 60_000;
  }

  async claim(runId: string, conversationId: string, owner: string): Promise<ClaimResult> {
    const key = JSON.stringify([runId, conversationId]);
    const now = this.now().getTime();
    const existing = this.rows.get(key);
    if (!existing || existing.state === 'failed' || (existing.state === 'sending' && existing.owner === owner)) {
      const attempts = existing ? existing.attempts + 1 : 1;
      const etag = newEtag();
      this.rows.set(key, { state: 'sending', owner, attempts, updatedAt: now, etag });
      return { claimed: true, claim: { runId, conversationId, owner, attempts, etag } };
    }
    if (existing.state === 'sending' && now - existing.updatedAt > this.staleSendingMs) {
      this.rows.set(key, { ...existing, state: 'unknown', updatedAt: now, etag: newEtag() });
      return { claimed: false, state: 'unknown' };
    }
    return { claimed: false, state: existing.state };
  }

  async finish(claim: DeliveryClaim, state: Exclude<DeliveryState, 'sending'>): Promise<boolean> {
    const key = JSON.stringify([claim.runId, claim.conversationId]);
    const existing = this.rows.get(key);
    if (!existing || existing.etag !== claim.etag) return false;
    this.rows.set(key, {
      state,
      owner: claim.owner,
      attempts: claim.attempts,
      updatedAt: this.now().getTime(),
      etag: newEtag(),
    });
    return true;
  }
}

/** Every store the app takes, in memory, sharing one clock and logger. */
export function memoryStores(options: MemoryStoreOptions = {}) {
  // Exposed so a test can seed records at chosen times through a second store over the same rows.
  const decisionRows = new MemoryDecisionRows();
  return {
    decisionRows,
    decisions: new MemoryDecisionStore({ ...options, rows: decisionRows }),
    audit: new MemoryAuditStore(options),
    roles: new MemoryRoleStore(options),
    conversations: new MemoryConversationStore(options),
    reminders: new MemoryReminderStore(options),
    sessions: new MemoryQuestionnaireSessionStore(),
    tenantSettings: new MemoryTenantSettingsStore(options),
    // Leases and deliveries keep the wall clock, as the Table ones do.
    leases: new MemoryLeaseStore(),
    deliveries: new MemoryDeliveryStore(),
  };
}
