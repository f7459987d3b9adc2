/**
 * The drawn chart of each link (by its jti), kept for the link's lifetime so a link fetched again and
 * again is drawn once and audited once per process, not once per fetch. Bounded: at most
 * `maxEntries` links (the least recently used goes first), each dropped when its link expires. A
 * plain Map keeps insertion order, which is all an LRU of this size needs.
 *
 * Promises are kept, not values: fetches of one link at the same instant share one drawing and one
 * audit entry. A drawing or audit that fails is forgotten, so the next fetch tries again.
 */
export interface CachedChart {
  png: Promise<Buffer>;
  /** Set once the link's first fetch has been (or is being) audited. */
  audit?: Promise<void>;
}

export class ChartCache {
  private readonly entries = new Map<string, { chart: CachedChart; expiresAt: number }>();

  constructor(private readonly maxEntries = 100) {}

  get size(): number {
    return this.entries.size;
  }

  /** The chart of this link if still cached (and now the most recently used), else undefined. */
  get(jti: string, nowMs: number): CachedChart | undefined {
    const entry = this.entries.get(jti);
    if (!entry) return undefined;
    this.entries.delete(jti);
    if (entry.expiresAt <= nowMs) return undefined;
    this.entries.set(jti, entry);
    return entry.chart;
  }

  set(jti: string, chart: CachedChart, expiresAt: number, nowMs: number): void {
    this.entries.delete(jti);
    for (const [key, entry] of this.entries) if (entry.expiresAt <= nowMs) this.entries.delete(key);
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
    this.entries.set(jti, { chart, expiresAt });
  }

  delete(jti: string, chart: CachedChart): void {
    if (this.entries.get(jti)?.chart === chart) this.entries.delete(jti);
  }
}
