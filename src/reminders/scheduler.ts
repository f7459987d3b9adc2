/**
 * The reminder scheduler: a croner tick (every minute by default) that
 *   1. discovers decisions whose follow-up "inform the subject later" is open (per tenant, from a
 *      watermark, through the decisions store's indexes) and tracks each one,
 *   2. finds every due item (channel reminders and follow-up trackers) and runs it:
 *      lease per run → build targets and messages → fan out (DeliveryEngine) → move the item on.
 *
 * Exactly-once per run and conversation comes from two tables (see the file headers of delivery.ts
 * and storage/leaseStore.ts): the lease (taken through scheduling/leasedJob.ts) makes one instance
 * the sender of a run, the deliveries table makes each (run, conversation) sendable once even
 * across a takeover.
 */
import type { Logger } from '../logger';
import { LeasedJob, type LeasedRun } from '../scheduling/leasedJob';
import type { ConversationStore, DecisionStore, LeaseStore, ReminderStore, StoredRecord } from '../storage/contract';
import type { StoredConversation } from '../storage/conversationStore';
import { itemKey, type FollowUpTracker, type ReminderItem, type ScheduledReminder } from '../storage/reminderStore';
import type { DeliveryEngine, DeliveryTarget, RunResult } from './delivery';
import { nextRunAfter } from './schedule';
import type { OutgoingMessage } from './sender';
import { pool } from '../util/pool';
import { errorFields } from '../logger';
import { teamSummary, type TeamSummary } from '../storage/teamSummary';

/** The least RETENTION_DAYS the config accepts. */
const MIN_RETENTION_DAYS = 30;

/** Builds the messages (cards); supplied by the bot layer so this engine stays transport-free. */
export interface ReminderComposer {
  practice(reminder: ScheduledReminder): OutgoingMessage | undefined;
  digest(
    reminder: ScheduledReminder,
    open: Array<{ tracker: FollowUpTracker; record?: StoredRecord }>,
    now: Date,
    /** The team's summary figures for the last 7 days (absent outside a team, or if they could not be read). */
    summary?: TeamSummary,
  ): OutgoingMessage;
  followUp(
    record: StoredRecord,
    tracker: FollowUpTracker,
    audience: 'personal' | 'channel',
    now: Date,
  ): OutgoingMessage;
  /** "You shared urgently: record the decision" — personal chat only. */
  urgentFollowUp(entry: StoredRecord, tracker: FollowUpTracker, now: Date): OutgoingMessage;
}

/** How many pages of the practitioner's later records are read to find the decision an urgent entry awaits. */
const URGENT_LINK_PAGES = 5;

export interface SchedulerOptions {
  /** Croner pattern for the tick (6 fields allowed). */
  tickCron: string;
  /** How long a run's lease lasts without renewal; renewed every third of it while sending. */
  leaseTtlMs: number;
  /** Hours after a share without consent before the first "have you told them?" reminder. */
  followUpHours: number;
  /** Hours after an urgent share before the first "record the decision" reminder. */
  urgentFollowUpHours: number;
  /** Hours between repeats of a follow-up reminder. */
  followUpRepeatHours: number;
  /** Minimum time between follow-up discovery passes (0 = every tick). */
  discoveryIntervalMs: number;
  /** After this many passes at one run (lease generations), a run is closed even if some sends failed. */
  maxRunPasses: number;
  /** Runs worked on at once by one instance. */
  runConcurrency: number;
  /** Items taken per tick (the rest wait for the next tick). */
  maxItemsPerTick: number;
  /** Discovery overlap: re-read decisions this far behind the newest one seen (late commits). */
  watermarkOverlapMs: number;
}

export const DEFAULT_SCHEDULER_OPTIONS: SchedulerOptions = {
  tickCron: '0 * * * * *',
  leaseTtlMs: 60_000,
  followUpHours: 72,
  urgentFollowUpHours: 2,
  followUpRepeatHours: 24,
  discoveryIntervalMs: 5 * 60_000,
  maxRunPasses: 5,
  runConcurrency: 8,
  maxItemsPerTick: 500,
  watermarkOverlapMs: 5 * 60_000,
};

