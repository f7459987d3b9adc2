/**
 * What the scheduler works through, in the `reminders` table (one partition per tenant):
 *
 *   sched|{id}          a channel reminder someone set up (weekly digest or practice reminder)
 *   fu|{recordId}       a follow-up the guidance requires (subject not yet informed of a share
 *                       without consent), reminded daily until a follow-up entity is recorded
 *   wm|followups        how far the follow-up discovery has read the tenant's decisions
 *
 * Every schedulable row carries `active` and `nextRunAt` (ISO-8601 UTC, fixed width, so string
 * order is time order); the scheduler asks for `active eq true and nextRunAt le now` across
 * partitions. A run is identified by (row, nextRunAt); moving nextRunAt on is ETag-conditional
 * and only done when nextRunAt still holds the run's time, so it is safe to repeat.
 */
import { odata, type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import type { ConversationKind } from './contract';
import { entityPages } from './entityPages';
import { CorruptEntityError, guarded, InvalidRecordError, statusOf, wrapStorageError } from './errors';
import { crockfordRandom, decodeKeyPart, encodeKeyPart } from './keys';
import { defaultStorageLogger, type StorageLogger } from './logger';
import { describeIssues } from './recordSchemas';
import { DEFAULT_CALL_TIMEOUT_MS } from './tableClients';

export const SCHEDULE_KINDS = ['weekly_digest', 'practice'] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];

interface Schedulable {
  tenantId: string;
  /** ISO-8601 UTC of the next run. */
  nextRunAt: string;
  active: boolean;
}

export interface ScheduledReminder extends Schedulable {
  type: 'schedule';
  /** e.g. R-7F3KQ */
  id: string;
  kind: ScheduleKind;
  /** Practice topic code (practice reminders only). */
  topic?: string;
  cron: string;
  timezone: string;
  /** What the user typed, e.g. "weekly mon 09:00". */
  scheduleText: string;
  /** The channel's root conversation id (posts start a new thread). */
  conversationId: string;
  teamId?: string;
  channelId?: string;
  createdBy: string;
  createdAt: string;
  cancelledBy?: string;
}

export interface FollowUpTracker extends Schedulable {
  type: 'followup';
  /** The decision record id. */
  id: string;
  practitionerAad: string;
  /** Where the decision was made. */
  conversationId: string;
  conversationKind: ConversationKind;
  teamId?: string;
  channelId?: string;
  /** recordedAt + FOLLOW_UP_REMINDER_HOURS. */
  dueAt: string;
  /** Reminder runs completed so far. */
  remindersSent: number;
  closedReason?: string;
}

export type ReminderItem = ScheduledReminder | FollowUpTracker;

export type NewScheduledReminder = Omit<ScheduledReminder, 'type' | 'id' | 'active' | 'createdAt' | 'cancelledBy'>;
export type NewFollowUpTracker = Omit<FollowUpTracker, 'type' | 'active' | 'remindersSent' | 'closedReason' | 'nextRunAt'>;

const iso = z.iso.datetime();
const id = z.string().min(1).max(500);

const scheduleEntitySchema = z.object({
  itemType: z.literal('schedule'),
  kind: z.enum(SCHEDULE_KINDS),
  topic: z.string().max(64).optional(),
  cron: z.string().min(1).max(100),
  timezone: z.string().min(1).max(64),
  scheduleText: z.string().max(200),
  conversationId: id,
  teamId: id.optional(),
  channelId: id.optional(),
  createdBy: id,
  createdAt: iso,
  cancelledBy: id.optional(),
  nextRunAt: iso,
  active: z.boolean(),
});

const followUpEntitySchema = z.object({
  itemType: z.literal('followup'),
  practitionerAad: id,
  conversationId: id,
  conversationKind: z.enum(['personal', 'groupChat', 'channel']),
  teamId: id.optional(),
  channelId: id.optional(),
  dueAt: iso,
  remindersSent: z.number().int().min(0),
  closedReason: z.string().max(200).optional(),
  nextRunAt: iso,
  active: z.boolean(),
});

const SCHEDULE_PREFIX = 'sched|';
const FOLLOW_UP_PREFIX = 'fu|';
const WATERMARK_ROW = 'wm|followups';

export const scheduleRowKey = (scheduleId: string) => `${SCHEDULE_PREFIX}${scheduleId}`;
export const followUpRowKey = (recordId: string) => `${FOLLOW_UP_PREFIX}${encodeKeyPart(recordId)}`;

/** A stable key for the item (tenant + row), used in run ids and lease keys. */
export function itemKey(item: ReminderItem): string {
  return `${item.type}|${encodeKeyPart(item.tenantId)}|${item.id}`;
}

export interface ReminderStoreOptions {
  logger?: StorageLogger;
  callTimeoutMs?: number;
  now?: () => Date;
}

export class TableReminderStore {
  private readonly logger: StorageLogger;
  private readonly callTimeoutMs: number;
  private readonly now: () => Date;

