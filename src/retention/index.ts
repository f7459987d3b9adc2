/**
 * Wiring for the retention purge: settings from the environment, the purge (storage), the lease
 * store and the croner job. The app starts it with listen() and stops it with close().
 */
import { Cron } from 'croner';
import { z } from 'zod';
import { TableLeaseStore } from '../storage/leaseStore';
import { TableRetentionPurge } from '../storage/retention';
import type { Tables } from '../storage/tableClients';
import type { Logger } from '../logger';
import { DEFAULT_RETENTION_SETTINGS, RetentionJob, type PurgeRunResult, type RetentionSettings, type RunOptions } from './job';

export { DEFAULT_RETENTION_SETTINGS, RetentionJob, retentionCutoff, type PurgeRunResult, type RetentionSettings, type RunOptions } from './job';

const validCron = (pattern: string) => {
  try {
    new Cron(pattern, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
};

const validTimezone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const SettingsEnvSchema = z.object({
  RETENTION_PURGE_ENABLED: z.enum(['true', 'false', '1', '0']).optional(),
  RETENTION_PURGE_CRON: z.string().min(9).max(100).refine(validCron, 'must be a cron pattern').optional(),
  RETENTION_PURGE_TIMEZONE: z.string().min(1).max(64).refine(validTimezone, 'must be an IANA time zone').optional(),
  RETENTION_PURGE_MAX_RECORDS: z.coerce.number().int().min(1).max(1_000_000).optional(),
  RETENTION_PURGE_MAX_AUDIT_ENTRIES: z.coerce.number().int().min(1).max(10_000_000).optional(),
  RETENTION_PURGE_LEASE_TTL_MS: z.coerce.number().int().min(1000).max(3_600_000).optional(),
});

/** Retention settings from the environment (all optional) on top of the defaults; RETENTION_DAYS comes from config. */
export function retentionSettingsFromEnv(env: NodeJS.ProcessEnv, retentionDays: number, enabledByDefault = true): RetentionSettings {
  const e = SettingsEnvSchema.parse(env);
  return {
    ...DEFAULT_RETENTION_SETTINGS,
    retentionDays,
    enabled: e.RETENTION_PURGE_ENABLED === undefined ? enabledByDefault : e.RETENTION_PURGE_ENABLED === 'true' || e.RETENTION_PURGE_ENABLED === '1',
    ...(e.RETENTION_PURGE_CRON ? { cron: e.RETENTION_PURGE_CRON } : {}),
    ...(e.RETENTION_PURGE_TIMEZONE ? { timezone: e.RETENTION_PURGE_TIMEZONE } : {}),
    ...(e.RETENTION_PURGE_MAX_RECORDS ? { maxRecordsPerRun: e.RETENTION_PURGE_MAX_RECORDS } : {}),
    ...(e.RETENTION_PURGE_MAX_AUDIT_ENTRIES ? { maxAuditEntriesPerRun: e.RETENTION_PURGE_MAX_AUDIT_ENTRIES } : {}),
    ...(e.RETENTION_PURGE_LEASE_TTL_MS ? { leaseTtlMs: e.RETENTION_PURGE_LEASE_TTL_MS } : {}),
  };
}

export interface RetentionSystem {
  enabled: boolean;
  owner: string;
  settings: RetentionSettings;
  job: RetentionJob;
  /** Starts the schedule (no-op when disabled). */
  start(): void;
  /** Stops the schedule and waits for a running purge to stop. */
  stop(): Promise<void>;
  /** One run now, under the lease (manual trigger for tests and ops). */
  runRetentionPurge(options?: RunOptions): Promise<PurgeRunResult>;
}

export function createRetentionSystem(deps: {
  tables: Pick<Tables, 'decisions' | 'audit' | 'leases'>;
  logger: Logger;
  settings: RetentionSettings;
  now: () => Date;
  owner?: string;
}): RetentionSystem {
  const purge = new TableRetentionPurge({ decisions: deps.tables.decisions, audit: deps.tables.audit }, { logger: deps.logger });
  const job = new RetentionJob({
    purge,
    leases: new TableLeaseStore(deps.tables.leases),
    logger: deps.logger,
    settings: deps.settings,
    now: deps.now,
    ...(deps.owner ? { owner: deps.owner } : {}),
  });
  let started = false;
  return {
    enabled: deps.settings.enabled,
    owner: job.owner,
    settings: deps.settings,
    job,
    start() {
      if (!deps.settings.enabled || started) return;
      started = true;
      job.start();
      deps.logger.info(
        { event: 'retention.scheduler_started', cron: deps.settings.cron, timezone: deps.settings.timezone, retentionDays: deps.settings.retentionDays },
        'retention purge scheduled',
      );
    },
    stop: () => job.stop(),
    runRetentionPurge: (options) => job.runRetentionPurge(options),
  };
}
