/**
 * Structured logs (pino). Personal data is never logged: call sites log ids and codes only, and the
 * redact list below is a second line of defence for fields that must never reach a log sink.
 *
 * Everything that logs takes a `Logger` (the narrow surface below, which pino satisfies), injected
 * from the composition root, so every line goes through the one redacting pino instance.
 */
import pino from 'pino';

/** What the app's code may call on a logger: structured details first, then a fixed message. */
export interface Logger {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'can-i-share' },
      redact: {
        paths: [
          '*.text',
          '*.name',
          'from.name',
          'recipient.name',
          '*.informationOutline',
          '*.reasonsWithoutConsent',
          '*.recipientRole',
          '*.caseReference',
          'req.headers.authorization',
          '*.password',
          '*.MICROSOFT_APP_PASSWORD',
          '*.AZURE_STORAGE_CONNECTION_STRING',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

export interface LoggedError {
  /** The error's class (`name`), e.g. "StorageUnavailableError", "TypeError". */
  type: string;
  /** A machine code, when the error carries one (Node system errors, Azure RestError). */
  code?: string;
  statusCode?: number;
  /** The stack frames (file, line, function) without the message line; left out if they cannot be separated. */
  frames?: string;
  /** The same, one level down (`cause`), e.g. the RestError behind a StorageUnavailableError. */
  cause?: LoggedError;
}

/**
 * What may be logged about an error: its class, code and stack frames — never its message, which
 * can quote what a user typed (a template error naming a `${…}`, a library echoing a value).
 * Use this for every `err` field in a log line.
 */
export function errorFields(err: unknown, depth = 0): LoggedError {
  if (!(err instanceof Error)) return { type: err === null ? 'null' : typeof err };
  const out: LoggedError = { type: err.name || 'Error' };
  const { code, statusCode } = err as { code?: unknown; statusCode?: unknown };
  if (typeof code === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(code)) out.code = code;
  if (typeof statusCode === 'number') out.statusCode = statusCode;
  // V8 stacks start "Name: message\n    at …"; keep only what follows that exact header.
  const header = err.message ? `${err.name}: ${err.message}\n` : `${err.name}\n`;
  if (typeof err.stack === 'string' && err.stack.startsWith(header)) out.frames = err.stack.slice(header.length);
  if (err.cause !== undefined && depth < 2) out.cause = errorFields(err.cause, depth + 1);
  return out;
}
