/**
 * What the scheduler works through, in the `reminders` table (one partition per tenant):
 *
 *   sched|{id}          a channel reminder someone set up (weekly digest or practice reminder)
 *   fu|{recordId}       a follow-up the guidance requires (subject not yet informed of a share
 *                       without consent), reminded daily until a follow-up entity is recorded;
 *                       or (code 'record_urgent_decision') an urgent share whose decision is not
 *                       yet recorded, reminded in personal chat until a decision links to it
 *   wm|followups        how far the follow-up discovery has read the tenant's decisions
 *
 * Every schedulable row carries `active` and `nextRunAt` (ISO-8601 UTC, fixed width, so string
 * order is time order); the scheduler asks for `active eq true and nextRunAt le now` across
 * partitions. A run is identified by (row, nextRunAt); moving nextRunAt on is ETag-conditional
 * and only done when nextRunAt still holds the run's time, so it is safe to repeat.
 */
import { odata } from '@azure/data-tables';
import { z } from 'zod';
import type { ConversationKind, ReminderStore } from './contract';
import { InvalidRecordError } from './errors';
import { crockfordRandom, decodeKeyPart, encodeKeyPart } from './keys';
import { describeIssues } from './recordSchemas';
import { TableStore, whereOf, type Entity } from './tableStore';

export const SCHEDULE_KINDS = ['weekly_digest', 'practice'] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];

/**
 * What a follow-up tracker waits for. Rows written before codes existed have none: they are
 * 'inform_subject_later'.
 */
export const TRACKED_FOLLOW_UPS = ['inform_subject_later', 'record_urgent_decision'] as const;
export type TrackedFollowUp = (typeof TRACKED_FOLLOW_UPS)[number];

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
  /** The record id: the decision, or (record_urgent_decision) the urgent entry. */
  id: string;
  /** Absent: 'inform_subject_later'. */
  code?: TrackedFollowUp;
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
export type NewFollowUpTracker = Omit<
  FollowUpTracker,
  'type' | 'active' | 'remindersSent' | 'closedReason' | 'nextRunAt'
>;

const iso = z.iso.datetime();
const id = z.string().min(1).max(500);

