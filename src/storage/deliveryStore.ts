/**
 * Proactive deliveries: one entity per (run, conversation), so a reminder run is sent at most once
 * to each conversation, across retries, restarts and instances.
 *
 *   table `deliveries`: PartitionKey = encoded run id, RowKey = encoded conversation id
 *
 * Protocol (see src/reminders/delivery.ts):
 *   1. before sending: conditional INSERT state='sending' (409 → someone already has this one);
 *   2. after the connector answers: ETag-conditional REPLACE to 'sent' | 'failed' | 'gone'.
 * A row left in 'sending' by a crashed instance is ambiguous (the message may or may not have
 * reached Teams); it is never retried — it becomes 'unknown' — so a run is never sent twice.
 * A 'failed' row is one the connector definitely did not accept (429 after all attempts, 5xx,
 * connection refused) and may be claimed again by a later pass of the same run.
 */
import { odata, type TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { entityPages } from './entityPages';
import { guarded, statusOf, wrapStorageError } from './errors';
import { decodeKeyPart, encodeKeyPart } from './keys';
import { createTableClient, DEFAULT_CALL_TIMEOUT_MS } from './tableClients';

export const DELIVERIES_TABLE = 'deliveries';

export const DELIVERY_STATES = ['sending', 'sent', 'failed', 'gone', 'unknown', 'rejected'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** States after which a conversation is never sent this run again. */
export const FINAL_STATES: ReadonlySet<DeliveryState> = new Set(['sent', 'gone', 'unknown', 'rejected']);

const deliveryEntitySchema = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  state: z.enum(DELIVERY_STATES),
  owner: z.string(),
  attempts: z.number().int(),
  updatedAt: z.number(),
  lastStatus: z.number().int().optional(),
  activityId: z.string().optional(),
  etag: z.string(),
});

export interface Delivery {
  runId: string;
  conversationId: string;
  state: DeliveryState;
  owner: string;
  attempts: number;
  updatedAt: number;
  lastStatus?: number;
  activityId?: string;
}

export interface DeliveryClaim {
  runId: string;
  conversationId: string;
  owner: string;
  attempts: number;
  etag: string;
}

export type ClaimResult = { claimed: true; claim: DeliveryClaim } | { claimed: false; state: DeliveryState };

export interface DeliveryStoreOptions {
  callTimeoutMs?: number;
  clock?: () => number;
  /** A 'sending' row older than this, from another owner, is declared ambiguous ('unknown'). */
  staleSendingMs?: number;
}

export function createDeliveriesTableClient(connectionString: string): TableClient {
  return createTableClient(connectionString, DELIVERIES_TABLE);
}

export class TableDeliveryStore {
  private readonly callTimeoutMs: number;
  private readonly clock: () => number;
  private readonly staleSendingMs: number;

  constructor(
    private readonly client: TableClient,
    options: DeliveryStoreOptions = {},
  ) {
    this.callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    this.clock = options.clock ?? Date.now;
    this.staleSendingMs = options.staleSendingMs ?? 60_000;
  }

  /** Creates the table if needed (idempotent; call at start-up). */
  async ensureTable(): Promise<void> {
    await guarded(`create table ${this.client.tableName}`, async () => {
      try {
        await this.client.createTable();
      } catch (err) {
        if (statusOf(err) !== 409) throw err;
      }
    });
  }

  /** Step 1: claim (runId, conversationId) before sending. Only the claimant may send. */
  async claim(runId: string, conversationId: string, owner: string): Promise<ClaimResult> {
    const keys = { partitionKey: encodeKeyPart(runId), rowKey: encodeKeyPart(conversationId) };
    const now = this.clock();
    try {
      const res = await this.client.createEntity({ ...keys, state: 'sending', owner, attempts: 1, updatedAt: now }, { abortSignal: this.signal() });
      return { claimed: true, claim: { runId, conversationId, owner, attempts: 1, etag: res.etag ?? '' } };
    } catch (err) {
      if (statusOf(err) !== 409) throw wrapStorageError(err, 'claim delivery');
    }
    const existing = await this.read(keys.partitionKey, keys.rowKey);
    if (!existing) return { claimed: false, state: 'sending' };
    // 'failed': definitely not delivered. 'sending' by this very owner: our own claim whose insert
    // timed out on the client but landed — we know we never sent it. Either way, take it over
    // (ETag-checked, so only one instance does).
    if (existing.state === 'failed' || (existing.state === 'sending' && existing.owner === owner)) {
      const attempts = existing.attempts + 1;
      try {
        const res = await this.client.updateEntity(
          { ...keys, state: 'sending', owner, attempts, updatedAt: now, ...(existing.lastStatus === undefined ? {} : { lastStatus: existing.lastStatus }) },
          'Replace',
          { etag: existing.etag, abortSignal: this.signal() },
        );
        return { claimed: true, claim: { runId, conversationId, owner, attempts, etag: res.etag ?? '' } };
      } catch (err) {
        if (statusOf(err) === 412) return { claimed: false, state: 'sending' };
        throw wrapStorageError(err, 'reclaim delivery');
      }
    }
    if (existing.state === 'sending' && now - existing.updatedAt > this.staleSendingMs) {
      // Its sender died between claim and outcome: the message may have gone. Never resend.
      await this.write(keys, existing, 'unknown', existing.etag).catch(() => undefined);
      return { claimed: false, state: 'unknown' };
    }
    return { claimed: false, state: existing.state };
  }

