/**
 * The little logging surface storage needs; a pino logger satisfies it.
 *
 * Storage logs keys, ids and error codes only — never record content (safeguarding data).
 */
import pino from 'pino';

export interface StorageLogger {
  warn(details: Record<string, unknown>, message: string): void;
  error(details: Record<string, unknown>, message: string): void;
}

let fallback: StorageLogger | undefined;

/** Used when the app does not inject its own logger (it normally should). */
export function defaultStorageLogger(): StorageLogger {
  fallback ??= pino({ name: 'storage', level: process.env.LOG_LEVEL ?? 'info' });
  return fallback;
}
