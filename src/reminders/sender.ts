/**
 * What the delivery engine needs from "the thing that posts to Teams". The engine is transport-free;
 * botSender.ts is the thin botbuilder adapter, and tests/benchmarks may plug in anything else.
 */
import type { StoredConversationReference } from '../storage/conversationStore';

/** An outgoing message: plain text and/or Adaptive Card attachments (a Bot Framework activity subset). */
export interface OutgoingMessage {
  text?: string;
  /** Summary shown in notifications / the activity feed. */
  summary?: string;
  attachments?: Array<{ contentType: string; content: unknown }>;
}

export type SendOutcome =
  | { ok: true; activityId?: string }
  | {
      ok: false;
      /** HTTP status from the connector, when there was a response. */
      status?: number;
      /** 429 / 5xx / network: the message was not accepted and may be tried again. */
      retryable: boolean;
      /** 403 / 404: the bot is no longer in the conversation (removed, blocked, deleted). */
      gone: boolean;
      /** The request may have reached Teams (e.g. the connection dropped mid-request): never resend. */
      ambiguous?: boolean;
      /** From Retry-After, in ms. */
      retryAfterMs?: number;
      /** Short reason code for logs (never message content). */
      code?: string;
    };

export interface SendOptions {
  /**
   * Awaited immediately before the HTTP request leaves (after auth and serialisation), so rate
   * limits are applied as close to the wire as possible. A sender without that hook calls it first.
   */
  beforeRequest?: () => Promise<void>;
}

export interface ProactiveSender {
  send(reference: StoredConversationReference, message: OutgoingMessage, options?: SendOptions): Promise<SendOutcome>;
}

/** Parses a Retry-After header (delta seconds or an HTTP date) into ms; undefined if absent or bad. */
export function parseRetryAfter(value: string | null | undefined, nowMs = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** Classifies an HTTP status from the connector. */
export function outcomeForStatus(status: number | undefined, retryAfterMs?: number, code?: string): SendOutcome {
  if (status !== undefined && status >= 200 && status < 300) return { ok: true };
  const gone = status === 403 || status === 404;
  const retryable = status === undefined || status === 429 || status === 408 || status >= 500;
  return {
    ok: false,
    ...(status === undefined ? {} : { status }),
    retryable,
    gone,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    ...(code ? { code } : {}),
  };
}
