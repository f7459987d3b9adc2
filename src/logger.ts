/**
 * Structured logs (pino). Personal data is never logged: call sites log ids and codes only, and the
 * redact list below is a second line of defence for fields that must never reach a log sink.
 */
import pino, { type Logger } from 'pino';

export type { Logger };

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
