/**
 * The team summary's figures as plain-words facts (title, "this period · previous period"), for
 * the manager's summary card and the weekly channel digest. Counts only: nothing about a case or a
 * person. This FactSet is also the text alternative to the chart for screen readers.
 */
import { DECISIONS } from '../../domain/contract';
import type { SummaryFigures, TeamSummary } from '../../storage/teamSummary';
import { DECISION_LABELS } from './decisionLabels';

export interface Fact {
  title: string;
  value: string;
}

const percent = (p: number | undefined) => (p === undefined ? '—' : `${p}%`);

/**
 * Counts from 1 to SMALL_COUNT_LIMIT − 1 are shown as "fewer than 5" wherever the figures are posted
 * to a channel: there a count of 1 or 2 can point at a single case everyone in the channel knows.
 * Zero is shown (it points at no case).
 */
export const SMALL_COUNT_LIMIT = 5;
const isSmall = (n: number) => n > 0 && n < SMALL_COUNT_LIMIT;

function pair(now: string | number, before: string | number): string {
  return `${now} · previous ${before}`;
}

/** The headline figures (for both cards); with `byDecision`, one fact per decision that occurred in either period. */
export function summaryFacts(summary: TeamSummary, opts: { byDecision: boolean; suppressSmall?: boolean }): Fact[] {
  const { current: c, previous: p } = summary;
  const suppress = opts.suppressSmall === true;
  const count = (n: number): string | number => (suppress && isSmall(n) ? `fewer than ${SMALL_COUNT_LIMIT}` : n);
  // No percentage from a suppressed count (it would give the count back).
  const share = (f: SummaryFigures) =>
    suppress && (isSmall(f.withoutConsent) || isSmall(f.totalDecisions))
      ? `${count(f.withoutConsent)}`
      : `${f.withoutConsent} (${percent(f.withoutConsentPercent)})`;
  const facts: Fact[] = [
    { title: 'Decisions recorded', value: pair(count(c.totalDecisions), count(p.totalDecisions)) },
    { title: 'Shared without consent', value: pair(share(c), share(p)) },
    { title: 'Consents withdrawn', value: pair(count(c.consentsWithdrawn), count(p.consentsWithdrawn)) },
    {
      title: 'Urgent shares not yet recorded',
      value: pair(count(c.urgentNotRecorded), count(p.urgentNotRecorded)),
    },
    {
      title: 'Follow-ups overdue (person not yet told)',
      value: pair(count(c.followUpsOverdue), count(p.followUpsOverdue)),
    },
    { title: 'Advice sought', value: pair(count(c.adviceSought), count(p.adviceSought)) },
  ];
  if (opts.byDecision) {
    for (const d of DECISIONS) {
      if (c.decisions[d] === 0 && p.decisions[d] === 0) continue;
      facts.push({ title: DECISION_LABELS[d], value: pair(count(c.decisions[d]), count(p.decisions[d])) });
    }
  }
  return facts;
}

/** "1–30 Nov 2026" style range text for one period's figures. */
export function periodText(f: Pick<SummaryFigures, 'from' | 'to'>): string {
  return f.from > f.to ? 'nothing to count (before the retention period)' : `${f.from} to ${f.to}`;
}
