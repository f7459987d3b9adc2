/**
 * Fan-out of one reminder run to many conversations, with Teams' rate limits and at-most-once
 * delivery per (run, conversation).
 *
 * - Rate limits (bottleneck): a per-conversation queue (one at a time, each HTTP send at least
 *   1/rate after the previous one to that conversation) in front of a global limiter for the whole
 *   bot instance (HTTP sends spaced 1/rate apart, bounded concurrency). Retries go back through both.
 * - Retries: 429 honours Retry-After; 5xx and refused connections back off exponentially with
 *   jitter; at most `maxAttempts` sends per conversation per pass.
 * - Duplicates: every send is claimed in the deliveries table first (conditional insert) and the
 *   outcome written after (ETag-conditional); see storage/deliveryStore.ts. The claim is taken
 *   inside the limiter slot, right before the HTTP call, so a crash leaves at most the in-flight
 *   sends ambiguous — and ambiguous sends are never repeated.
 */
import Bottleneck from 'bottleneck';
import type { Logger } from '../logger';
import type { StoredConversationReference } from '../storage/conversationStore';
import type { DeliveryStore } from '../storage/contract';
import type { DeliveryClaim, DeliveryState } from '../storage/deliveryStore';
import type { OutgoingMessage, ProactiveSender, SendOutcome } from './sender';
import { errorFields } from '../logger';

export interface DeliveryLimits {
  /** Sends per second to one conversation (Teams allows ~7/s bursts per thread; 1/s is polite). */
  perConversationPerSecond: number;
  /** Sends per second for this bot instance across all conversations. */
  globalPerSecond: number;
  /** HTTP requests in flight at once. */
  globalMaxConcurrent: number;
  /** Attempts per conversation per pass (first try included). */
  maxAttempts: number;
  /** First backoff delay when there is no Retry-After; doubles each attempt (with jitter). */
  baseBackoffMs: number;
  /** Longest single wait (also caps Retry-After). */
  maxBackoffMs: number;
  /**
   * The global rate is enforced over a window of 1 s + this margin, so jitter between a request
   * leaving and arriving (measured up to ~60 ms on a loaded 2-core machine) cannot push any 1 s
   * at the receiving end over the limit. Costs ~13% of peak throughput at the default.
   */
  rateWindowMarginMs: number;
}

export const DEFAULT_LIMITS: DeliveryLimits = {
  perConversationPerSecond: 1,
  globalPerSecond: 50,
  globalMaxConcurrent: 32,
  maxAttempts: 5,
  baseBackoffMs: 500,
  maxBackoffMs: 30_000,
  rateWindowMarginMs: 150,
};

export interface DeliveryTarget {
  tenantId: string;
  conversationId: string;
  reference: StoredConversationReference;
  message: OutgoingMessage;
}

/** What happened to one target in this pass. */
export type TargetResult = 'sent' | 'already' | 'gone' | 'failed' | 'unknown' | 'rejected' | 'busy' | 'aborted';

export interface RunResult {
  runId: string;
  counts: Record<TargetResult, number>;
  /** True when every target reached a final state (nothing left to retry in a later pass). */
  complete: boolean;
}

export interface DeliveryEvents {
  /** A conversation answered 403/404: stop sending to it. */
  onGone?(target: DeliveryTarget, status: number | undefined): Promise<void>;
  /** After each successful send (tests use it to stop mid-run). */
  onSent?(runId: string, target: DeliveryTarget): void;
}

export class DeliveryEngine {
  /** Bounds claim+send work in flight (storage and HTTP concurrency). */
  private readonly slots: Bottleneck;
  /** Spaces the HTTP sends themselves: the global per-bot rate. */
  private readonly rate: Bottleneck;
  private readonly perConversation: Bottleneck.Group;
  /** When each conversation's last HTTP send started (performance.now()), for the per-conversation spacing. */
  private readonly lastSendAt = new Map<string, number>();
  private readonly perConversationGapMs: number;
  /** Start times of the most recent sends (≤ globalPerSecond of them): a sliding-window backstop. */
  private readonly recentSends: number[] = [];
  private windowTurn: Promise<void> = Promise.resolve();
  readonly limits: DeliveryLimits;

