/**
 * A scheduled job that every instance runs, where each run must be done by exactly one of them.
 *
 * - Schedule: a croner pattern on every instance (`protect`: a run that lasts past the next firing
 *   is never overlapped by it on this instance).
 * - Coordination: each run first takes an ETag lease keyed by the run (storage/leaseStore.ts); the
 *   other instances see it 'held' (or 'completed') and stand back. The holder renews the lease
 *   every third of its TTL; when a renewal finds the lease taken, the run's signal is aborted so
 *   the work stops after the item in hand.
 * - Ending: the work calls `complete()` (a tombstone: the run is never done again), `release()`
 *   (free now, so another pass may retry), or neither — then the lease simply expires, as after a
 *   crash, and another instance takes the run over.
 * - Stopping: `stop()` ends the schedule, aborts every run in flight and waits for them.
 *
 * Leases use the wall clock (the lease store's default), never the business clock tests move.
 */
import { randomUUID } from 'node:crypto';
import { Cron } from 'croner';
import { errorFields, type Logger } from '../logger';
import type { LeaseStore } from '../storage/contract';
import type { Lease } from '../storage/leaseStore';

export interface LeasedRun {
  /** Aborted when the job stops or the lease is lost: stop after the item in hand. */
  readonly signal: AbortSignal;
  /** How many times this run's lease has been acquired (1 = first attempt; more = takeovers or retries). */
  readonly generation: number;
  /** Another instance held this run before (it stopped or died mid-run). */
  readonly takeover: boolean;
  /** Whether this instance still holds the lease (false once lost, completed or released). */
  readonly held: boolean;
  /** Marks the run done for good. False when the lease was lost meanwhile. */
  complete(): Promise<boolean>;
  /** Gives the lease up now so another pass (any instance) may retry without waiting. */
  release(): Promise<void>;
}

export type LeasedRunResult<T> = { ran: true; value: T } | { ran: false; reason: 'held' | 'completed' };

export interface LeasedJobOptions {
  /** Prefix of this job's log events, e.g. 'reminder' → 'reminder.lease_lost'. */
  name: string;
  leases: LeaseStore;
  logger: Logger;
  /** A lease lasts this long without renewal. */
  leaseTtlMs: number;
  /** This instance's id, written on every lease (default: a random one). */
  owner?: string;
}

export class LeasedJob {
  readonly owner: string;
  private cron?: Cron;
  private stopping = new AbortController();
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly options: LeasedJobOptions) {
    this.owner = options.owner ?? `instance-${randomUUID()}`;
  }

  /** Fires `onTick` on the schedule (a no-op when already started). Errors are logged, never thrown. */
  start(pattern: string, onTick: () => Promise<unknown>, schedule: { timezone?: string } = {}): void {
    if (this.cron) return;
    this.stopping = new AbortController();
    const { name, logger } = this.options;
    this.cron = new Cron(pattern, { ...schedule, protect: true, catch: false }, async () => {
      try {
        await onTick();
      } catch (err) {
        logger.error({ event: `${name}.tick_failed`, err: errorFields(err) }, `${name} tick failed`);
      }
    });
  }

  /** Stops the schedule, aborts the runs in flight (each stops after the item in hand) and waits for them. */
  async stop(): Promise<void> {
    this.cron?.stop();
    this.cron = undefined;
    this.stopping.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  /** When the schedule fires next (undefined when not started). */
  nextRun(): Date | undefined {
    return this.cron?.nextRun() ?? undefined;
  }

  /** Runs `work` under the lease for `key`, or reports why another instance has it. */
  run<T>(key: string, work: (run: LeasedRun) => Promise<T>): Promise<LeasedRunResult<T>> {
    const run = this.leased(key, work);
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run)).catch(() => undefined);
    return run;
  }

  private async leased<T>(key: string, work: (run: LeasedRun) => Promise<T>): Promise<LeasedRunResult<T>> {
    const { leases, leaseTtlMs, logger, name } = this.options;
    const acquired = await leases.acquire(key, this.owner, leaseTtlMs);
    if (!acquired.acquired) return { ran: false, reason: acquired.reason };

    let lease: Lease | undefined = acquired.lease;
    let renewing: Promise<void> | undefined;
    const abort = new AbortController();
    const onStop = () => abort.abort();
    this.stopping.signal.addEventListener('abort', onStop, { once: true });
    const renewTimer = setInterval(
      () => {
        // One renewal at a time: two with the same ETag would make the second look like a lost lease.
        if (!lease || renewing) return;
        renewing = leases
          .renew(lease, leaseTtlMs)
          .then((renewed) => {
            if (renewed) lease = renewed;
            else {
              logger.warn({ event: `${name}.lease_lost`, runId: key }, 'lost the lease mid-run; stopping this run');
              lease = undefined;
              abort.abort();
            }
          })
          .catch(() => undefined) // an outage: try again at the next renewal
          .finally(() => {
            renewing = undefined;
          });
      },
      Math.max(200, Math.floor(leaseTtlMs / 3)),
    );
    /** Stops renewing and hands over the latest lease (undefined when lost or already ended). */
    const end = async (): Promise<Lease | undefined> => {
      clearInterval(renewTimer);
      await renewing; // its ETag is the one to write with
      const held = lease;
      lease = undefined;
      return held;
    };

    const run: LeasedRun = {
      signal: abort.signal,
      generation: acquired.lease.generation,
      takeover: acquired.takeover,
      get held() {
        return lease !== undefined;
      },
      async complete() {
        const held = await end();
        return held ? leases.complete(held) : false;
      },
      async release() {
        const held = await end();
        if (held) await leases.release(held);
      },
    };
    try {
      return { ran: true, value: await work(run) };
    } finally {
      // Neither completed nor released: the lease is left to expire (as after a crash).
      clearInterval(renewTimer);
      this.stopping.signal.removeEventListener('abort', onStop);
    }
  }
}