export interface SchedulerDeps {
  reminders: ReminderStore;
  leases: LeaseStore;
  conversations: ConversationStore;
  decisions: DecisionStore;
  engine: DeliveryEngine;
  composer: ReminderComposer;
  logger: Logger;
  /** The business clock (injectable): decides what is due. Leases use the wall clock. */
  now: () => Date;
  owner?: string;
  options?: Partial<SchedulerOptions>;
  /**
   * Whether this person is a manager in this tenant now (the bot's role check, injected so this
   * engine stays free of bot code). A digest carries the team's figures only when its creator is one
   * at send time: a practitioner may not have them posted to a channel.
   */
  isManager: (tenantId: string, aadObjectId: string) => Promise<boolean>;
}

export interface TickResult {
  discovered: number;
  runs: RunResult[];
  skipped: number;
  closed: number;
}

export class ReminderScheduler {
  readonly options: SchedulerOptions;
  private readonly job: LeasedJob;
  private current?: Promise<TickResult>;
  private lastDiscovery = 0;

  constructor(private readonly deps: SchedulerDeps) {
    this.options = { ...DEFAULT_SCHEDULER_OPTIONS, ...deps.options };
    this.job = new LeasedJob({
      name: 'reminder',
      leases: deps.leases,
      logger: deps.logger,
      leaseTtlMs: this.options.leaseTtlMs,
      owner: deps.owner,
    });
  }

  get owner(): string {
    return this.job.owner;
  }

  start(): void {
    this.job.start(this.options.tickCron, () => this.tick());
  }

  /** Stops ticking; aborts the running tick (sends in flight finish and are recorded) and waits for it. */
  async stop(): Promise<void> {
    await this.job.stop();
    await this.current?.catch(() => undefined);
  }

  get stopped(): boolean {
    return this.job.stopped;
  }

  /** One pass: discovery, then every due item. Safe to call directly (tests); ticks never overlap. */
  tick(): Promise<TickResult> {
    if (this.current) return this.current;
    const run = this.doTick().finally(() => {
      this.current = undefined;
    });
    this.current = run;
    return run;
  }

  private async doTick(): Promise<TickResult> {
    const result: TickResult = { discovered: 0, runs: [], skipped: 0, closed: 0 };
    if (this.stopped) return result;
    const now = this.deps.now();
    if (Date.now() - this.lastDiscovery >= this.options.discoveryIntervalMs) {
      result.discovered = await this.discoverFollowUps();
      this.lastDiscovery = Date.now();
    }
    const due: ReminderItem[] = [];
    for await (const item of this.deps.reminders.due(now)) {
      due.push(item);
      if (due.length >= this.options.maxItemsPerTick) break;
    }
    const cache = new TickCache(this.deps.conversations);
    // Runs to one recipient wait on its 1-per-second gap while holding a worker slot: taken round
    // robin across recipients, one practitioner's many items never hold every slot while others wait.
    await pool(roundRobin(due, recipientOf), this.options.runConcurrency, async (item) => {
      if (this.stopped) return;
      const outcome = await this.runItem(item, now, cache).catch((err: unknown) => {
        this.deps.logger.error(
          { event: 'reminder.run_failed', item: item.type, err: errorFields(err) },
          'reminder run failed',
        );
        return 'skipped' as const;
      });
      if (outcome === 'skipped') result.skipped++;
      else if (outcome === 'closed') result.closed++;
      else result.runs.push(outcome);
    });
    return result;
  }

  // ---- follow-up discovery -----------------------------------------------------------------