export const scheduleEntitySchema = z.object({
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

export const followUpEntitySchema = z.object({
  itemType: z.literal('followup'),
  code: z.enum(TRACKED_FOLLOW_UPS).optional(),
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

/**
 * A new channel reminder with a fresh random id, and its validated columns — as every ReminderStore
 * implementation creates one (the caller retries with another id if it is taken).
 */
export function newSchedule(
  input: NewScheduledReminder,
  at: Date,
): { reminder: ScheduledReminder; columns: z.infer<typeof scheduleEntitySchema> } {
  const reminder: ScheduledReminder = {
    ...input,
    type: 'schedule',
    id: `R-${crockfordRandom(5)}`,
    active: true,
    createdAt: at.toISOString(),
  };
  const { tenantId: _t, type: _ty, id: _id, ...fields } = reminder;
  const checked = scheduleEntitySchema.safeParse({ itemType: 'schedule', ...fields });
  if (!checked.success) throw new InvalidRecordError(`reminder rejected: ${describeIssues(checked.error)}`);
  return { reminder, columns: checked.data };
}

export class TableReminderStore extends TableStore implements ReminderStore {
  // ---- channel reminders -------------------------------------------------------------------

  async createSchedule(input: NewScheduledReminder): Promise<ScheduledReminder> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const { reminder, columns } = newSchedule(input, this.now());
      const created = await this.conditional('create reminder', [409], (abortSignal) =>
        this.client.createEntity(
          { partitionKey: encodeKeyPart(input.tenantId), rowKey: scheduleRowKey(reminder.id), ...columns },
          { abortSignal },
        ),
      );
      if (created.ok) return reminder;
      // 409: the random id is taken; try another.
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
    const items = await this.activeRows(
      tenantId,
      SCHEDULE_PREFIX,
      conversationId === undefined ? undefined : odata`conversationId eq ${conversationId}`,
    );
    const out = items.filter((item): item is ScheduledReminder => item.type === 'schedule');
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Cancels (keeps the row, inactive). False when there is no such active reminder. */
  async cancelSchedule(tenantId: string, scheduleId: string, cancelledBy: string): Promise<boolean> {
    if (!/^R-[0-9A-Z]{5}$/.test(scheduleId)) return false;
    const cancelled = await this.conditional('cancel reminder', [404], (abortSignal) =>
      this.client.updateEntity(
        { partitionKey: encodeKeyPart(tenantId), rowKey: scheduleRowKey(scheduleId), active: false, cancelledBy },
        'Merge',
        { etag: '*', abortSignal },
      ),
    );
    return cancelled.ok;
  }

  // ---- follow-up trackers ------------------------------------------------------------------

  /** Starts tracking a follow-up; a second call for the same record is a no-op (returns false). */
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
    const created = await this.conditional('track follow-up', [409], (abortSignal) =>
      this.client.createEntity(
        { partitionKey: encodeKeyPart(tenantId), rowKey: followUpRowKey(recordId), ...checked.data },
        { abortSignal },
      ),
    );
    return created.ok;
  }

  async getFollowUp(tenantId: string, recordId: string): Promise<FollowUpTracker | undefined> {
    const row = await this.read(encodeKeyPart(tenantId), followUpRowKey(recordId));
    const item = row && this.toItem(row);
    return item?.type === 'followup' ? item : undefined;
  }

  /** Stops the daily reminders for a follow-up (it has been recorded). */
  async closeFollowUp(tenantId: string, recordId: string, reason: string): Promise<void> {
    // 404: nothing to close.
    await this.conditional('close follow-up', [404], (abortSignal) =>
      this.client.updateEntity(
        {
          partitionKey: encodeKeyPart(tenantId),
          rowKey: followUpRowKey(recordId),
          active: false,
          closedReason: reason.slice(0, 200),
        },
        'Merge',
        { etag: '*', abortSignal },
      ),
    );
  }

  /** Open follow-ups of a tenant (optionally one team's), oldest due first. */
  async listOpenFollowUps(tenantId: string, teamId?: string): Promise<FollowUpTracker[]> {
    const items = await this.activeRows(
      tenantId,
      FOLLOW_UP_PREFIX,
      teamId === undefined ? undefined : odata`teamId eq ${teamId}`,
    );
    const out = items.filter((item): item is FollowUpTracker => item.type === 'followup');
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
  async advance(
    item: ReminderItem,
    runAt: string,
    nextRunAt: string | undefined,
    opts: { countReminder?: boolean } = {},
  ): Promise<boolean> {
    const partitionKey = encodeKeyPart(item.tenantId);
    const rowKey = item.type === 'schedule' ? scheduleRowKey(item.id) : followUpRowKey(item.id);
    for (let attempt = 0; attempt < 3; attempt++) {
      const row = await this.read(partitionKey, rowKey);
      if (!row || row.nextRunAt !== runAt) return false;
      const update: Record<string, unknown> = { partitionKey, rowKey };
      if (nextRunAt === undefined) update.active = false;
      else update.nextRunAt = nextRunAt;
      if (opts.countReminder && typeof row.remindersSent === 'number') update.remindersSent = row.remindersSent + 1;
      const moved = await this.conditional('advance reminder', [404, 412], (abortSignal) =>
        this.client.updateEntity(update as { partitionKey: string; rowKey: string }, 'Merge', {
          etag: String(row.etag),
          abortSignal,
        }),
      );
      if (moved.ok) return true;
      if (moved.status === 404) return false;
      // 412: changed since we read it; read again.
    }
    return false;
  }

  // ---- follow-up discovery watermark -------------------------------------------------------

  async getWatermark(tenantId: string): Promise<string | undefined> {
    const row = await this.read(encodeKeyPart(tenantId), WATERMARK_ROW);
    return typeof row?.readTo === 'string' ? row.readTo : undefined;
  }

  async setWatermark(tenantId: string, readTo: string): Promise<void> {
    await this.call('save watermark', (abortSignal) =>
      this.client.upsertEntity(
        { partitionKey: encodeKeyPart(tenantId), rowKey: WATERMARK_ROW, itemType: 'watermark', readTo },
        'Replace',
        { abortSignal },
      ),
    );
  }

  // ---- internals ---------------------------------------------------------------------------

  /** Active rows of one tenant whose RowKey starts with `prefix` (ending in '|'), optionally one more condition. */
  private async activeRows(tenantId: string, prefix: string, condition?: string): Promise<ReminderItem[]> {
    const end = `${prefix.slice(0, -1)}}`; // '}' is the character after '|': the end of the prefix's range
    const filter = [
      odata`PartitionKey eq ${encodeKeyPart(tenantId)}`,
      odata`RowKey ge ${prefix}`,
      odata`RowKey lt ${end}`,
      'active eq true',
      ...(condition === undefined ? [] : [condition]),
    ].join(' and ');
    const out: ReminderItem[] = [];
    for await (const item of this.items(filter)) out.push(item);
    return out;
  }

  /** Schedulable rows of a listing; a corrupt one is logged and skipped so it cannot stop the scheduler. */
  private items(filter: string): AsyncGenerator<ReminderItem> {
    return this.readable(this.pages(filter, 'list reminders'), (row) => this.toItem(row));
  }

  private toItem(row: Entity): ReminderItem {
    const rowKey = String(row.rowKey);
    const tenantId = decodeKeyPart(String(row.partitionKey));
    if (rowKey.startsWith(SCHEDULE_PREFIX)) {
      const { itemType: _i, ...rest } = this.parsed(scheduleEntitySchema, row);
      return { type: 'schedule', tenantId, id: rowKey.slice(SCHEDULE_PREFIX.length), ...rest };
    }
    if (rowKey.startsWith(FOLLOW_UP_PREFIX)) {
      const { itemType: _i, ...rest } = this.parsed(followUpEntitySchema, row);
      return { type: 'followup', tenantId, id: decodeKeyPart(rowKey.slice(FOLLOW_UP_PREFIX.length)), ...rest };
    }
    throw this.corrupt(whereOf(row), 'not a schedulable row');
  }

  private read(partitionKey: string, rowKey: string): Promise<Entity | undefined> {
    return this.pointRead(partitionKey, rowKey, 'read reminder');
  }
}
