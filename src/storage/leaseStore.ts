/**
 * Leases: "exactly one instance works on this key right now", with nothing but Table storage.
 *
 *   PartitionKey = 'lease', RowKey = encoded lease key (e.g. a scheduled run id)
 *
 * Acquire = conditional insert (createEntity → 409 if it exists), or, when the existing lease has
 * expired (or is ours), a conditional replace with the ETag we read (updateEntity → 412 if anyone
 * changed it in between). Whoever wins the write holds the lease; everyone else backs off. A lease
 * can be marked `completed` so a finished run is never started again, even after it expires.
 *
 * Expiry uses the wall clock of the writer; instances are assumed to be within a few seconds of
 * each other (leases last tens of seconds, so small skew only delays a takeover).
 */
import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { guarded, statusOf, wrapStorageError } from './errors';
import { encodeKeyPart } from './keys';
import { DEFAULT_CALL_TIMEOUT_MS } from './tableClients';

const PARTITION = 'lease';

const leaseEntitySchema = z.object({
  owner: z.string(),
  expiresAt: z.number(),
  completed: z.boolean().optional(),
  /** How many times the lease has been (re)acquired: a takeover count, useful in logs. */
  generation: z.number().int().optional(),
  etag: z.string(),
});

export interface Lease {
  key: string;
  owner: string;
  expiresAt: number;
  generation: number;
  etag: string;
}

export type AcquireResult =
  | { acquired: true; lease: Lease; takeover: boolean }
  | { acquired: false; reason: 'held' | 'completed'; owner?: string };

export interface LeaseStoreOptions {
  callTimeoutMs?: number;
  /** Wall clock (ms since epoch); injectable for tests. */
  clock?: () => number;
}

export class TableLeaseStore {
  private readonly callTimeoutMs: number;
  private readonly clock: () => number;

  constructor(
    private readonly client: TableClient,
    options: LeaseStoreOptions = {},
  ) {
    this.callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    this.clock = options.clock ?? Date.now;
  }

  async acquire(key: string, owner: string, ttlMs: number): Promise<AcquireResult> {
    const rowKey = encodeKeyPart(key);
    const expiresAt = this.clock() + ttlMs;
    try {
      const res = await this.client.createEntity(
        { partitionKey: PARTITION, rowKey, owner, expiresAt, generation: 1, completed: false },
        { abortSignal: this.signal() },
      );
      return { acquired: true, takeover: false, lease: { key, owner, expiresAt, generation: 1, etag: res.etag ?? '' } };
    } catch (err) {
      if (statusOf(err) !== 409) throw wrapStorageError(err, 'acquire lease');
    }
    const current = await this.read(rowKey);
    if (!current) return this.acquire(key, owner, ttlMs); // deleted in between: try the insert again
    if (current.completed) return { acquired: false, reason: 'completed', owner: current.owner };
    if (current.owner !== owner && current.expiresAt > this.clock()) return { acquired: false, reason: 'held', owner: current.owner };
    const generation = (current.generation ?? 1) + 1;
    try {
      const res = await this.client.updateEntity(
        { partitionKey: PARTITION, rowKey, owner, expiresAt, generation, completed: false },
        'Replace',
        { etag: current.etag, abortSignal: this.signal() },
      );
      return {
        acquired: true,
        takeover: current.owner !== owner,
        lease: { key, owner, expiresAt, generation, etag: res.etag ?? '' },
      };
    } catch (err) {
      // 412: another instance took it between our read and our write. It wins.
      if (statusOf(err) === 412) return { acquired: false, reason: 'held' };
      throw wrapStorageError(err, 'take over lease');
    }
  }

  /** Extends a lease we hold. Returns the renewed lease, or undefined when it was lost (someone took over). */
  async renew(lease: Lease, ttlMs: number): Promise<Lease | undefined> {
    const expiresAt = this.clock() + ttlMs;
    try {
      const res = await this.client.updateEntity(
        { partitionKey: PARTITION, rowKey: encodeKeyPart(lease.key), owner: lease.owner, expiresAt, generation: lease.generation, completed: false },
        'Replace',
        { etag: lease.etag, abortSignal: this.signal() },
      );
      return { ...lease, expiresAt, etag: res.etag ?? '' };
    } catch (err) {
      if (statusOf(err) === 412 || statusOf(err) === 404) return undefined;
      throw wrapStorageError(err, 'renew lease');
    }
  }

  /** Marks the work done (kept as a tombstone so it is never redone). False if the lease was lost. */
  async complete(lease: Lease): Promise<boolean> {
    try {
      await this.client.updateEntity(
        { partitionKey: PARTITION, rowKey: encodeKeyPart(lease.key), owner: lease.owner, expiresAt: this.clock(), generation: lease.generation, completed: true },
        'Replace',
        { etag: lease.etag, abortSignal: this.signal() },
      );
      return true;
    } catch (err) {
      if (statusOf(err) === 412 || statusOf(err) === 404) return false;
      throw wrapStorageError(err, 'complete lease');
    }
  }

  /** Gives the lease up early (expires now) so another instance may retry without waiting. */
  async release(lease: Lease): Promise<void> {
    try {
      await this.client.updateEntity(
        { partitionKey: PARTITION, rowKey: encodeKeyPart(lease.key), owner: lease.owner, expiresAt: 0, generation: lease.generation, completed: false },
        'Replace',
        { etag: lease.etag, abortSignal: this.signal() },
      );
    } catch (err) {
      if (statusOf(err) === 412 || statusOf(err) === 404) return;
      throw wrapStorageError(err, 'release lease');
    }
  }

  async isCompleted(key: string): Promise<boolean> {
    return (await this.read(encodeKeyPart(key)))?.completed === true;
  }

  private async read(rowKey: string): Promise<z.infer<typeof leaseEntitySchema> | undefined> {
    const entity = await guarded('read lease', async () => {
      try {
        return await this.client.getEntity<Record<string, unknown>>(PARTITION, rowKey, { abortSignal: this.signal() });
      } catch (err) {
        if (statusOf(err) === 404) return undefined;
        throw err;
      }
    });
    if (!entity) return undefined;
    const parsed = leaseEntitySchema.safeParse(entity);
    // An unreadable lease row is treated as expired and free: it will be overwritten (ETag-checked).
    return parsed.success ? parsed.data : { owner: '', expiresAt: 0, etag: String(entity.etag ?? '*') };
  }

  private signal(): AbortSignal {
    return AbortSignal.timeout(this.callTimeoutMs);
  }
}