  /**
   * Tracks every decision (since the tenant's watermark) that still has "inform the subject later"
   * open, and every urgent entry awaiting its decision that has no follow-up yet.
   */
  async discoverFollowUps(): Promise<number> {
    const tenants = new Set<string>();
    for await (const c of this.deps.conversations.listActive()) tenants.add(c.tenantId);
    let discovered = 0;
    for (const tenantId of tenants) {
      if (this.stopped) break;
      const from = await this.deps.reminders.getWatermark(tenantId);
      let newest: string | undefined;
      let token: string | undefined;
      do {
        const page = await this.deps.decisions.query({ tenantId, ...(from ? { from } : {}) }, 200, token);
        for (const record of page.items) {
          if (!newest || record.recordedAt > newest) newest = record.recordedAt;
          // An urgent entry whose follow-up was never written (the bot's write failed, or its
          // response was lost and the user never pressed again): track it now. One whose decision
          // is already recorded is closed at its first run, without a reminder.
          if (record.kind === 'urgent_share') {
            const tracked = await this.deps.reminders.ensureFollowUp({
              tenantId,
              id: record.id,
              code: 'record_urgent_decision',
              practitionerAad: record.decidedBy.aadObjectId,
              conversationId: record.scope.conversationId,
              conversationKind: record.scope.conversationKind,
              dueAt: new Date(
                Date.parse(record.recordedAt) + this.options.urgentFollowUpHours * 3_600_000,
              ).toISOString(),
            });
            if (tracked) discovered++;
            continue;
          }
          if (record.kind !== 'decision' || !record.openFollowUps.includes('inform_subject_later')) continue;
          const dueAt = new Date(Date.parse(record.recordedAt) + this.options.followUpHours * 3_600_000).toISOString();
          const created = await this.deps.reminders.ensureFollowUp({
            tenantId,
            id: record.id,
            practitionerAad: record.decidedBy.aadObjectId,
            conversationId: record.scope.conversationId,
            conversationKind: record.scope.conversationKind,
            ...(record.scope.teamId ? { teamId: record.scope.teamId } : {}),
            ...(record.scope.channelId ? { channelId: record.scope.channelId } : {}),
            dueAt,
          });
          if (created) discovered++;
        }
        token = page.continuationToken;
      } while (token && !this.stopped);
      if (newest) {
        const readTo = new Date(Date.parse(newest) - this.options.watermarkOverlapMs).toISOString();
        if (!from || readTo > from) await this.deps.reminders.setWatermark(tenantId, readTo);
      }
    }
    if (discovered > 0)
      this.deps.logger.info({ event: 'reminder.followups_discovered', count: discovered }, 'follow-ups to track');
    return discovered;
  }

  // ---- one run -----------------------------------------------------------------------------

  private async runItem(item: ReminderItem, now: Date, cache: TickCache): Promise<RunResult | 'skipped' | 'closed'> {
    const runAt = item.nextRunAt;
    const runId = `${itemKey(item)}@${runAt}`;
    const outcome = await this.job.run(runId, (run) => this.sendRun(run, runId, item, now, cache));
    if (outcome.ran) return outcome.value;
    // A completed run whose item was not moved on (its sender died in between): move it on now.
    if (outcome.reason === 'completed') await this.advance(item, runAt, now);
    return 'skipped';
  }

  /** One run under its lease: plan, fan out, then move the item on (or leave the run for a later pass). */
  private async sendRun(
    run: LeasedRun,
    runId: string,
    item: ReminderItem,
    now: Date,
    cache: TickCache,
  ): Promise<RunResult | 'closed'> {
    if (run.takeover)
      this.deps.logger.info(
        { event: 'reminder.run_takeover', runId, generation: run.generation },
        'taking over an unfinished run',
      );
    const plan = await this.plan(item, now, cache);
    if (plan === 'closed') {
      await run.complete();
      return 'closed';
    }
    const result = await this.deps.engine.deliverRun(runId, plan, run.signal);
    if (!run.held) return result;
    if (result.complete || run.generation >= this.options.maxRunPasses) {
      if (!result.complete)
        this.deps.logger.warn(
          { event: 'reminder.run_closed_incomplete', runId, counts: result.counts },
          'closing a run with undelivered messages',
        );
      await this.advance(item, item.nextRunAt, now);
      await run.complete();
    } else if (!this.stopped) {
      // Some sends failed after their retries: let the next tick (any instance) try again.
      await run.release();
    }
    // When stopping, the lease is simply left to expire (as after a crash).
    this.deps.logger.info(
      { event: 'reminder.run_done', runId, counts: result.counts, complete: result.complete },
      'reminder run finished',
    );
    return result;
  }

  private planUrgent(item: FollowUpTracker, entry: StoredRecord, now: Date, cache: TickCache) {
    return planUrgentFollowUp(this.deps, item, entry, now, cache);
  }

  /** Moves the item past `runAt`: schedules to their next cron time, follow-ups by the repeat interval. */
  private async advance(item: ReminderItem, runAt: string, now: Date): Promise<void> {
    const after = new Date(Math.max(Date.parse(runAt), now.getTime()));
    if (item.type === 'schedule') {
      const next = nextRunAfter(item.cron, after, item.timezone);
      await this.deps.reminders.advance(item, runAt, next?.toISOString());
    } else {
      const step = this.options.followUpRepeatHours * 3_600_000;
      let next = Date.parse(runAt) + step;
      while (next <= now.getTime()) next += step;
      await this.deps.reminders.advance(item, runAt, new Date(next).toISOString(), { countReminder: true });
    }
  }

