/**
 * Wiring for the reminder engine: delivery engine and scheduler over the lease and delivery stores
 * (the Table ones from tableSchedulingStores, or any others the app is given — the feature tests
 * use in-memory ones). The app passes a ProactiveSender (botSender.ts in production, anything in
 * tests/benchmarks).
 */
import { randomUUID } from 'node:crypto';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { given } from '../schedulerConfig';
import type { ConversationStore, DecisionStore, DeliveryStore, LeaseStore, ReminderStore } from '../storage/contract';
import { createDeliveriesTableClient, TableDeliveryStore } from '../storage/deliveryStore';
import { TableLeaseStore } from '../storage/leaseStore';
import type { Tables } from '../storage/tableClients';
import { DEFAULT_LIMITS, DeliveryEngine, type DeliveryLimits } from './delivery';
import {
  DEFAULT_SCHEDULER_OPTIONS,
  ReminderScheduler,
  type ReminderComposer,
  type SchedulerOptions,
} from './scheduler';
import type { ProactiveSender } from './sender';
import { errorFields } from '../logger';

export interface ReminderSettings {
  enabled: boolean;
  limits: DeliveryLimits;
  scheduler: SchedulerOptions;
}

/**
 * Reminder settings from the config (src/schedulerConfig.ts) on top of the defaults; off by default under
 * NODE_ENV=test.
 */
export function reminderSettingsFrom(c: Config): ReminderSettings {
  return {
    enabled: c.REMINDERS_ENABLED ?? c.NODE_ENV !== 'test',
    limits: {
      ...DEFAULT_LIMITS,
      ...given({
        globalPerSecond: c.REMINDER_GLOBAL_PER_SECOND,
        perConversationPerSecond: c.REMINDER_PER_CONVERSATION_PER_SECOND,
        globalMaxConcurrent: c.REMINDER_MAX_CONCURRENT,
        maxAttempts: c.REMINDER_MAX_ATTEMPTS,
      }),
    },
    scheduler: {
      ...DEFAULT_SCHEDULER_OPTIONS,
      followUpHours: c.FOLLOW_UP_REMINDER_HOURS,
      urgentFollowUpHours: c.URGENT_FOLLOW_UP_REMINDER_HOURS,
      ...given({ tickCron: c.REMINDER_TICK_CRON, leaseTtlMs: c.REMINDER_LEASE_TTL_MS }),
    },
  };
}

export interface ReminderSystem {
  enabled: boolean;
  owner: string;
  scheduler: ReminderScheduler;
  engine: DeliveryEngine;
  deliveries: DeliveryStore;
  leases: LeaseStore;
  /** Starts the tick (no-op when disabled). */
  start(): void;
  /** Stops ticking, lets in-flight sends finish and be recorded. */
  stop(): Promise<void>;
}

/** The stores the delivery engine and the scheduler coordinate instances through. */
export interface SchedulingStores {
  deliveries: DeliveryStore;
  leases: LeaseStore;
}

/**
 * The Table lease and delivery stores (creating the deliveries table). They keep the wall clock
 * (their default): their times are compared across instances.
 */
export async function tableSchedulingStores(
  connectionString: string,
  tables: Pick<Tables, 'leases'>,
  settings: ReminderSettings,
  logger: Logger,
): Promise<SchedulingStores> {
  const deliveries = new TableDeliveryStore(createDeliveriesTableClient(connectionString), {
    logger,
    staleSendingMs: Math.max(settings.scheduler.leaseTtlMs, 10_000),
  });
  await deliveries.ensureTable();
  return { deliveries, leases: new TableLeaseStore(tables.leases, { logger }) };
}

export function createReminderSystem(deps: {
  scheduling: SchedulingStores;
  reminders: ReminderStore;
  conversations: ConversationStore;
  decisions: DecisionStore;
  sender: ProactiveSender;
  composer: ReminderComposer;
  logger: Logger;
  now: () => Date;
  settings: ReminderSettings;
  owner?: string;
  /** The role check for the digest's figures (see SchedulerDeps.isManager). */
  isManager: (tenantId: string, aadObjectId: string) => Promise<boolean>;
}): ReminderSystem {
  const owner = deps.owner ?? `instance-${randomUUID()}`;
  const { deliveries, leases } = deps.scheduling;
  const engine = new DeliveryEngine({
    sender: deps.sender,
    deliveries,
    logger: deps.logger,
    owner,
    limits: deps.settings.limits,
    events: {
      async onGone(target, status) {
        await deps.conversations
          .markInactive(target.tenantId, target.conversationId, status === 404 ? '404_not_found' : '403_forbidden')
          .catch((err: unknown) => {
            deps.logger.warn(
              { event: 'conversation.deactivate_failed', err: errorFields(err) },
              'could not mark the conversation inactive',
            );
          });
      },
    },
  });
  const scheduler = new ReminderScheduler({
    reminders: deps.reminders,
    leases,
    conversations: deps.conversations,
    decisions: deps.decisions,
    engine,
    composer: deps.composer,
    logger: deps.logger,
    now: deps.now,
    owner,
    options: deps.settings.scheduler,
    isManager: deps.isManager,
  });
  let started = false;
  return {
    enabled: deps.settings.enabled,
    owner,
    scheduler,
    engine,
    deliveries,
    leases,
    start() {
      if (!deps.settings.enabled || started) return;
      started = true;
      scheduler.start();
      deps.logger.info(
        { event: 'reminder.scheduler_started', owner, tick: deps.settings.scheduler.tickCron },
        'reminder scheduler started',
      );
    },
    async stop() {
      await scheduler.stop();
      await engine.stop();
    },
  };
}
