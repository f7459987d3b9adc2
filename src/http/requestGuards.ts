/**
 * Guards that run before a request body is read. Bodies arrive before the request can be
 * authenticated (the Bot Framework token is checked against the activity), so reading them is the
 * one thing an anonymous sender can make the bot do. These bound what that costs:
 *
 *   - in authenticated mode, a POST /api/messages without `Authorization: Bearer …` is refused
 *     (401) before a byte of its body is read — it could never pass;
 *   - a body declared larger than MAX_BODY_BYTES is refused (413) without reading it;
 *   - at most MAX_BODIES_IN_FLIGHT bodies are read at once; beyond that, 503 without reading;
 *   - a body must arrive within BODY_TIMEOUT_MS, or the request gets 408 and its connection is
 *     closed, which frees whatever was buffered;
 *   - a body cut short (timed out, or the client went away) is never handed on: restify's body
 *     reader would otherwise pass the bytes received so far to the JSON parser as if complete.
 *
 * Every refusal closes the connection (`Connection: close`), so an unread body is not drained.
 */
import type { Request, RequestHandler, Response } from 'restify';
import type { Logger } from '../logger';

export interface BodyLimits {
  maxBodyBytes: number;
  bodyTimeoutMs: number;
  maxBodiesInFlight: number;
}

export interface RequestGuards {
  /** Middleware to run before restify's bodyReader, in order. */
  beforeBody: RequestHandler[];
  /** Middleware to run right after bodyReader (stops a request whose body did not fully arrive). */
  afterBody: RequestHandler;
  /** Bodies being read right now (for tests and diagnostics). */
  inFlight(): number;
}

/** GET and HEAD carry no body here (restify's reader does not read one), so they never hold a slot. */
const hasBody = (req: Request) =>
  req.method !== 'GET' && req.method !== 'HEAD' && !(req.getContentLength() === 0 && !req.isChunked());

/** Answers and closes the connection, so a body the client is still sending is not read. */
function refuse(res: Response, status: number, error: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  res.setHeader('connection', 'close');
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.send(status, { error });
}

export function requestGuards(limits: BodyLimits, logger: Logger, opts: { requireBearer: boolean }): RequestGuards {
  let inFlight = 0;
  /** Requests whose body stopped short: timed out, or the connection closed before the body ended. */
  const cutShort = new WeakSet<Request>();

  const bearerFirst: RequestHandler = (req, res, next) => {
    // By the matched route, not the raw path, so '/api/messages/' and the like are covered too.
    if (!opts.requireBearer || req.method !== 'POST' || req.getRoute()?.path !== '/api/messages') return next();
    // Only the presence of a token is checked here; CloudAdapter validates it once the body is read.
    if (/^Bearer\s+\S/i.test(req.headers.authorization ?? '')) return next();
    logger.warn(
      { event: 'auth.refused', reason: 'no bearer token (refused before reading the body)' },
      'request refused: invalid or missing token',
    );
    refuse(res, 401, 'Unauthorized: a Bot Framework bearer token is required.', { 'www-authenticate': 'Bearer' });
    return next(false);
  };

  const declaredSize: RequestHandler = (req, res, next) => {
    const declared = req.getContentLength();
    if (!(declared > limits.maxBodyBytes)) return next();
    logger.warn({ event: 'http.error', status: 413, path: req.path() }, 'request refused');
    refuse(res, 413, `Request body size exceeds ${limits.maxBodyBytes}`);
    return next(false);
  };

  const boundedRead: RequestHandler = (req, res, next) => {
    if (!hasBody(req)) return next();
    if (inFlight >= limits.maxBodiesInFlight) {
      logger.warn({ event: 'http.busy', inFlight, path: req.path() }, 'request refused: too many bodies in flight');
      refuse(res, 503, 'The bot is busy; please retry shortly.', { 'retry-after': '2' });
      return next(false);
    }
    inFlight++;
    let released = false;
    let ended = false;
    const release = () => {
      if (released) return;
      released = true;
      inFlight--;
      clearTimeout(timer);
    };
    const timer = setTimeout(() => {
      release();
      cutShort.add(req);
      logger.warn(
        { event: 'http.body_timeout', path: req.path(), timeoutMs: limits.bodyTimeoutMs },
        'request refused: body too slow',
      );
      refuse(res, 408, 'The request body did not arrive in time.');
      // Destroying the socket frees what was buffered; restify's reader then stops (and afterBody stops the chain).
      if (res.writableFinished) req.socket.destroy();
      else res.once('finish', () => req.socket.destroy());
      setTimeout(() => req.socket.destroy(), 1_000).unref();
    }, limits.bodyTimeoutMs);
    timer.unref();
    req.once('end', () => {
      ended = true;
      release();
    });
    res.once('finish', release);
    res.once('close', () => {
      if (!ended) cutShort.add(req);
      release();
    });
    return next();
  };

  const afterBody: RequestHandler = (req, _res, next) => {
    // Timed out or abandoned mid-body: what arrived is not the request that was sent, so it is not
    // parsed or acted on (restify's reader hands on the partial body when the connection closes).
    if (cutShort.has(req)) return next(false);
    return next();
  };

  return { beforeBody: [bearerFirst, declaredSize, boundedRead], afterBody, inFlight: () => inFlight };
}