  constructor(
    private readonly deps: {
      sender: ProactiveSender;
      deliveries: DeliveryStore;
      logger: Logger;
      /** This instance's id, written on every claim. */
      owner: string;
      limits?: Partial<DeliveryLimits>;
      events?: DeliveryEvents;
    },
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...deps.limits };
    const { globalPerSecond, globalMaxConcurrent, perConversationPerSecond } = this.limits;
    this.slots = new Bottleneck({ maxConcurrent: globalMaxConcurrent });
    // 2% head-room so jitter between "job starts" and "request arrives" never tips a second over the limit.
    this.rate = new Bottleneck({ minTime: Math.ceil((1000 / globalPerSecond) * 1.02) });
    // One job at a time per conversation; the spacing itself is measured from the previous HTTP
    // send (not the previous job start, which would let storage latency squeeze two sends together).
    this.perConversation = new Bottleneck.Group({ maxConcurrent: 1, timeout: 60_000 });
    this.perConversationGapMs = Math.ceil((1000 / perConversationPerSecond) * 1.02) + 2;
  }

  /** Sends `targets` for one run, skipping every conversation that already has a final delivery. */
  async deliverRun(runId: string, targets: readonly DeliveryTarget[], signal?: AbortSignal): Promise<RunResult> {
    const counts: Record<TargetResult, number> = {
      sent: 0,
      already: 0,
      gone: 0,
      failed: 0,
      unknown: 0,
      rejected: 0,
      busy: 0,
      aborted: 0,
    };
    const seen = new Set<string>();
    const unique = targets.filter((t) => !seen.has(t.conversationId) && seen.add(t.conversationId));
    const results = await Promise.all(
      unique.map((target) =>
        this.deliverOne(runId, target, signal).catch((err: unknown) => {
          this.deps.logger.error(
            { event: 'reminder.delivery_error', runId, err: errorFields(err) },
            'delivery failed unexpectedly',
          );
          return 'failed' as const;
        }),
      ),
    );
    for (const r of results) counts[r]++;
    const complete = counts.failed === 0 && counts.busy === 0 && counts.aborted === 0;
    return { runId, counts, complete };
  }

  /** Waits for queued jobs to finish (after their signal aborted) and stops the limiters. */
  async stop(): Promise<void> {
    await this.slots.stop({ dropWaitingJobs: false }).catch(() => undefined);
    await this.rate.stop({ dropWaitingJobs: false }).catch(() => undefined);
    for (const limiter of this.perConversation.limiters())
      await limiter.limiter.stop({ dropWaitingJobs: false }).catch(() => undefined);
  }

  private async deliverOne(runId: string, target: DeliveryTarget, signal?: AbortSignal): Promise<TargetResult> {
    let claim: DeliveryClaim | undefined;
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) return this.abandon(claim, 'aborted');
      const step = await this.perConversation
        .key(target.conversationId)
        .schedule(async (): Promise<{ skip: TargetResult } | { outcome: SendOutcome }> => {
          if (signal?.aborted) return { skip: 'aborted' };
          const wait =
            (this.lastSendAt.get(target.conversationId) ?? -Infinity) + this.perConversationGapMs - performance.now();
          if (wait > 0 && !(await sleep(wait, signal))) return { skip: 'aborted' };
          // Claim inside a bounded slot (so storage is not flooded), then wait only for the rate gate
          // (at most `globalMaxConcurrent` claims wait there), then send: a crash can leave at most
          // the sends in flight ambiguous, and the HTTP sends themselves are what the rate spaces.
          return this.slots.schedule(async () => {
            if (signal?.aborted) return { skip: 'aborted' as const };
            if (!claim) {
              const c = await this.deps.deliveries.claim(runId, target.conversationId, this.deps.owner);
              if (!c.claimed) return { skip: skipResult(c.state) };
              claim = c.claim;
            }
            return this.rate.schedule(async () => {
              if (signal?.aborted) return { skip: 'aborted' as const };
              // Both rates are measured where the request leaves (see SendOptions.beforeRequest).
              const beforeRequest = async () => {
                await this.globalWindow();
                this.noteSend(target.conversationId);
              };
              return { outcome: await this.deps.sender.send(target.reference, target.message, { beforeRequest }) };
            });
          });
        });
      if ('skip' in step) return step.skip === 'aborted' ? this.abandon(claim, 'aborted') : step.skip;
      const outcome = step.outcome;
      const c = claim as DeliveryClaim | undefined;
      if (!c) return 'failed';
      if (outcome.ok) {
        await this.deps.deliveries.finish(c, 'sent', outcome.activityId ? { activityId: outcome.activityId } : {});
        this.deps.events?.onSent?.(runId, target);
        return 'sent';
      }
      const status = outcome.status;
      if (outcome.gone) {
        await this.deps.deliveries.finish(c, 'gone', { status });
        this.deps.logger.warn(
          { event: 'reminder.conversation_gone', runId, status },
          'bot no longer in the conversation; deactivating it',
        );
        await this.deps.events?.onGone?.(target, status);
        return 'gone';
      }
      if (outcome.ambiguous) {
        await this.deps.deliveries.finish(c, 'unknown', {});
        this.deps.logger.warn(
          { event: 'reminder.delivery_ambiguous', runId, code: outcome.code },
          'send may or may not have arrived; not retrying',
        );
        return 'unknown';
      }
      if (!outcome.retryable) {
        await this.deps.deliveries.finish(c, 'rejected', { status });
        this.deps.logger.warn(
          { event: 'reminder.delivery_rejected', runId, status, code: outcome.code },
          'connector refused the message',
        );
        return 'rejected';
      }
      if (attempt >= this.limits.maxAttempts) {
        await this.deps.deliveries.finish(c, 'failed', { status });
        this.deps.logger.warn(
          { event: 'reminder.delivery_gave_up', runId, status, attempts: attempt },
          'still failing after the last attempt; left for a later pass',
        );
        return 'failed';
      }
      const wait = this.backoff(attempt, outcome.retryAfterMs);
      this.deps.logger.info(
        { event: 'reminder.delivery_retry', runId, status, attempt, waitMs: wait },
        'send not accepted; retrying',
      );
      if (!(await sleep(wait, signal))) return this.abandon(claim, 'aborted');
    }
  }

  /**
   * Backstop for the global rate: never more than globalPerSecond sends start in any 1 s window,
   * even if timers fire late after an event-loop stall (bottleneck's minTime spaces job starts,
   * which can otherwise bunch). Decisions are taken one at a time; the sends themselves are not.
   */
  private async globalWindow(): Promise<void> {
    const limit = Math.max(1, Math.floor(this.limits.globalPerSecond));
    const previous = this.windowTurn;
    let done!: () => void;
    this.windowTurn = new Promise<void>((resolve) => (done = resolve));
    try {
      await previous;
      if (this.recentSends.length >= limit) {
        // A window a little longer than 1 s absorbs jitter between starting a send and its arrival.
        const wait =
          this.recentSends[this.recentSends.length - limit]! +
          1000 +
          this.limits.rateWindowMarginMs -
          performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      this.recentSends.push(performance.now());
      if (this.recentSends.length > limit) this.recentSends.splice(0, this.recentSends.length - limit);
    } finally {
      done();
    }
  }

  private noteSend(conversationId: string): void {
    const now = performance.now();
    if (this.lastSendAt.size > 50_000) {
      for (const [id, at] of this.lastSendAt) if (now - at > this.perConversationGapMs) this.lastSendAt.delete(id);
    }
    this.lastSendAt.set(conversationId, now);
  }

  /** Stopping before the send: record it as not delivered so a later pass may send it. */
  private async abandon(claim: DeliveryClaim | undefined, result: TargetResult): Promise<TargetResult> {
    if (claim) await this.deps.deliveries.finish(claim, 'failed').catch(() => undefined);
    return result;
  }

  private backoff(attempt: number, retryAfterMs: number | undefined): number {
    const { baseBackoffMs, maxBackoffMs } = this.limits;
    if (retryAfterMs !== undefined) return Math.min(maxBackoffMs, retryAfterMs);
    const exp = Math.min(maxBackoffMs, baseBackoffMs * 2 ** (attempt - 1));
    return Math.round(exp / 2 + Math.random() * (exp / 2)); // "equal jitter"
  }
}

function skipResult(state: DeliveryState): TargetResult {
  if (state === 'sending') return 'busy';
  if (state === 'sent') return 'already';
  if (state === 'failed') return 'busy';
  return state;
}

/** Resolves true after ms, or false as soon as the signal aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
