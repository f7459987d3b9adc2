/**
 * Which questionnaire is a practitioner's current one.
 *
 *   PartitionKey = encoded tenant id, RowKey = encoded AAD object id → { sessionId, startedAt }
 *
 * The answers themselves travel in the card (any instance can serve any step); this one small row
 * per user lets every instance tell a card that a newer questionnaire has superseded, so an old
 * card scrolled up in the chat cannot be answered or recorded by mistake. Starting writes it
 * (one upsert); each step reads it (one point read).
 */
import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { guarded, statusOf, wrapStorageError } from './errors';
import { encodeKeyPart } from './keys';
import { DEFAULT_CALL_TIMEOUT_MS } from './tableClients';

const SessionEntitySchema = z.object({ sessionId: z.string().min(1).max(64), startedAt: z.string() });

export interface QuestionnaireSessionStore {
  /** Makes sessionId the user's current questionnaire, superseding any earlier one. */
  start(tenantId: string, aadObjectId: string, sessionId: string, at: Date): Promise<void>;
  /** The user's current questionnaire id, if any. */
  current(tenantId: string, aadObjectId: string): Promise<string | undefined>;
}

export class TableQuestionnaireSessionStore implements QuestionnaireSessionStore {
  constructor(
    private readonly client: TableClient,
    private readonly callTimeoutMs = DEFAULT_CALL_TIMEOUT_MS,
  ) {}

  async start(tenantId: string, aadObjectId: string, sessionId: string, at: Date): Promise<void> {
    await guarded('start questionnaire', () =>
      this.client.upsertEntity(
        { partitionKey: encodeKeyPart(tenantId), rowKey: encodeKeyPart(aadObjectId), sessionId, startedAt: at.toISOString() },
        'Replace',
        { abortSignal: AbortSignal.timeout(this.callTimeoutMs) },
      ),
    );
  }

  async current(tenantId: string, aadObjectId: string): Promise<string | undefined> {
    try {
      const entity = await this.client.getEntity(encodeKeyPart(tenantId), encodeKeyPart(aadObjectId), {
        abortSignal: AbortSignal.timeout(this.callTimeoutMs),
      });
      const parsed = SessionEntitySchema.safeParse(entity);
      return parsed.success ? parsed.data.sessionId : undefined;
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw wrapStorageError(err, 'read current questionnaire');
    }
  }
}
