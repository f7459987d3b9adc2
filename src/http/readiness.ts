/**
 * GET /readyz asks whether Table storage answers. It is anonymous, so it must not let a caller
 * make one storage call per request, nor hang when storage hangs: at most one probe runs at a
 * time, its answer is reused for `ttlMs`, and a probe that takes longer than `timeoutMs` is
 * aborted and counts as "not ready".
 */
export type StorageProbe = (signal: AbortSignal) => Promise<unknown>;

export interface ReadinessOptions {
  timeoutMs: number;
  ttlMs: number;
  /** Monotonic milliseconds (injectable for tests). */
  now?: () => number;
}

export function cachedReadiness(probe: StorageProbe, opts: ReadinessOptions): () => Promise<boolean> {
  const now = opts.now ?? (() => performance.now());
  let last: { ready: boolean; at: number } | undefined;
  let running: Promise<boolean> | undefined;

  const run = async (): Promise<boolean> => {
    try {
      await probe(AbortSignal.timeout(opts.timeoutMs));
      return true;
    } catch {
      return false;
    }
  };

  return () => {
    if (last && now() - last.at < opts.ttlMs) return Promise.resolve(last.ready);
    running ??= run().then((ready) => {
      last = { ready, at: now() };
      running = undefined;
      return ready;
    });
    return running;
  };
}
