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
import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import type { DeliveryStore } from './contract';
import { encodeKeyPart } from './keys';
import { createTableClient } from './tableClients';
import { TableStore, type TableStoreOptions } from './tableStore';

const DELIVERIES_TABLE = 'deliveries';

const DELIVERY_STATES = ['sending', 'sent', 'failed', 'gone', 'unknown', 'rejected'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

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

type DeliveryEntity = z.infer<typeof deliveryEntitySchema>;

export interface DeliveryClaim {
  runId: string;
  conversationId: string;
  owner: string;
  attempts: number;
  etag: string;
}

export type ClaimResult = { claimed: true; claim: DeliveryClaim } | { claimed: false; state: DeliveryState };

export interface DeliveryStoreOptions extends TableStoreOptions {
  /** A 'sending' row older than this, from another owner, is declared ambiguous ('unknown'). */
  staleSendingMs?: number;
}

export function createDeliveriesTableClient(connectionString: string): TableClient {
  return createTableClient(connectionString, DELIVERIES_TABLE);
}

/**
 * Times here are wall-clock millis (the `now` option defaults to the wall clock): they decide when
 * a 'sending' row is stale, across instances, so a business clock that tests move must not be used.
 */
export class TableDeliveryStore extends TableStore implements DeliveryStore {
  private readonly staleSendingMs: number;

  constructor(client: TableClient, options: DeliveryStoreOptions = {}) {
    super(client, options);
    this.staleSendingMs = options.staleSendingMs ?? 60_000;
  }

  /** Step 1: claim (runId, conversationId) before sending. Only the claimant may send. */
  async claim(runId: string, conversationId: string, owner: string): Promise<ClaimResult> {
    const keys = { partitionKey: encodeKeyPart(runId), rowKey: encodeKeyPart(conversationId) };
    const now = this.wallClock();
    const inserted = await this.conditional('claim delivery', [409], (abortSignal) =>
      this.client.createEntity({ ...keys, state: 'sending', owner, attempts: 1, updatedAt: now }, { abortSignal }),
    );
    if (inserted.ok)
      return { claimed: true, claim: { runId, conversationId, owner, attempts: 1, etag: inserted.value.etag ?? '' } };
    const existing = await this.read(keys.partitionKey, keys.rowKey);
    if (!existing) return { claimed: false, state: 'sending' };
    // 'failed': definitely not delivered. 'sending' by this very owner: our own claim whose insert
    // timed out on the client but landed — we know we never sent it. Either way, take it over
    // (ETag-checked, so only one instance does).
    if (existing.state === 'failed' || (existing.state === 'sending' && existing.owner === owner)) {
      const attempts = existing.attempts + 1;
      const reclaimed = await this.conditional('reclaim delivery', [412], (abortSignal) =>
        this.client.updateEntity(
          {
            ...keys,
            state: 'sending',
            owner,
            attempts,
            updatedAt: now,
            ...(existing.lastStatus === undefined ? {} : { lastStatus: existing.lastStatus }),
          },
          'Replace',
          { etag: existing.etag, abortSignal },
        ),
      );
      return reclaimed.ok
        ? { claimed: true, claim: { runId, conversationId, owner, attempts, etag: reclaimed.value.etag ?? '' } }
        : { claimed: false, state: 'sending' };
    }
    if (existing.state === 'sending' && now - existing.updatedAt > this.staleSendingMs) {
      // Its sender died between claim and outcome: the message may have gone. Never resend.
      await this.write(keys, existing, 'unknown', existing.etag).catch(() => undefined);
      return { claimed: false, state: 'unknown' };
    }
    return { claimed: false, state: existing.state };
  }

  /** Step 2: record what the connector said. False when the row was changed by someone else. */
  async finish(
    claim: DeliveryClaim,
    state: Exclude<DeliveryState, 'sending'>,
    info: { status?: number; activityId?: string } = {},
  ): Promise<boolean> {
    const keys = { partitionKey: encodeKeyPart(claim.runId), rowKey: encodeKeyPart(claim.conversationId) };
    const finished = await this.conditional('finish delivery', [412, 404], (abortSignal) =>
      this.client.updateEntity(
        {
          ...keys,
          state,
          owner: claim.owner,
          attempts: claim.attempts,
          updatedAt: this.wallClock(),
          ...(info.status === undefined ? {} : { lastStatus: info.status }),
          ...(info.activityId === undefined ? {} : { activityId: info.activityId.slice(0, 500) }),
        },
        'Replace',
        { etag: claim.etag, abortSignal },
      ),
    );
    return finished.ok;
  }

  private async write(
    keys: { partitionKey: string; rowKey: string },
    existing: DeliveryEntity,
    state: DeliveryState,
    etag: string,
  ): Promise<void> {
    await this.call('mark delivery', (abortSignal) =>
      this.client.updateEntity(
        { ...keys, state, owner: existing.owner, attempts: existing.attempts, updatedAt: this.wallClock() },
        'Replace',
        { etag, abortSignal },
      ),
    );
  }

  private async read(partitionKey: string, rowKey: string): Promise<DeliveryEntity | undefined> {
    const entity = await this.pointRead(partitionKey, rowKey, 'read delivery');
    if (!entity) return undefined;
    const parsed = deliveryEntitySchema.safeParse(entity);
    // Unreadable: treat as final ('unknown') so it is never sent again.
    return parsed.success
      ? parsed.data
      : {
          partitionKey,
          rowKey,
          state: 'unknown',
          owner: '',
          attempts: 0,
          updatedAt: 0,
          etag: String(entity.etag ?? '*'),
        };
  }

  private wallClock(): number {
    return this.now().getTime();
  }
}
