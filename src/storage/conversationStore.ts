/**
 * Conversation references for proactive messages (reminders, follow-up nudges).
 *
 *   PartitionKey = encoded tenant id, RowKey = encoded conversation id
 *
 * Only what a proactive send needs is kept — where to send (serviceUrl, channelId, the conversation's
 * id, type, tenant and whether it is a group), as whom (the bot's id), and for a personal chat whose
 * chat it is (the user's Teams and Entra ids, to find a practitioner's own chat) — plus the locale.
 * Names are never stored: a group chat's or channel's name may name a child or family, and
 * continueConversationAsync has no use for it. Every other field an activity carries is dropped on
 * write, and also on read, so a row saved before this rule never passes its extras on.
 */
import { odata } from '@azure/data-tables';
import { z } from 'zod';
import type { ConversationKind, ConversationStore } from './contract';
import { InvalidRecordError } from './errors';
import { decodeKeyPart, encodeKeyPart } from './keys';
import { describeIssues } from './recordSchemas';
import { TableStore, whereOf, type Entity } from './tableStore';

/** What a proactive send needs of botbuilder's ConversationReference; assignable to its Partial. */
export interface StoredConversationReference {
  serviceUrl: string;
  channelId: string;
  conversation: { id: string; conversationType?: string; tenantId?: string; isGroup?: boolean };
  bot: { id: string };
  /** Personal chats only: whose chat it is. */
  user?: { id: string; aadObjectId?: string };
  locale?: string;
}

// z.object (not looseObject) at every level: unknown fields are stripped, never stored or passed on.
export const conversationReferenceSchema = z.object({
  serviceUrl: z.url(),
  channelId: z.string().min(1).max(100),
  conversation: z.object({
    id: z.string().min(1).max(500),
    conversationType: z.string().max(50).optional(),
    tenantId: z.string().max(100).optional(),
    isGroup: z.boolean().optional(),
  }),
  bot: z.object({ id: z.string().min(1).max(500) }),
  user: z.object({ id: z.string().max(500), aadObjectId: z.string().max(100).optional() }).optional(),
  locale: z.string().max(50).optional(),
});

export interface ConversationMeta {
  kind: ConversationKind;
  teamId?: string;
  channelId?: string;
}

export interface StoredConversation extends ConversationMeta {
  tenantId: string;
  conversationId: string;
  reference: StoredConversationReference;
  active: boolean;
  /** Why it stopped being usable (e.g. 'bot_removed', '403_forbidden'), when inactive. */
  inactiveReason?: string;
  /** ISO-8601 UTC of the last upsert or deactivation. */
  updatedAt: string;
}

export const metaSchema = z.object({
  kind: z.enum(['personal', 'groupChat', 'channel']),
  teamId: z.string().min(1).max(500).optional(),
  channelId: z.string().min(1).max(500).optional(),
});

const conversationEntitySchema = metaSchema.extend({
  partitionKey: z.string(),
  rowKey: z.string(),
  reference: z.string(),
  active: z.boolean(),
  inactiveReason: z.string().optional(),
  updatedAt: z.iso.datetime(),
});

/** How much of an inactive reason is kept (they are short codes such as '403_forbidden'). */
export const INACTIVE_REASON_CHARS = 200;

/**
 * What upsert() stores, validated as every ConversationStore implementation must: only the fields a
 * proactive send needs, in the caller's tenant, active, stamped `at`.
 */
export function validatedConversation(
  tenantId: string,
  reference: StoredConversationReference,
  meta: ConversationMeta,
  at: Date,
): StoredConversation {
  const ref = conversationReferenceSchema.safeParse(reference);
  if (!ref.success) throw new InvalidRecordError(`conversation reference rejected: ${describeIssues(ref.error)}`);
  const checkedMeta = metaSchema.safeParse(meta);
  if (!checkedMeta.success)
    throw new InvalidRecordError(`conversation meta rejected: ${describeIssues(checkedMeta.error)}`);
  if (!tenantId || (ref.data.conversation.tenantId !== undefined && ref.data.conversation.tenantId !== tenantId)) {
    throw new InvalidRecordError('conversation reference belongs to a different tenant');
  }
  return {
    ...checkedMeta.data,
    tenantId,
    conversationId: ref.data.conversation.id,
    reference: ref.data,
    active: true,
    updatedAt: at.toISOString(),
  };
}

/** The meta columns of a stored conversation (what metaSchema accepted). */
function metaOf(stored: StoredConversation): ConversationMeta {
  return {
    kind: stored.kind,
    ...(stored.teamId !== undefined ? { teamId: stored.teamId } : {}),
    ...(stored.channelId !== undefined ? { channelId: stored.channelId } : {}),
  };
}

export class TableConversationStore extends TableStore implements ConversationStore {
  /** Saves (or refreshes) the reference and marks the conversation active again. */
  async upsert(
    tenantId: string,
    reference: StoredConversationReference,
    meta: ConversationMeta,
  ): Promise<StoredConversation> {
    const stored = validatedConversation(tenantId, reference, meta, this.now());
    await this.call('save conversation', (abortSignal) =>
      this.client.upsertEntity(
        {
          partitionKey: encodeKeyPart(tenantId),
          rowKey: encodeKeyPart(stored.conversationId),
          ...metaOf(stored),
          reference: JSON.stringify(stored.reference),
          active: true,
          updatedAt: stored.updatedAt,
        },
        // Replace, not merge: a reactivated conversation must lose its old inactiveReason.
        'Replace',
        { abortSignal },
      ),
    );
    return stored;
  }

  /** Stops proactive sends to it (bot removed, 403/404 from the connector). False when unknown. */
  async markInactive(tenantId: string, conversationId: string, reason: string): Promise<boolean> {
    const updated = await this.conditional('mark conversation inactive', [404], (abortSignal) =>
      this.client.updateEntity(
        {
          partitionKey: encodeKeyPart(tenantId),
          rowKey: encodeKeyPart(conversationId),
          active: false,
          inactiveReason: reason.slice(0, INACTIVE_REASON_CHARS),
          updatedAt: this.now().toISOString(),
        },
        'Merge',
        { abortSignal },
      ),
    );
    return updated.ok;
  }

  async get(tenantId: string, conversationId: string): Promise<StoredConversation | undefined> {
    const entity = await this.pointRead(encodeKeyPart(tenantId), encodeKeyPart(conversationId), 'get conversation');
    return entity && this.toConversation(entity);
  }

  /**
   * Active conversations of one tenant, or of every tenant (for background jobs), fetched a page at
   * a time as you iterate. A corrupt row is logged and skipped so one bad row cannot stop a job.
   */
  async *listActive(tenantId?: string): AsyncGenerator<StoredConversation> {
    const filter =
      tenantId === undefined ? 'active eq true' : odata`PartitionKey eq ${encodeKeyPart(tenantId)} and active eq true`;
    yield* this.readable(this.pages(filter, 'list conversations'), (row) => this.toConversation(row));
  }

  private toConversation(row: Entity): StoredConversation {
    const entity = this.parsed(conversationEntitySchema, row);
    let json: unknown;
    try {
      json = JSON.parse(entity.reference);
    } catch {
      throw this.corrupt(whereOf(row), "'reference' is not valid JSON");
    }
    const reference = conversationReferenceSchema.safeParse(json);
    if (!reference.success) throw this.corrupt(whereOf(row), describeIssues(reference.error));
    const { partitionKey, rowKey, reference: _json, ...rest } = entity;
    return {
      ...rest,
      tenantId: decodeKeyPart(partitionKey),
      conversationId: decodeKeyPart(rowKey),
      reference: reference.data,
    };
  }
}
