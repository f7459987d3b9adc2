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
 * Expiry uses the wall clock of the writer (the `now` option defaults to it; never pass a business
 * clock that tests freeze or move); instances are assumed to be within a few seconds of each other
 * (leases last tens of seconds, so small skew only delays a takeover).
 */
import { z } from 'zod';
import type { LeaseStore } from './contract';
import { encodeKeyPart } from './keys';
import { TableStore } from './tableStore';

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

type LeaseEntity = z.infer<typeof leaseEntitySchema>;

/**
 * Every write after acquiring is ETag-conditional: 412 (someone else wrote) or 404 (deleted) means the lease is lost.
 */
const LOST = [412, 404] as const;

export class TableLeaseStore extends TableStore implements LeaseStore {
  async acquire(key: string, owner: string, ttlMs: number): Promise<AcquireResult> {
    const rowKey = encodeKeyPart(key);
    const expiresAt = this.wallClock() + ttlMs;
    const inserted = await this.conditional('acquire lease', [409], (abortSignal) =>
      this.client.createEntity(
        { partitionKey: PARTITION, rowKey, owner, expiresAt, generation: 1, completed: false },
        { abortSignal },
      ),
    );
    if (inserted.ok)
      return {
        acquired: true,
        takeover: false,
        lease: { key, owner, expiresAt, generation: 1, etag: inserted.value.etag ?? '' },
      };
    const current = await this.read(rowKey);
    if (!current) return this.acquire(key, owner, ttlMs); // deleted in between: try the insert again
    if (current.completed) return { acquired: false, reason: 'completed', owner: current.owner };
    if (current.owner !== owner && current.expiresAt > this.wallClock())
      return { acquired: false, reason: 'held', owner: current.owner };
    const generation = (current.generation ?? 1) + 1;
    const replaced = await this.conditional('take over lease', [412], (abortSignal) =>
      this.client.updateEntity(
        { partitionKey: PARTITION, rowKey, owner, expiresAt, generation, completed: false },
        'Replace',
        {
          etag: current.etag,
          abortSignal,
        },
      ),
    );
    // 412: another instance took it between our read and our write. It wins.
    if (!replaced.ok) return { acquired: false, reason: 'held' };
    return {
      acquired: true,
      takeover: current.owner !== owner,
      lease: { key, owner, expiresAt, generation, etag: replaced.value.etag ?? '' },
    };
  }

  /** Extends a lease we hold. Returns the renewed lease, or undefined when it was lost (someone took over). */
  async renew(lease: Lease, ttlMs: number): Promise<Lease | undefined> {
    const expiresAt = this.wallClock() + ttlMs;
    const renewed = await this.overwrite(lease, { expiresAt, completed: false }, 'renew lease');
    return renewed.ok ? { ...lease, expiresAt, etag: renewed.value.etag ?? '' } : undefined;
  }

  /** Marks the work done (kept as a tombstone so it is never redone). False if the lease was lost. */
  async complete(lease: Lease): Promise<boolean> {
    return (await this.overwrite(lease, { expiresAt: this.wallClock(), completed: true }, 'complete lease')).ok;
  }

  /** Gives the lease up early (expires now) so another instance may retry without waiting. */
  async release(lease: Lease): Promise<void> {
    await this.overwrite(lease, { expiresAt: 0, completed: false }, 'release lease');
  }

  /** Replaces the lease row we hold, ETag-conditional; not ok when the lease was lost. */
  private overwrite(lease: Lease, state: { expiresAt: number; completed: boolean }, operation: string) {
    return this.conditional(operation, LOST, (abortSignal) =>
      this.client.updateEntity(
        {
          partitionKey: PARTITION,
          rowKey: encodeKeyPart(lease.key),
          owner: lease.owner,
          generation: lease.generation,
          ...state,
        },
        'Replace',
        { etag: lease.etag, abortSignal },
      ),
    );
  }

  private async read(rowKey: string): Promise<LeaseEntity | undefined> {
    const entity = await this.pointRead(PARTITION, rowKey, 'read lease');
    if (!entity) return undefined;
    const parsed = leaseEntitySchema.safeParse(entity);
    // An unreadable lease row is treated as expired and free: it will be overwritten (ETag-checked).
    return parsed.success ? parsed.data : { owner: '', expiresAt: 0, etag: String(entity.etag ?? '*') };
  }

  private wallClock(): number {
    return this.now().getTime();
  }
}
