/**
 * The thin botbuilder adapter: posts a proactive message with CloudAdapter.continueConversationAsync.
 *
 * The connector client's own retry policy is removed for these sends: the delivery engine does the
 * retrying itself (honouring Retry-After, through the rate limiters), so a throttled send is never
 * retried behind the limiters' back.
 */
import { ActivityTypes, TurnContext, type Activity, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { StoredConversationReference } from '../storage/conversationStore';
import {
  outcomeForStatus,
  parseRetryAfter,
  type OutgoingMessage,
  type ProactiveSender,
  type SendOptions,
  type SendOutcome,
} from './sender';

/** The ConnectorClient the adapter puts in turn state, as far as we use it. */
interface Connector {
  client?: {
    pipeline?: {
      removePolicy(options: { phase?: string; name?: string }): unknown[];
      addPolicy(
        policy: {
          name: string;
          sendRequest(request: unknown, next: (request: unknown) => Promise<unknown>): Promise<unknown>;
        },
        options?: { afterPhase?: string },
      ): void;
    };
  };
  conversations: { sendToConversation(conversationId: string, activity: Partial<Activity>): Promise<{ id?: string }> };
}

export class BotFrameworkSender implements ProactiveSender {
  constructor(
    private readonly adapter: CloudAdapter,
    /** The bot's app id ('' when running without one, locally). */
    private readonly botAppId: string,
  ) {}

  async send(
    reference: StoredConversationReference,
    message: OutgoingMessage,
    options: SendOptions = {},
  ): Promise<SendOutcome> {
    let outcome: SendOutcome = { ok: false, retryable: true, gone: false, code: 'not_sent' };
    try {
      await this.adapter.continueConversationAsync(
        this.botAppId,
        reference as Partial<ConversationReference>,
        async (ctx) => {
          const connector = ctx.turnState.get<Connector | undefined>(this.adapter.ConnectorClientKey);
          if (!connector) throw new Error('no connector client in turn state');
          const pipeline = connector.client?.pipeline;
          pipeline?.removePolicy({ phase: 'Retry' });
          const gate = options.beforeRequest;
          if (gate) {
            if (pipeline) {
              pipeline.addPolicy(
                { name: 'reminderRateGate', sendRequest: async (request, next) => (await gate(), next(request)) },
                { afterPhase: 'Sign' },
              );
            } else {
              await gate();
            }
          }
          // sendToConversation (not ctx.sendActivity, which would reply to the continuation activity):
          // in a channel this starts a new post rather than a reply in some thread.
          const activity = TurnContext.applyConversationReference(
            { type: ActivityTypes.Message, ...message },
            reference as Partial<ConversationReference>,
          );
          delete activity.replyToId;
          try {
            const response = await connector.conversations.sendToConversation(reference.conversation.id, activity);
            outcome = { ok: true, ...(response?.id ? { activityId: response.id } : {}) };
          } catch (err) {
            // Caught here, inside the turn: an error escaping the logic would reach the adapter's
            // onTurnError, which posts "something went wrong" into the very conversation.
            outcome = outcomeFromError(err);
          }
        },
      );
    } catch (err) {
      outcome = outcomeFromError(err);
    }
    return outcome;
  }
}

/** Network failures that prove the request never reached the connector (safe to retry). */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function outcomeFromError(err: unknown): SendOutcome {
  const e = err as {
    statusCode?: unknown;
    code?: unknown;
    response?: { headers?: { get?(name: string): string | undefined | null } };
  };
  const status = typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  const retryAfter =
    typeof e?.response?.headers?.get === 'function' ? e.response.headers.get('retry-after') : undefined;
  const code = typeof e?.code === 'string' ? e.code.slice(0, 64) : err instanceof Error ? err.name : 'error';
  if (status === undefined && !NOT_SENT_CODES.has(code)) {
    // No HTTP answer, and not a refused connection: the message may have arrived. Do not resend.
    return { ok: false, retryable: false, gone: false, ambiguous: true, code };
  }
  return outcomeForStatus(status, parseRetryAfter(retryAfter), code);
}