  /**
   * The team's figures for the digest: the last 7 days beside the 7 before, from the per-day
   * counters (counts only, no case). RETENTION_DAYS is at least 30 (src/config.ts), so these 14 days
   * never reach the retention window. An outage leaves them out rather than holding the digest back.
   */
  private async digestSummary(item: ScheduledReminder, now: Date): Promise<TeamSummary | undefined> {
    if (item.teamId === undefined) return undefined;
    try {
      // Checked at every send, not when the digest was set up: a revoked manager's digest loses the figures.
      if (!(await this.deps.isManager(item.tenantId, item.createdBy))) {
        this.deps.logger.info(
          { event: 'reminder.digest_summary_withheld', reminderId: item.id },
          'digest sent without the team summary: its creator is not a manager',
        );
        return undefined;
      }
      return await teamSummary(this.deps.decisions, {
        tenantId: item.tenantId,
        teamId: item.teamId,
        days: 7,
        now,
        retentionDays: MIN_RETENTION_DAYS,
      });
    } catch (err) {
      this.deps.logger.warn(
        { event: 'reminder.digest_summary_failed', reminderId: item.id, err: errorFields(err) },
        'digest sent without the team summary',
      );
      return undefined;
    }
  }

  /** Who gets what for this run; 'closed' when nothing is owed any more. */
  private async plan(item: ReminderItem, now: Date, cache: TickCache): Promise<DeliveryTarget[] | 'closed'> {
    const { composer, conversations, reminders, decisions } = this.deps;
    if (item.type === 'schedule') {
      const channel = await conversations.get(item.tenantId, item.conversationId);
      if (!channel?.active) {
        this.deps.logger.warn(
          { event: 'reminder.channel_gone', reminderId: item.id },
          'reminder channel no longer reachable; cancelling',
        );
        await reminders.cancelSchedule(item.tenantId, item.id, 'system:channel_inactive');
        return 'closed';
      }
      let message: OutgoingMessage | undefined;
      if (item.kind === 'practice') message = composer.practice(item);
      else {
        // Urgent entries are the practitioner's own to record: reminded in personal chat, never posted to a channel.
        const open = (await reminders.listOpenFollowUps(item.tenantId, item.teamId)).filter(
          (tracker) => tracker.code !== 'record_urgent_decision',
        );
        const withRecords = await Promise.all(
          open
            .slice(0, 30)
            .map(async (tracker) => ({ tracker, record: await decisions.get(item.tenantId, tracker.id) })),
        );
        message = composer.digest(item, withRecords, now, await this.digestSummary(item, now));
      }
      return message ? [targetOf(channel, message)] : 'closed';
    }

    const record = await decisions.get(item.tenantId, item.id);
    if (!record) {
      await reminders.closeFollowUp(item.tenantId, item.id, 'record_missing');
      return 'closed';
    }
    if (item.code === 'record_urgent_decision') return this.planUrgent(item, record, now, cache);
    const history = await decisions.byCase(item.tenantId, record.caseReference);
    if (history.some((r) => r.kind === 'follow_up_subject_informed' && r.parentId === record.id)) {
      await reminders.closeFollowUp(item.tenantId, item.id, 'follow_up_recorded');
      return 'closed';
    }
    const targets: DeliveryTarget[] = [];
    const personal = await cache.personalChat(
      item.tenantId,
      item.practitionerAad,
      item.conversationKind === 'personal' ? item.conversationId : undefined,
    );
    if (personal) targets.push(targetOf(personal, composer.followUp(record, item, 'personal', now)));
    if (item.teamId) {
      const channel = await cache.channel(item.tenantId, item.teamId, item.channelId);
      if (channel) targets.push(targetOf(channel, composer.followUp(record, item, 'channel', now)));
    }
    if (targets.length === 0)
      this.deps.logger.warn(
        { event: 'reminder.followup_unreachable', recordId: record.id },
        'no conversation to remind the practitioner in',
      );
    return targets;
  }
}

