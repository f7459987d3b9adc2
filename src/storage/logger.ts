/**
 * Storage logs through the app's Logger (src/logger.ts), injected by the composition root, so its
 * lines pass the app's redaction. It logs keys, ids and error codes only — never record content
 * (safeguarding data).
 */
import type { Logger } from '../logger';

/**
 * The default when no logger is injected (tests, scripts): silent, never a second pino instance
 * that would bypass the app's log level and redaction.
 */
export const silentLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
