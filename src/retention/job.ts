/**
 * The retention purge job: a croner schedule (daily 02:30 Europe/London by default) on every
 * instance; each firing first takes a lease keyed by the scheduled minute, so exactly one instance
 * purges a given run (the others see 'held' or 'completed' and do nothing). The lease is renewed
 * while the run lasts; a lost lease stops the run after the record in hand. Work per run is
 * bounded; whatever is left is picked up by the next run (deletion is idempotent).
 *
 * Logs counts only (tenants, records, rows, audit entries, duration) — never record content.
 */
import { randomUUID } from 'node:crypto';
import { Cron } from 'croner';
import type { Lease, TableLeaseStore } from '../storage/leaseStore';
import type { PurgeCounts, TableRetentionPurge } from '../storage/retention';
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

export interface RetentionLogger {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

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
export function retentionCutoff(now: Date, retentionDays: number): Date {
  return new Date(now.getTime() - retentionDays * DAY_MS);
}

export class RetentionJob {
  readonly owner: string;
  private job?: Cron;
  private stopping = new AbortController();
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly deps: {
      purge: TableRetentionPurge;
      leases: TableLeaseStore;
      logger: RetentionLogger;
      settings: RetentionSettings;
      /** Business clock (cutoff, run key). Leases use the wall clock. */
      now: () => Date;
      owner?: string;
    },
  ) {
    this.owner = deps.owner ?? `instance-${randomUUID()}`;
    if (!Number.isInteger(deps.settings.retentionDays) || deps.settings.retentionDays < 1) {
      throw new RangeError('retentionDays must be a positive integer');
    }
  }

  start(): void {
    if (this.job) return;
    this.stopping = new AbortController();
    // protect: a run that lasts past the next firing is never overlapped by it on this instance.
    this.job = new Cron(this.deps.settings.cron, { timezone: this.deps.settings.timezone, protect: true, catch: false }, async () => {
      await this.runRetentionPurge().catch(() => undefined); // already logged
    });
  }

  /** Stops the schedule, asks a running purge to stop after the record in hand, and waits for it. */
  async stop(): Promise<void> {
    this.job?.stop();
    this.job = undefined;
    this.stopping.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  /** When the schedule fires next (undefined when not started). */
  nextRun(): Date | undefined {
    return this.job?.nextRun() ?? undefined;
  }

  /**
   * One purge run under the lease for its scheduled minute (manual trigger for tests and ops).
   * Two instances calling this for the same minute: one purges, the other returns ran: false.
   */
  runRetentionPurge(options: RunOptions = {}): Promise<PurgeRunResult> {
    const run = this.doRun(options);
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run)).catch(() => undefined);
    return run;
  }

  private async doRun(options: RunOptions): Promise<PurgeRunResult> {
    const { settings, leases, logger } = this.deps;
    const now = options.now ?? this.deps.now();
    // Every instance's schedule fires at the same wall-clock minute: that minute names the run.
    const runKey = `retention-purge@${new Date(Math.round(now.getTime() / 60_000) * 60_000).toISOString()}`;
    if (this.stopping.signal.aborted) return { ran: false, runKey, reason: 'stopped' };

    const acquired = await leases.acquire(runKey, this.owner, settings.leaseTtlMs);
    if (!acquired.acquired) {
      logger.info({ event: 'retention.purge_skipped', reason: acquired.reason }, 'retention purge run handled by another instance');
      return { ran: false, runKey, reason: acquired.reason };
    }
    let lease: Lease | undefined = acquired.lease;
    const runAbort = new AbortController();
    const onStop = () => runAbort.abort();
    this.stopping.signal.addEventListener('abort', onStop, { once: true });
    const renewTimer = setInterval(
      () => {
        if (!lease) return;
        leases
          .renew(lease, settings.leaseTtlMs)
          .then((renewed) => {
            if (renewed) lease = renewed;
            else {
              logger.warn({ event: 'retention.lease_lost' }, 'retention purge lost its lease; stopping this run');
              lease = undefined;
              runAbort.abort();
            }
          })
          .catch(() => undefined);
      },
      Math.max(200, Math.floor(settings.leaseTtlMs / 3)),
    );

    const started = Date.now();
    const cutoff = retentionCutoff(now, settings.retentionDays);
    try {
      const counts = await this.deps.purge.purge(cutoff, {
        maxRecords: options.maxRecords ?? settings.maxRecordsPerRun,
        maxAuditEntries: options.maxAuditEntries ?? settings.maxAuditEntriesPerRun,
        signal: runAbort.signal,
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
          truncated: counts.truncated,
          durationMs,
        },
        'retention purge finished',
      );
      if (lease) await leases.complete(lease);
      return { ran: true, runKey, counts, durationMs };
    } catch (err) {
      logger.error(
        { event: 'retention.purge_failed', err: errorFields(err), durationMs: Date.now() - started },
        'retention purge failed; the next run continues',
      );
      if (lease) await leases.release(lease).catch(() => undefined);
      throw err;
    } finally {
      clearInterval(renewTimer);
      this.stopping.signal.removeEventListener('abort', onStop);
    }
  }
}
