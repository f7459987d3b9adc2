/**
 * The retention purge job: a croner schedule (daily 02:30 Europe/London by default) on every
 * instance; each firing first takes a lease keyed by the scheduled minute (scheduling/leasedJob.ts),
 * so exactly one instance purges a given run (the others see 'held' or 'completed' and do nothing).
 * The lease is renewed while the run lasts; a lost lease stops the run after the record in hand.
 * Work per run is bounded; whatever is left is picked up by the next run (deletion is idempotent).
 *
 * Logs counts only (tenants, records, rows, audit entries, duration) — never record content.
 */
import type { Logger } from '../logger';
import { LeasedJob, type LeasedRun } from '../scheduling/leasedJob';
import type { LeaseStore, RetentionPurge } from '../storage/contract';
import type { PurgeCounts } from '../storage/retention';
import { errorFields } from '../logger';

export interface RetentionSettings {
  /** Whether the schedule runs (runRetentionPurge works either way). */
  enabled: boolean;
  /** Records and audit entries older than this many days are deleted. */
  retentionDays: number;
  /** Croner pattern (5 or 6 fields). */
  cron: string;
  /** IANA time zone the pattern is read in. */
  timezone: string;
  /** Records examined per run at most. */
  maxRecordsPerRun: number;
  /** Audit entries deleted per run at most. */
  maxAuditEntriesPerRun: number;
  /** Lease length without renewal; renewed every third of it while the run lasts. */
  leaseTtlMs: number;
}

export const DEFAULT_RETENTION_SETTINGS: RetentionSettings = {
  enabled: true,
  retentionDays: 2557,
  cron: '30 2 * * *',
  timezone: 'Europe/London',
  maxRecordsPerRun: 20_000,
  maxAuditEntriesPerRun: 100_000,
  leaseTtlMs: 60_000,
};

const DAY_MS = 86_400_000;

export type PurgeRunResult =
  | { ran: true; runKey: string; counts: PurgeCounts; durationMs: number }
  | { ran: false; runKey: string; reason: 'held' | 'completed' | 'stopped' };

export interface RunOptions {
  /** The business time of the run (default: the job's clock); the cutoff is now − retentionDays. */
  now?: Date;
  /** Overrides of the per-run limits (tests, or an operator draining a backlog). */
  maxRecords?: number;
  maxAuditEntries?: number;
}

/** The cutoff for a run at `now`: entries recorded strictly before it are expired. */
function retentionCutoff(now: Date, retentionDays: number): Date {
  return new Date(now.getTime() - retentionDays * DAY_MS);
}

export class RetentionJob {
  private readonly job: LeasedJob;

  constructor(
    private readonly deps: {
      purge: RetentionPurge;
      leases: LeaseStore;
      logger: Logger;
      settings: RetentionSettings;
      /** Business clock (cutoff, run key). Leases use the wall clock. */
      now: () => Date;
      owner?: string;
    },
  ) {
    if (!Number.isInteger(deps.settings.retentionDays) || deps.settings.retentionDays < 1) {
      throw new RangeError('retentionDays must be a positive integer');
    }
    this.job = new LeasedJob({
      name: 'retention',
      leases: deps.leases,
      logger: deps.logger,
      leaseTtlMs: deps.settings.leaseTtlMs,
      owner: deps.owner,
    });
  }

  get owner(): string {
    return this.job.owner;
  }

  start(): void {
    const { cron, timezone } = this.deps.settings;
    // failures are already logged
    this.job.start(cron, () => this.runRetentionPurge().catch(() => undefined), { timezone });
  }

  /** Stops the schedule, asks a running purge to stop after the record in hand, and waits for it. */
  stop(): Promise<void> {
    return this.job.stop();
  }

  /** When the schedule fires next (undefined when not started). */
  nextRun(): Date | undefined {
    return this.job.nextRun();
  }

  /**
   * One purge run under the lease for its scheduled minute (manual trigger for tests and ops).
   * Two instances calling this for the same minute: one purges, the other returns ran: false.
   */
  async runRetentionPurge(options: RunOptions = {}): Promise<PurgeRunResult> {
    const now = options.now ?? this.deps.now();
    // Every instance's schedule fires at the same wall-clock minute: that minute names the run.
    const runKey = `retention-purge@${new Date(Math.round(now.getTime() / 60_000) * 60_000).toISOString()}`;
    if (this.job.stopped) return { ran: false, runKey, reason: 'stopped' };
    const outcome = await this.job.run(runKey, (run) => this.purge(run, now, options));
    if (outcome.ran) return { ran: true, runKey, ...outcome.value };
    this.deps.logger.info(
      { event: 'retention.purge_skipped', reason: outcome.reason },
      'retention purge run handled by another instance',
    );
    return { ran: false, runKey, reason: outcome.reason };
  }

  private async purge(
    run: LeasedRun,
    now: Date,
    options: RunOptions,
  ): Promise<{ counts: PurgeCounts; durationMs: number }> {
    const { settings, logger } = this.deps;
    const started = Date.now();
    const cutoff = retentionCutoff(now, settings.retentionDays);
    try {
      const counts = await this.deps.purge.purge(cutoff, {
        maxRecords: options.maxRecords ?? settings.maxRecordsPerRun,
        maxAuditEntries: options.maxAuditEntries ?? settings.maxAuditEntriesPerRun,
        signal: run.signal,
      });
      const durationMs = Date.now() - started;
      // Counts only: never record content.
      logger.info(
        {
          event: 'retention.purge_done',
          cutoff: counts.cutoff,
          retentionDays: settings.retentionDays,
          tenants: counts.tenants,
          recordsDeleted: counts.recordsDeleted,
          rowsDeleted: counts.rowsDeleted,
          recordsAlreadyGone: counts.recordsAlreadyGone,
          corruptSkipped: counts.corruptSkipped,
          auditEntriesDeleted: counts.auditEntriesDeleted,
          counterRowsDeleted: counts.counterRowsDeleted,
          truncated: counts.truncated,
          durationMs,
        },
        'retention purge finished',
      );
      await run.complete();
      return { counts, durationMs };
    } catch (err) {
      logger.error(
        { event: 'retention.purge_failed', err: errorFields(err), durationMs: Date.now() - started },
        'retention purge failed; the next run continues',
      );
      await run.release().catch(() => undefined);
      throw err;
    }
  }
}
