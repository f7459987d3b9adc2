/**
 * The environment variables of the two scheduled jobs (reminders, retention purge): part of the one
 * config — src/config.ts spreads this shape into its schema, so loadConfig names any bad one.
 *
 * All are optional: the defaults live with each job (reminders/index.ts, retention/job.ts). The
 * *_ENABLED flags are undefined when unset, so each job can be off by default under NODE_ENV=test.
 */
import { Cron } from 'croner';
import { z } from 'zod';

const validCron = (pattern: string) => {
  try {
    new Cron(pattern, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
};

const validTimezone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/** 'true' | '1' → true, 'false' | '0' → false, unset → undefined (the job's own default). */
const flag = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .transform((v) => (v === undefined ? undefined : v === 'true' || v === '1'));

const positive = z.coerce.number().positive();

export const schedulerEnvShape = {
  REMINDERS_ENABLED: flag,
  REMINDER_TICK_CRON: z.string().min(9).max(100).optional(),
  REMINDER_GLOBAL_PER_SECOND: positive.max(1000).optional(),
  REMINDER_PER_CONVERSATION_PER_SECOND: positive.max(50).optional(),
  REMINDER_MAX_CONCURRENT: z.coerce.number().int().min(1).max(256).optional(),
  REMINDER_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).optional(),
  REMINDER_LEASE_TTL_MS: z.coerce.number().int().min(1000).max(3_600_000).optional(),

  RETENTION_PURGE_ENABLED: flag,
  RETENTION_PURGE_CRON: z.string().min(9).max(100).refine(validCron, 'must be a cron pattern').optional(),
  RETENTION_PURGE_TIMEZONE: z.string().min(1).max(64).refine(validTimezone, 'must be an IANA time zone').optional(),
  RETENTION_PURGE_MAX_RECORDS: z.coerce.number().int().min(1).max(1_000_000).optional(),
  RETENTION_PURGE_MAX_AUDIT_ENTRIES: z.coerce.number().int().min(1).max(10_000_000).optional(),
  RETENTION_PURGE_LEASE_TTL_MS: z.coerce.number().int().min(1000).max(3_600_000).optional(),
};

/** The settings given (not undefined), to spread over a job's defaults. */
export function given<T extends object>(settings: T): Given<T> {
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) as Given<T>;
}

type Given<T> = Partial<{ [K in keyof T]: Exclude<T[K], undefined> }>;