  /** Step 2: record what the connector said. False when the row was changed by someone else. */
  async finish(claim: DeliveryClaim, state: Exclude<DeliveryState, 'sending'>, info: { status?: number; activityId?: string } = {}): Promise<boolean> {
    const keys = { partitionKey: encodeKeyPart(claim.runId), rowKey: encodeKeyPart(claim.conversationId) };
    try {
      await this.client.updateEntity(
        {
          ...keys,
          state,
          owner: claim.owner,
          attempts: claim.attempts,
          updatedAt: this.clock(),
          ...(info.status === undefined ? {} : { lastStatus: info.status }),
          ...(info.activityId === undefined ? {} : { activityId: info.activityId.slice(0, 500) }),
        },
        'Replace',
        { etag: claim.etag, abortSignal: this.signal() },
      );
      return true;
    } catch (err) {
      if (statusOf(err) === 412 || statusOf(err) === 404) return false;
      throw wrapStorageError(err, 'finish delivery');
    }
  }

  async get(runId: string, conversationId: string): Promise<Delivery | undefined> {
    const row = await this.read(encodeKeyPart(runId), encodeKeyPart(conversationId));
    return row && toDelivery(row);
  }

  /** Every delivery row of one run (one partition). */
  async listRun(runId: string): Promise<Delivery[]> {
    const out: Delivery[] = [];
    const filter = odata`PartitionKey eq ${encodeKeyPart(runId)}`;
    for await (const page of entityPages(this.client, filter, () => this.signal(), 'list deliveries')) {
      for (const row of page) {
        const parsed = deliveryEntitySchema.safeParse(row);
        if (parsed.success) out.push(toDelivery(parsed.data));
      }
    }
    return out;
  }

  private async write(keys: { partitionKey: string; rowKey: string }, existing: z.infer<typeof deliveryEntitySchema>, state: DeliveryState, etag: string): Promise<void> {
    await this.client.updateEntity(
      { ...keys, state, owner: existing.owner, attempts: existing.attempts, updatedAt: this.clock() },
      'Replace',
      { etag, abortSignal: this.signal() },
    );
  }

  private async read(partitionKey: string, rowKey: string): Promise<z.infer<typeof deliveryEntitySchema> | undefined> {
    const entity = await guarded('read delivery', async () => {
      try {
        return await this.client.getEntity<Record<string, unknown>>(partitionKey, rowKey, { abortSignal: this.signal() });
      } catch (err) {
        if (statusOf(err) === 404) return undefined;
        throw err;
      }
    });
    if (!entity) return undefined;
    const parsed = deliveryEntitySchema.safeParse(entity);
    // Unreadable: treat as final ('unknown') so it is never sent again.
    return parsed.success
      ? parsed.data
      : { partitionKey, rowKey, state: 'unknown', owner: '', attempts: 0, updatedAt: 0, etag: String(entity.etag ?? '*') };
  }

  private signal(): AbortSignal {
    return AbortSignal.timeout(this.callTimeoutMs);
  }
}

function toDelivery(row: z.infer<typeof deliveryEntitySchema>): Delivery {
  return {
    runId: decodeKeyPart(row.partitionKey),
    conversationId: decodeKeyPart(row.rowKey),
    state: row.state,
    owner: row.owner,
    attempts: row.attempts,
    updatedAt: row.updatedAt,
    ...(row.lastStatus === undefined ? {} : { lastStatus: row.lastStatus }),
    ...(row.activityId === undefined ? {} : { activityId: row.activityId }),
  };
}
