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
