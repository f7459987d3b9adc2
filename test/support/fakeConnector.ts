/**
 * A local stand-in for the Teams connector (the bot's serviceUrl): records every POST the bot
 * makes to `/v3/conversations/{id}/activities[/{replyToId}]` and answers 201 with an activity id —
 * or, for chosen conversations, 429 with Retry-After or 403 (bot removed / blocked) — and every
 * PUT that replaces a message (`updateActivity`).
 *
 *   const connector = await startFakeConnector();
 *   new TeamsClient(bot.baseUrl, user, conversation, connector.serviceUrl);
 *   connector.throttle(convId, { times: 2, retryAfterSeconds: 1 });
 *   connector.forbid(convId);
 *   connector.postsTo(convId)  // what arrived there
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedPost {
  conversationId: string;
  replyToId?: string;
  activity: Record<string, unknown>;
  /** performance.now() when the request arrived (for rate measurements). */
  at: number;
  /** The status the fake answered. */
  status: number;
}

export interface RecordedUpdate {
  conversationId: string;
  activityId: string;
  activity: Record<string, unknown>;
}

export interface FakeConnector {
  serviceUrl: string;
  /** Every POST, in arrival order (including those answered 429/403). */
  posts: RecordedPost[];
  /** Every PUT (updateActivity: a message replaced by the bot), in arrival order. */
  updates: RecordedUpdate[];
  /** Successful (2xx) posts to one conversation. */
  postsTo(conversationId: string): RecordedPost[];
  /** Successful (2xx) posts. */
  delivered(): RecordedPost[];
  /** Answer 429 (with Retry-After seconds) the next `times` POSTs to this conversation. */
  throttle(conversationId: string, opts: { times: number; retryAfterSeconds?: number }): void;
  /** Answer 403 to every POST to this conversation (the bot was removed or blocked). */
  forbid(conversationId: string): void;
  /** Called for every POST after it is recorded (e.g. to stop a scheduler after N sends). */
  onPost?: (post: RecordedPost) => void;
  /** Optional artificial latency per request, ms. */
  latencyMs: number;
  /** Resolves when `predicate()` holds (polled every 20 ms) or rejects after timeoutMs. */
  waitFor(predicate: () => boolean, timeoutMs?: number, what?: string): Promise<void>;
  reset(): void;
  stop(): Promise<void>;
}

export async function startFakeConnector(
  opts: { latencyMs?: number; keepBodies?: boolean } = {},
): Promise<FakeConnector> {
  const throttled = new Map<string, { times: number; retryAfterSeconds?: number }>();
  const forbidden = new Set<string>();
  let nextId = 1;
  const keepBodies = opts.keepBodies ?? true;

  const connector: FakeConnector = {
    serviceUrl: '',
    posts: [],
    updates: [],
    latencyMs: opts.latencyMs ?? 0,
    postsTo: (id) => connector.posts.filter((p) => p.conversationId === id && p.status < 300),
    delivered: () => connector.posts.filter((p) => p.status < 300),
    throttle: (id, t) => void throttled.set(id, { ...t }),
    forbid: (id) => void forbidden.add(id),
    async waitFor(predicate, timeoutMs = 10_000, what = 'condition') {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`fake connector: timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    reset() {
      connector.posts.length = 0;
      connector.updates.length = 0;
      throttled.clear();
      forbidden.clear();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  const server = http.createServer((req, res) => {
    const at = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?\/?$/.exec(url.pathname);
      if (req.method === 'PUT' && match?.[2] !== undefined) {
        let updated: Record<string, unknown> = {};
        try {
          updated = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>;
        } catch {
          /* keep {} */
        }
        connector.updates.push({
          conversationId: decodeURIComponent(match[1]!),
          activityId: decodeURIComponent(match[2]),
          activity: updated,
        });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: decodeURIComponent(match[2]) }));
        return;
      }
      if (req.method !== 'POST' || !match) {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'NotFound', message: 'not a connector route' } }));
        return;
      }
      const conversationId = decodeURIComponent(match[1]!);
      const replyToId = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
      let activity: Record<string, unknown> = {};
      try {
        activity = keepBodies
          ? (JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>)
          : {};
      } catch {
        /* keep {} */
      }
      let status = 201;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      let body: unknown = { id: `activity-${nextId++}` };
      const t = throttled.get(conversationId);
      if (forbidden.has(conversationId)) {
        status = 403;
        body = {
          error: { code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' },
        };
      } else if (t && t.times > 0) {
        t.times -= 1;
        status = 429;
        if (t.retryAfterSeconds !== undefined) headers['retry-after'] = String(t.retryAfterSeconds);
        body = { error: { code: 'Throttled', message: 'Too many requests' } };
      }
      const post: RecordedPost = { conversationId, ...(replyToId ? { replyToId } : {}), activity, at, status };
      connector.posts.push(post);
      connector.onPost?.(post);
      // Two calls, not a chain: restify (loaded in the same process by the bot) patches
      // http.ServerResponse.prototype.writeHead, and its version does not return `this`.
      const answer = () => {
        res.writeHead(status, headers);
        res.end(JSON.stringify(body));
      };
      if (connector.latencyMs > 0) setTimeout(answer, connector.latencyMs);
      else answer();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  connector.serviceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return connector;
}

/** The largest number of timestamps (ms) that fall inside any window of `windowMs`. */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