  constructor(
    private readonly client: TableClient,
    options: ReminderStoreOptions = {},
  ) {
    this.logger = options.logger ?? defaultStorageLogger();
    this.callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    this.now = options.now ?? (() => new Date());
  }

  // ---- channel reminders -------------------------------------------------------------------

  async createSchedule(input: NewScheduledReminder): Promise<ScheduledReminder> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const reminder: ScheduledReminder = {
        ...input,
        type: 'schedule',
        id: `R-${crockfordRandom(5)}`,
        active: true,
        createdAt: this.now().toISOString(),
      };
      const { tenantId: _t, type: _ty, id: _id, ...columns } = reminder;
      const checked = scheduleEntitySchema.safeParse({ itemType: 'schedule', ...columns });
      if (!checked.success) throw new InvalidRecordError(`reminder rejected: ${describeIssues(checked.error)}`);
      try {
        await this.client.createEntity(
          { partitionKey: encodeKeyPart(input.tenantId), rowKey: scheduleRowKey(reminder.id), ...checked.data },
          { abortSignal: this.signal() },
        );
        return reminder;
      } catch (err) {
        if (statusOf(err) !== 409) throw wrapStorageError(err, 'create reminder');
      }
    }
    throw new InvalidRecordError('could not allocate a unique reminder id');
  }

  async getSchedule(tenantId: string, scheduleId: string): Promise<ScheduledReminder | undefined> {
    if (!/^R-[0-9A-Z]{5}$/.test(scheduleId)) return undefined;
    const row = await this.read(encodeKeyPart(tenantId), scheduleRowKey(scheduleId));
    const item = row && this.toItem(row);
    return item?.type === 'schedule' ? item : undefined;
  }

  /** Active reminders of one tenant, optionally of one channel. */
  async listSchedules(tenantId: string, conversationId?: string): Promise<ScheduledReminder[]> {
    const filter = [
      odata`PartitionKey eq ${encodeKeyPart(tenantId)}`,
      odata`RowKey ge ${SCHEDULE_PREFIX}`,
      odata`RowKey lt ${'sched}'}`,
      'active eq true',
      ...(conversationId === undefined ? [] : [odata`conversationId eq ${conversationId}`]),
    ].join(' and ');
    const out: ScheduledReminder[] = [];
    for await (const item of this.items(filter)) if (item.type === 'schedule') out.push(item);
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Cancels (keeps the row, inactive). False when there is no such active reminder. */
  async cancelSchedule(tenantId: string, scheduleId: string, cancelledBy: string): Promise<boolean> {
    if (!/^R-[0-9A-Z]{5}$/.test(scheduleId)) return false;
    try {
      await this.client.updateEntity(
        { partitionKey: encodeKeyPart(tenantId), rowKey: scheduleRowKey(scheduleId), active: false, cancelledBy },
        'Merge',
        { etag: '*', abortSignal: this.signal() },
      );
      return true;
    } catch (err) {
      if (statusOf(err) === 404) return false;
      throw wrapStorageError(err, 'cancel reminder');
    }
  }

  // ---- follow-up trackers ------------------------------------------------------------------

  /** Starts tracking a follow-up; a second call for the same record is a no-op (returns false). */
  async ensureFollowUp(input: NewFollowUpTracker): Promise<boolean> {
    const { tenantId, id: recordId, ...rest } = input;
    const checked = followUpEntitySchema.safeParse({ itemType: 'followup', ...rest, remindersSent: 0, nextRunAt: input.dueAt, active: true });
    if (!checked.success) throw new InvalidRecordError(`follow-up tracker rejected: ${describeIssues(checked.error)}`);
    try {
      await this.client.createEntity(
        { partitionKey: encodeKeyPart(tenantId), rowKey: followUpRowKey(recordId), ...checked.data },
        { abortSignal: this.signal() },
      );
      return true;
    } catch (err) {
      if (statusOf(err) === 409) return false;
      throw wrapStorageError(err, 'track follow-up');
    }
  }

  async getFollowUp(tenantId: string, recordId: string): Promise<FollowUpTracker | undefined> {
    const row = await this.read(encodeKeyPart(tenantId), followUpRowKey(recordId));
    const item = row && this.toItem(row);
    return item?.type === 'followup' ? item : undefined;
  }

  /** Stops the daily reminders for a follow-up (it has been recorded). */
  async closeFollowUp(tenantId: string, recordId: string, reason: string): Promise<void> {
    try {
      await this.client.updateEntity(
        { partitionKey: encodeKeyPart(tenantId), rowKey: followUpRowKey(recordId), active: false, closedReason: reason.slice(0, 200) },
        'Merge',
        { etag: '*', abortSignal: this.signal() },
      );
    } catch (err) {
      if (statusOf(err) !== 404) throw wrapStorageError(err, 'close follow-up');
    }
  }

  /** Open follow-ups of a tenant (optionally one team's), oldest due first. */
  async listOpenFollowUps(tenantId: string, teamId?: string): Promise<FollowUpTracker[]> {
    const filter = [
      odata`PartitionKey eq ${encodeKeyPart(tenantId)}`,
      odata`RowKey ge ${FOLLOW_UP_PREFIX}`,
      odata`RowKey lt ${'fu}'}`,
      'active eq true',
      ...(teamId === undefined ? [] : [odata`teamId eq ${teamId}`]),
    ].join(' and ');
    const out: FollowUpTracker[] = [];
    for await (const item of this.items(filter)) if (item.type === 'followup') out.push(item);
    return out.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
  }

  // ---- scheduling --------------------------------------------------------------------------

  /** Every active item (any tenant) whose next run is at or before `at`. */
  async *due(at: Date): AsyncGenerator<ReminderItem> {
    yield* this.items(odata`active eq true and nextRunAt le ${at.toISOString()}`);
  }

  /**
   * Moves an item past the run at `runAt`: to `nextRunAt`, or inactive when undefined.
   * Does nothing (returns false) if the item no longer has nextRunAt = runAt (already moved on).
   */
  async advance(item: ReminderItem, runAt: string, nextRunAt: string | undefined, opts: { countReminder?: boolean } = {}): Promise<boolean> {
    const partitionKey = encodeKeyPart(item.tenantId);
    const rowKey = item.type === 'schedule' ? scheduleRowKey(item.id) : followUpRowKey(item.id);
    for (let attempt = 0; attempt < 3; attempt++) {
      const row = await this.read(partitionKey, rowKey);
      if (!row || row.nextRunAt !== runAt) return false;
      const update: Record<string, unknown> = { partitionKey, rowKey };
      if (nextRunAt === undefined) update.active = false;
      else update.nextRunAt = nextRunAt;
      if (opts.countReminder && typeof row.remindersSent === 'number') update.remindersSent = row.remindersSent + 1;
      try {
        await this.client.updateEntity(update as { partitionKey: string; rowKey: string }, 'Merge', {
          etag: String(row.etag),
          abortSignal: this.signal(),
        });
        return true;
      } catch (err) {
        if (statusOf(err) === 404) return false;
        if (statusOf(err) !== 412) throw wrapStorageError(err, 'advance reminder');
      }
    }
    return false;
  }

  // ---- follow-up discovery watermark -------------------------------------------------------

  async getWatermark(tenantId: string): Promise<string | undefined> {
    const row = await this.read(encodeKeyPart(tenantId), WATERMARK_ROW);
    return typeof row?.readTo === 'string' ? row.readTo : undefined;
  }

  async setWatermark(tenantId: string, readTo: string): Promise<void> {
    await guarded('save watermark', () =>
      this.client.upsertEntity({ partitionKey: encodeKeyPart(tenantId), rowKey: WATERMARK_ROW, itemType: 'watermark', readTo }, 'Replace', {
        abortSignal: this.signal(),
      }),
    );
  }

  // ---- internals ---------------------------------------------------------------------------

  private async *items(filter: string): AsyncGenerator<ReminderItem> {
    for await (const page of entityPages(this.client, filter, () => this.signal(), 'list reminders')) {
      for (const row of page) {
        try {
          yield this.toItem(row);
        } catch (err) {
          if (!(err instanceof CorruptEntityError)) throw err;
        }
      }
    }
  }

  private toItem(row: Record<string, unknown>): ReminderItem {
    const partitionKey = String(row.partitionKey);
    const rowKey = String(row.rowKey);
    const tenantId = decodeKeyPart(partitionKey);
    const fail = (detail: string) => {
      const err = new CorruptEntityError(this.client.tableName, `PartitionKey='${partitionKey}', RowKey='${rowKey}'`, detail);
      this.logger.error({ table: err.table, where: err.where, detail }, 'corrupt entity in Table storage');
      return err;
    };
    if (rowKey.startsWith(SCHEDULE_PREFIX)) {
      const parsed = scheduleEntitySchema.safeParse(row);
      if (!parsed.success) throw fail(describeIssues(parsed.error));
      const { itemType: _i, ...rest } = parsed.data;
      return { type: 'schedule', tenantId, id: rowKey.slice(SCHEDULE_PREFIX.length), ...rest };
    }
    if (rowKey.startsWith(FOLLOW_UP_PREFIX)) {
      const parsed = followUpEntitySchema.safeParse(row);
      if (!parsed.success) throw fail(describeIssues(parsed.error));
      const { itemType: _i, ...rest } = parsed.data;
      return { type: 'followup', tenantId, id: decodeKeyPart(rowKey.slice(FOLLOW_UP_PREFIX.length)), ...rest };
    }
    throw fail('not a schedulable row');
  }

  private async read(partitionKey: string, rowKey: string): Promise<Record<string, unknown> | undefined> {
    try {
      return await this.client.getEntity<Record<string, unknown>>(partitionKey, rowKey, { abortSignal: this.signal() });
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw wrapStorageError(err, 'read reminder');
    }
  }

  private signal(): AbortSignal {
    return AbortSignal.timeout(this.callTimeoutMs);
  }
}
