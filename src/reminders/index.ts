/**
 * Wiring for the reminder engine: deliveries table, leases, delivery engine and scheduler.
 * The app passes a ProactiveSender (botSender.ts in production, anything in tests/benchmarks).
 */
import { randomUUID } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import type { Logger } from '../logger';
import type { DecisionStore } from '../storage/contract';
import type { TableConversationStore } from '../storage/conversationStore';
import { createDeliveriesTableClient, TableDeliveryStore } from '../storage/deliveryStore';
import { TableLeaseStore } from '../storage/leaseStore';
import type { TableReminderStore } from '../storage/reminderStore';
import { DEFAULT_LIMITS, DeliveryEngine, type DeliveryLimits } from './delivery';
import { DEFAULT_SCHEDULER_OPTIONS, ReminderScheduler, type ReminderComposer, type SchedulerOptions } from './scheduler';
import type { ProactiveSender } from './sender';

export interface ReminderSettings {
  enabled: boolean;
  limits: DeliveryLimits;
  scheduler: SchedulerOptions;
}

const positive = z.coerce.number().positive();
const SettingsEnvSchema = z.object({
  REMINDERS_ENABLED: z.enum(['true', 'false', '1', '0']).optional(),
  REMINDER_TICK_CRON: z.string().min(9).max(100).optional(),
  REMINDER_GLOBAL_PER_SECOND: positive.max(1000).optional(),
  REMINDER_PER_CONVERSATION_PER_SECOND: positive.max(50).optional(),
  REMINDER_MAX_CONCURRENT: z.coerce.number().int().min(1).max(256).optional(),
  REMINDER_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).optional(),
  REMINDER_LEASE_TTL_MS: z.coerce.number().int().min(1000).max(3_600_000).optional(),
});

/** Reminder settings from the environment (all optional), on top of the defaults. */
export function reminderSettingsFromEnv(env: NodeJS.ProcessEnv, followUpHours: number, enabledByDefault = true): ReminderSettings {
  const e = SettingsEnvSchema.parse(env);
  return {
    enabled: e.REMINDERS_ENABLED === undefined ? enabledByDefault : e.REMINDERS_ENABLED === 'true' || e.REMINDERS_ENABLED === '1',
    limits: {
      ...DEFAULT_LIMITS,
      ...(e.REMINDER_GLOBAL_PER_SECOND ? { globalPerSecond: e.REMINDER_GLOBAL_PER_SECOND } : {}),
      ...(e.REMINDER_PER_CONVERSATION_PER_SECOND ? { perConversationPerSecond: e.REMINDER_PER_CONVERSATION_PER_SECOND } : {}),
      ...(e.REMINDER_MAX_CONCURRENT ? { globalMaxConcurrent: e.REMINDER_MAX_CONCURRENT } : {}),
      ...(e.REMINDER_MAX_ATTEMPTS ? { maxAttempts: e.REMINDER_MAX_ATTEMPTS } : {}),
    },
    scheduler: {
      ...DEFAULT_SCHEDULER_OPTIONS,
      followUpHours,
      ...(e.REMINDER_TICK_CRON ? { tickCron: e.REMINDER_TICK_CRON } : {}),
      ...(e.REMINDER_LEASE_TTL_MS ? { leaseTtlMs: e.REMINDER_LEASE_TTL_MS } : {}),
    },
  };
}

export interface ReminderSystem {
  enabled: boolean;
  owner: string;
  scheduler: ReminderScheduler;
  engine: DeliveryEngine;
  deliveries: TableDeliveryStore;
  leases: TableLeaseStore;
  /** Starts the tick (no-op when disabled). */
  start(): void;
  /** Stops ticking, lets in-flight sends finish and be recorded. */
  stop(): Promise<void>;
}

export async function createReminderSystem(deps: {
  connectionString: string;
  leasesTable: TableClient;
  reminders: TableReminderStore;
  conversations: TableConversationStore;
  decisions: DecisionStore;
  sender: ProactiveSender;
  composer: ReminderComposer;
  logger: Logger;
  now: () => Date;
  settings: ReminderSettings;
  owner?: string;
}): Promise<ReminderSystem> {
  const owner = deps.owner ?? `instance-${randomUUID()}`;
  const deliveries = new TableDeliveryStore(createDeliveriesTableClient(deps.connectionString), {
    staleSendingMs: Math.max(deps.settings.scheduler.leaseTtlMs, 10_000),
  });
  await deliveries.ensureTable();
  const leases = new TableLeaseStore(deps.leasesTable);
  const engine = new DeliveryEngine({
    sender: deps.sender,
    deliveries,
    logger: deps.logger,
    owner,
    limits: deps.settings.limits,
    events: {
      async onGone(target, status) {
        await deps.conversations.markInactive(target.tenantId, target.conversationId, status === 404 ? '404_not_found' : '403_forbidden').catch((err: unknown) => {
          deps.logger.warn({ event: 'conversation.deactivate_failed', err: (err as Error)?.message }, 'could not mark the conversation inactive');
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
      deps.logger.info({ event: 'reminder.scheduler_started', owner, tick: deps.settings.scheduler.tickCron }, 'reminder scheduler started');
    },
    async stop() {
      await scheduler.stop();
      await engine.stop();
    },
  };
}
