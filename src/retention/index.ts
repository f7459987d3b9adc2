/**
 * Wiring for the retention purge: settings from the config, the purge (storage), the lease store
 * and the croner job. The app starts it with listen() and stops it with close().
 */
import type { Config } from '../config';
import type { Logger } from '../logger';
import { given } from '../schedulerConfig';
import { TableLeaseStore } from '../storage/leaseStore';
import { TableRetentionPurge } from '../storage/retention';
import type { Tables } from '../storage/tableClients';
import {
  DEFAULT_RETENTION_SETTINGS,
  RetentionJob,
  type PurgeRunResult,
  type RetentionSettings,
  type RunOptions,
} from './job';

export {
  DEFAULT_RETENTION_SETTINGS,
  RetentionJob,
  type PurgeRunResult,
  type RetentionSettings,
  type RunOptions,
} from './job';

/**
 * Retention settings from the config (src/schedulerConfig.ts) on top of the defaults; off by default under
 * NODE_ENV=test.
 */
export function retentionSettingsFrom(c: Config): RetentionSettings {
  return {
    ...DEFAULT_RETENTION_SETTINGS,
    retentionDays: c.RETENTION_DAYS,
    enabled: c.RETENTION_PURGE_ENABLED ?? c.NODE_ENV !== 'test',
    ...given({
      cron: c.RETENTION_PURGE_CRON,
      timezone: c.RETENTION_PURGE_TIMEZONE,
      maxRecordsPerRun: c.RETENTION_PURGE_MAX_RECORDS,
      maxAuditEntriesPerRun: c.RETENTION_PURGE_MAX_AUDIT_ENTRIES,
      leaseTtlMs: c.RETENTION_PURGE_LEASE_TTL_MS,
    }),
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
  const purge = new TableRetentionPurge(
    { decisions: deps.tables.decisions, audit: deps.tables.audit },
    { logger: deps.logger },
  );
  const job = new RetentionJob({
    purge,
    // The lease store keeps the wall clock (its default): lease expiry is compared across instances.
    leases: new TableLeaseStore(deps.tables.leases, { logger: deps.logger }),
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
        {
          event: 'retention.scheduler_started',
          cron: deps.settings.cron,
          timezone: deps.settings.timezone,
          retentionDays: deps.settings.retentionDays,
        },
        'retention purge scheduled',
      );
    },
    stop: () => job.stop(),
    runRetentionPurge: (options) => job.runRetentionPurge(options),
  };
}