/**
 * An urgent entry awaiting its decision: closed once a decision of the same practitioner links to it
 * (the bot closes the tracker when it records one; this catches a close that failed), else one
 * reminder in the practitioner's personal chat.
 */
async function planUrgentFollowUp(
  deps: SchedulerDeps,
  item: FollowUpTracker,
  entry: StoredRecord,
  now: Date,
  cache: TickCache,
): Promise<DeliveryTarget[] | 'closed'> {
  if (entry.kind !== 'urgent_share' || (await urgentDecisionRecorded(deps.decisions, entry))) {
    await deps.reminders.closeFollowUp(
      item.tenantId,
      item.id,
      entry.kind === 'urgent_share' ? 'decision_recorded' : 'not_urgent_entry',
    );
    return 'closed';
  }
  const personal = await cache.personalChat(
    item.tenantId,
    item.practitionerAad,
    item.conversationKind === 'personal' ? item.conversationId : undefined,
  );
  if (!personal) {
    deps.logger.warn(
      { event: 'reminder.urgent_followup_unreachable', recordId: entry.id },
      'no personal chat to remind the practitioner in',
    );
    return [];
  }
  return [targetOf(personal, deps.composer.urgentFollowUp(entry, item, now))];
}

/** True when the entry's practitioner has recorded a decision linked to it (their records since the entry). */
async function urgentDecisionRecorded(decisions: DecisionStore, entry: StoredRecord): Promise<boolean> {
  let token: string | undefined;
  for (let page = 0; page < URGENT_LINK_PAGES; page++) {
    const result = await decisions.query(
      { tenantId: entry.scope.tenantId, decidedBy: entry.decidedBy.aadObjectId, from: entry.recordedAt },
      200,
      token,
    );
    if (result.items.some((r) => r.kind === 'decision' && r.urgentEntryId === entry.id)) return true;
    token = result.continuationToken;
    if (!token) return false;
  }
  return false;
}

/** Whom an item's run is sent to: a schedule's conversation, or a follow-up's practitioner. */
const recipientOf = (item: ReminderItem): string =>
  item.type === 'schedule'
    ? `${item.tenantId}|c|${item.conversationId}`
    : `${item.tenantId}|p|${item.practitionerAad.toLowerCase()}`;

/** `items` reordered: the first of each key (in order of first appearance), then the second of each, and so on. */
function roundRobin<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  const out: T[] = [];
  const queues = [...groups.values()];
  for (let round = 0; out.length < items.length; round++)
    for (const q of queues) if (round < q.length) out.push(q[round]!);
  return out;
}

function targetOf(conversation: StoredConversation, message: OutgoingMessage): DeliveryTarget {
  return {
    tenantId: conversation.tenantId,
    conversationId: conversation.conversationId,
    reference: conversation.reference,
    message,
  };
}

/** Per-tick lookups of a tenant's conversations (one partition scan per tenant per tick). */
class TickCache {
  private readonly byTenant = new Map<string, Promise<StoredConversation[]>>();

  constructor(private readonly conversations: ConversationStore) {}

  private all(tenantId: string): Promise<StoredConversation[]> {
    let list = this.byTenant.get(tenantId);
    if (!list) {
      list = (async () => {
        const out: StoredConversation[] = [];
        for await (const c of this.conversations.listActive(tenantId)) out.push(c);
        return out;
      })();
      this.byTenant.set(tenantId, list);
    }
    return list;
  }

  async personalChat(
    tenantId: string,
    aadObjectId: string,
    preferredId?: string,
  ): Promise<StoredConversation | undefined> {
    const list = await this.all(tenantId);
    const mine = list.filter(
      (c) => c.kind === 'personal' && c.reference.user?.aadObjectId?.toLowerCase() === aadObjectId.toLowerCase(),
    );
    return (
      mine.find((c) => c.conversationId === preferredId) ??
      (preferredId ? list.find((c) => c.conversationId === preferredId) : undefined) ??
      mine[0]
    );
  }

  /** The channel the decision was made in (its root), else any channel the bot knows in that team. */
  async channel(tenantId: string, teamId: string, channelId?: string): Promise<StoredConversation | undefined> {
    const list = (await this.all(tenantId)).filter((c) => c.kind === 'channel' && c.teamId === teamId);
    return (
      (channelId ? list.find((c) => c.conversationId === channelId || c.channelId === channelId) : undefined) ?? list[0]
    );
  }
}
