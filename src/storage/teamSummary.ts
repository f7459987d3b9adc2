/**
 * The team summary's figures, from the per-day counters (decisionCounters.ts): one dailyCounts
 * read covering this period and the one before it, so the cost is O(days), never O(records).
 * Shared by the manager's `team summary` (src/bot) and the weekly channel digest (src/reminders).
 *
 * Periods are whole UTC days ending today (today included). Neither reaches back before the
 * retention window: days before the first whole day after the retention cutoff may hold counts of
 * records the purge has deleted (or, on the cutoff's own day, some of them), so they are left out
 * and the summary says from when it counts.
 */
import { DECISIONS, type DecisionCode } from '../domain/contract';
import type { DecisionStore } from './contract';
import type { DayCounts } from './decisionCounters';

const DAY_MS = 86_400_000;

export interface SummaryFigures {
  /** First and last day counted (YYYY-MM-DD, inclusive); from > to when nothing could be counted. */
  from: string;
  to: string;
  decisions: Record<DecisionCode, number>;
  totalDecisions: number;
  /** Decisions to share made without consent obtained … */
  withoutConsent: number;
  /** … as a whole percentage of all decisions (undefined when there were none). */
  withoutConsentPercent: number | undefined;
  consentsWithdrawn: number;
  /** Urgent shares made in the period that no decision records yet. */
  urgentNotRecorded: number;
  /** "Person not yet told" whose review date (in the period) has passed with no follow-up recorded. */
  followUpsOverdue: number;
  /** Decisions whose answer was "seek advice". */
  adviceSought: number;
}

export interface WeekBar {
  /** First day of the week (YYYY-MM-DD). */
  weekStart: string;
  decisions: Record<DecisionCode, number>;
}

export interface TeamSummary {
  days: number;
  teamId?: string;
  current: SummaryFigures;
  previous: SummaryFigures;
  /** Decisions of the current period by week (the last week ends today), oldest first. */
  weeks: WeekBar[];
  /** Set when the retention window cut a period short: the first day it still counts. */
  retainedFrom?: string;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayStart = (d: Date) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
const zeroDecisions = () => Object.fromEntries(DECISIONS.map((d) => [d, 0])) as Record<DecisionCode, number>;

/** The first whole UTC day after the retention cutoff (now − retentionDays). */
export function firstRetainedDay(now: Date, retentionDays: number): string {
  return isoDay(dayStart(new Date(now.getTime() - retentionDays * DAY_MS)) + DAY_MS);
}

export async function teamSummary(
  store: Pick<DecisionStore, 'dailyCounts'>,
  opts: { tenantId: string; teamId?: string; days: number; now: Date; retentionDays: number },
): Promise<TeamSummary> {
  const today = dayStart(opts.now);
  const end = today + DAY_MS; // exclusive
  const start = end - opts.days * DAY_MS;
  const prevStart = start - opts.days * DAY_MS;
  const retained = Date.parse(firstRetainedDay(opts.now, opts.retentionDays));
  const readFrom = Math.max(prevStart, retained);
  const counts =
    readFrom < end
      ? await store.dailyCounts(opts.tenantId, {
          from: isoDay(readFrom),
          to: isoDay(end),
          ...(opts.teamId !== undefined ? { teamId: opts.teamId } : {}),
        })
      : [];
  const within = (from: number, to: number) =>
    counts.filter((c) => {
      const ms = Date.parse(c.day);
      return ms >= Math.max(from, retained) && ms < to;
    });
  const current = figures(within(start, end), Math.max(start, retained), end, today);
  const previous = figures(within(prevStart, start), Math.max(prevStart, retained), start, today);
  const weeks: WeekBar[] = [];
  for (let weekEnd = end; weekEnd > start; weekEnd -= 7 * DAY_MS) {
    const weekStart = Math.max(start, weekEnd - 7 * DAY_MS);
    const bar: WeekBar = { weekStart: isoDay(weekStart), decisions: zeroDecisions() };
    for (const c of within(weekStart, weekEnd)) for (const d of DECISIONS) bar.decisions[d] += c.decisions[d];
    weeks.unshift(bar);
  }
  return {
    days: opts.days,
    ...(opts.teamId !== undefined ? { teamId: opts.teamId } : {}),
    current,
    previous,
    weeks,
    ...(retained > prevStart ? { retainedFrom: isoDay(retained) } : {}),
  };
}

function figures(days: readonly DayCounts[], from: number, to: number, today: number): SummaryFigures {
  const decisions = zeroDecisions();
  let withoutConsent = 0;
  let withdrawn = 0;
  let urgent = 0;
  let urgentRecorded = 0;
  let overdue = 0;
  for (const c of days) {
    for (const d of DECISIONS) decisions[d] += c.decisions[d];
    withoutConsent += c.noConsent;
    withdrawn += c.withdrawn;
    urgent += c.urgent;
    urgentRecorded += c.urgentRecorded;
    // Overdue: the review day has passed (before today) and no follow-up closed it.
    if (Date.parse(c.day) < today) overdue += Math.max(0, c.reviewDue - c.reviewDone);
  }
  const totalDecisions = DECISIONS.reduce((sum, d) => sum + decisions[d], 0);
  return {
    from: isoDay(from),
    to: isoDay(to - DAY_MS),
    decisions,
    totalDecisions,
    withoutConsent,
    withoutConsentPercent: totalDecisions === 0 ? undefined : Math.round((100 * withoutConsent) / totalDecisions),
    consentsWithdrawn: withdrawn,
    urgentNotRecorded: Math.max(0, urgent - urgentRecorded),
    followUpsOverdue: overdue,
    adviceSought: decisions.seek_advice,
  };
}
