/**
 * Reminder schedules: friendly presets ("weekly mon 09:00", "daily 09:00", "weekdays 08:30") or a
 * 5-field cron pattern, validated with croner, always in one timezone (Europe/London by default).
 * Channel reminders may fire at most once an hour: they are nudges, not a feed.
 */
import { Cron } from 'croner';

export const DEFAULT_TIMEZONE = 'Europe/London';
const MIN_INTERVAL_MS = 60 * 60 * 1000;

const DAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const DAY_ALIASES: Record<string, string> = {
  sunday: 'sun',
  monday: 'mon',
  tuesday: 'tue',
  tues: 'tue',
  wednesday: 'wed',
  thursday: 'thu',
  thur: 'thu',
  thurs: 'thu',
  friday: 'fri',
  saturday: 'sat',
};

export type ParsedSchedule = { ok: true; cron: string; text: string } | { ok: false; problem: string };

function time(text: string): { h: number; m: number } | undefined {
  const m = /^([01]?\d|2[0-3])(?::?([0-5]\d))?$/.exec(text);
  return m ? { h: Number(m[1]), m: Number(m[2] ?? '0') } : undefined;
}

/** Turns what the user typed into a cron pattern (5 fields), or explains what is wrong. */
export function parseSchedule(input: string, timezone = DEFAULT_TIMEZONE): ParsedSchedule {
  const text = input.trim().toLowerCase().replace(/\s+/g, ' ');
  if (text === '')
    return {
      ok: false,
      problem: 'Say when, e.g. "weekly mon 09:00", "daily 09:00", "weekdays 08:30" or a cron pattern like "0 9 * * 1".',
    };
  let cron: string | undefined;
  const words = text.split(' ');
  const [first, second, third] = words;
  if ((first === 'daily' || first === 'weekdays') && words.length <= 2) {
    const t = time(second ?? '09:00');
    if (!t) return { ok: false, problem: `"${second}" is not a time (use 24-hour HH:MM).` };
    cron = `${t.m} ${t.h} * * ${first === 'daily' ? '*' : '1-5'}`;
  } else if (first === 'weekly' && words.length <= 3) {
    const dayKey = DAY_ALIASES[second ?? ''] ?? second ?? 'mon';
    const day = DAYS[dayKey];
    if (day === undefined) return { ok: false, problem: `"${second}" is not a day (use mon, tue, … sun).` };
    const t = time(third ?? '09:00');
    if (!t) return { ok: false, problem: `"${third}" is not a time (use 24-hour HH:MM).` };
    cron = `${t.m} ${t.h} * * ${day}`;
  } else if (words.length === 5) {
    cron = words.join(' ');
  } else {
    return {
      ok: false,
      problem: `I could not read "${input.trim().slice(0, 60)}" as a schedule. Use e.g. "weekly mon 09:00", "daily 09:00", "weekdays 08:30" or a 5-field cron pattern.`,
    };
  }
  let job: Cron;
  try {
    job = new Cron(cron, { timezone, paused: true, mode: '5-part' });
  } catch (err) {
    return { ok: false, problem: `That cron pattern is not valid: ${(err as Error).message}` };
  }
  const runs = job.nextRuns(4, new Date());
  job.stop();
  if (runs.length === 0) return { ok: false, problem: 'That schedule never fires.' };
  for (let i = 1; i < runs.length; i++) {
    if (runs[i]!.getTime() - runs[i - 1]!.getTime() < MIN_INTERVAL_MS) {
      return { ok: false, problem: 'Channel reminders can fire at most once an hour.' };
    }
  }
  return { ok: true, cron, text: text.slice(0, 100) };
}

/** The first run strictly after `after`, in the schedule's timezone; undefined if it never fires again. */
export function nextRunAfter(cron: string, after: Date, timezone = DEFAULT_TIMEZONE): Date | undefined {
  const job = new Cron(cron, { timezone, paused: true, mode: '5-part' });
  try {
    return job.nextRun(after) ?? undefined;
  } finally {
    job.stop();
  }
}

/** "Mon 2 Mar 2026, 09:00" in the timezone (for cards). */
export function formatLocal(at: Date | string, timezone = DEFAULT_TIMEZONE): string {
  const d = typeof at === 'string' ? new Date(at) : at;
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: timezone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(d);
}
