/**
 * Transport: the restify HTTP server. POST /api/messages goes to the Bot Framework CloudAdapter
 * (which authenticates the request whenever an app id is configured); GET /healthz is liveness,
 * GET /readyz also checks that Table storage answers. Reading request bodies is bounded in size,
 * time and concurrency (requestGuards.ts), because it happens before authentication.
 */
import restify, { type Server } from 'restify';
import type { ActivityHandler, CloudAdapter } from 'botbuilder';
import { errorFields, type Logger } from '../logger';
import { cachedReadiness, type StorageProbe } from './readiness';
import { requestGuards, type BodyLimits } from './requestGuards';

/** Request headers must arrive within this long (Node's own slow-headers limit; its default is 60 s). */
const HEADERS_TIMEOUT_MS = 10_000;

export type { Server };

export interface HttpServerOptions {
  adapter: CloudAdapter;
  bot: ActivityHandler;
  logger: Logger;
  maxBodyBytes: number;
  /** Longest a request body may take to arrive (ms). */
  bodyTimeoutMs: number;
  /** Most request bodies read at once. */
  maxBodiesInFlight: number;
  /** Authenticated mode (an app id is configured): refuse a message without a bearer token before reading it. */
  requireBearer: boolean;
  /** Resolves when storage answers; rejects otherwise. Must give up when `signal` aborts. */
  readiness: StorageProbe;
  /** Extra routes (e.g. signed CSV downloads) registered by features. */
  extraRoutes?: (server: Server) => void;
}

export function createHttpServer(opts: HttpServerOptions): Server {
  const server = restify.createServer({ name: 'can-i-share', handleUncaughtExceptions: false });
  // Node's own limits, as a backstop below restify: slow headers, and a whole request that takes too
  // long (the per-body timer in requestGuards answers first and more precisely). Node checks them
  // every connectionsCheckingInterval (read when listening starts; default 30 s).
  server.server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.server.requestTimeout = HEADERS_TIMEOUT_MS + opts.bodyTimeoutMs + 1_000;
  (server.server as unknown as { connectionsCheckingInterval: number }).connectionsCheckingInterval = 1_000;
  const limits: BodyLimits = {
    maxBodyBytes: opts.maxBodyBytes,
    bodyTimeoutMs: opts.bodyTimeoutMs,
    maxBodiesInFlight: opts.maxBodiesInFlight,
  };
  const guards = requestGuards(limits, opts.logger, { requireBearer: opts.requireBearer });
  // Bodies are read before authentication, so only plain JSON is taken: restify counts gzip bodies'
  // compressed bytes against maxBodySize (a small "zip bomb" would be inflated in full), and the
  // general bodyParser would write multipart uploads to the temp folder and accept form fields as
  // an activity. Non-JSON bodies are left unparsed, so the route below answers 400.
  server.use((req, res, next) => {
    if (req.headers['content-encoding'] !== undefined) {
      res.send(415, { error: 'Compressed request bodies are not accepted.' });
      return next(false);
    }
    return next();
  });
  for (const guard of guards.beforeBody) server.use(guard);
  server.use(restify.plugins.bodyReader({ maxBodySize: opts.maxBodyBytes }));
  server.use(guards.afterBody);
  server.use(restify.plugins.jsonBodyParser({ mapParams: false, bodyReader: true }));

  server.post('/api/messages', async (req, res) => {
    if (!isActivityBody(req.body)) {
      res.send(400, { error: 'The request body must be a Bot Framework activity (a JSON object with a "type").' });
      return;
    }
    try {
      await opts.adapter.process(req, res, (context) => opts.bot.run(context));
    } catch (err) {
      // CloudAdapter answers auth failures itself; anything reaching here is unexpected.
      opts.logger.error({ event: 'http.process_failed', err: errorFields(err) }, 'activity processing failed');
      if (!res.headersSent) res.send(500, { error: 'The activity could not be processed.' });
    }
  });

  // restify 11 requires a handler to be async or take `next`; a plain 2-argument function fails start-up.
  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok' });
  });

  // One storage probe at a time, reused for 5 s and aborted after 2 s: anonymous callers cannot
  // multiply storage calls, and a hung storage account gives 503 quickly rather than a hung request.
  const ready = cachedReadiness(opts.readiness, { timeoutMs: 2_000, ttlMs: 5_000 });
  server.get('/readyz', async (_req, res) => {
    if (await ready()) res.send(200, { status: 'ready' });
    else res.send(503, { status: 'storage unavailable' });
  });

  opts.extraRoutes?.(server);

  server.on('restifyError', (req, res, err, callback) => {
    // Body-parser and routing errors (413, 400, 404, 405) answer with their own status; log only the code.
    opts.logger.warn({ event: 'http.error', status: err.statusCode, path: req.path() }, 'request refused');
    return callback();
  });
  return server;
}

function isActivityBody(body: unknown): boolean {
  return (
    typeof body === 'object' &&
    body !== null &&
    !Array.isArray(body) &&
    typeof (body as { type?: unknown }).type === 'string'
  );
}
