/**
 * Which questionnaire is a practitioner's current one, and which message shows it.
 *
 *   PartitionKey = encoded tenant id, RowKey = encoded AAD object id
 *   → { sessionId, startedAt, conversationId?, activityId? }
 *
 * The answers travel in the card (any instance can serve any step). This one small row per user is
 * written when a questionnaire starts — so the bot can close the card it supersedes — and read when
 * a decision is recorded, so a superseded card can never be recorded on any instance. Question
 * steps do not read it: they record nothing, and that keeps each step free of storage calls.
 */
import { z } from 'zod';
import type { QuestionnaireSessionStore } from './contract';
import { encodeKeyPart } from './keys';
import { TableStore } from './tableStore';

/** The message (in a conversation) that shows a questionnaire's card. */
export interface QuestionnaireCardRef {
  conversationId: string;
  activityId: string;
}

export interface CurrentQuestionnaire {
  sessionId: string;
  /** Absent when the message id was not known (e.g. replies delivered in the HTTP response). */
  card?: QuestionnaireCardRef;
  /** When it started (ISO-8601), as stored; set by current(), ignored by replace() (it takes `at`). */
  startedAt?: string;
}

const SessionEntitySchema = z.object({
  sessionId: z.string().min(1).max(64),
  startedAt: z.string(),
  conversationId: z.string().min(1).max(1024).optional(),
  activityId: z.string().min(1).max(1024).optional(),
});

export class TableQuestionnaireSessionStore extends TableStore implements QuestionnaireSessionStore {
  async replace(
    tenantId: string,
    aadObjectId: string,
    next: CurrentQuestionnaire,
    at: Date,
  ): Promise<CurrentQuestionnaire | undefined> {
    const previous = await this.current(tenantId, aadObjectId);
    await this.call('start questionnaire', (abortSignal) =>
      this.client.upsertEntity(
        {
          partitionKey: encodeKeyPart(tenantId),
          rowKey: encodeKeyPart(aadObjectId),
          sessionId: next.sessionId,
          startedAt: at.toISOString(),
          ...(next.card ? { conversationId: next.card.conversationId, activityId: next.card.activityId } : {}),
        },
        'Replace',
        { abortSignal },
      ),
    );
    return previous;
  }

  async current(tenantId: string, aadObjectId: string): Promise<CurrentQuestionnaire | undefined> {
    const entity = await this.pointRead(
      encodeKeyPart(tenantId),
      encodeKeyPart(aadObjectId),
      'read current questionnaire',
    );
    if (!entity) return undefined;
    // An unreadable row counts as no current questionnaire: the next start overwrites it.
    const parsed = SessionEntitySchema.safeParse(entity);
    if (!parsed.success) return undefined;
    const { sessionId, startedAt, conversationId, activityId } = parsed.data;
    return { sessionId, startedAt, ...(conversationId && activityId ? { card: { conversationId, activityId } } : {}) };
  }
}
