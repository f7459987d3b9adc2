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

function pair(now: string | number, before: string | number): string {
  return `${now} · previous ${before}`;
}

/** The headline figures (for both cards); with `byDecision`, one fact per decision that occurred in either period. */
export function summaryFacts(summary: TeamSummary, opts: { byDecision: boolean }): Fact[] {
  const { current: c, previous: p } = summary;
  const facts: Fact[] = [
    { title: 'Decisions recorded', value: pair(c.totalDecisions, p.totalDecisions) },
    {
      title: 'Shared without consent',
      value: pair(
        `${c.withoutConsent} (${percent(c.withoutConsentPercent)})`,
        `${p.withoutConsent} (${percent(p.withoutConsentPercent)})`,
      ),
    },
    { title: 'Consents withdrawn', value: pair(c.consentsWithdrawn, p.consentsWithdrawn) },
    { title: 'Urgent shares not yet recorded', value: pair(c.urgentNotRecorded, p.urgentNotRecorded) },
    { title: 'Follow-ups overdue (person not yet told)', value: pair(c.followUpsOverdue, p.followUpsOverdue) },
    { title: 'Advice sought', value: pair(c.adviceSought, p.adviceSought) },
  ];
  if (opts.byDecision) {
    for (const d of DECISIONS) {
      if (c.decisions[d] === 0 && p.decisions[d] === 0) continue;
      facts.push({ title: DECISION_LABELS[d], value: pair(c.decisions[d], p.decisions[d]) });
    }
  }
  return facts;
}

/** "1–30 Nov 2026" style range text for one period's figures. */
export function periodText(f: Pick<SummaryFigures, 'from' | 'to'>): string {
  return f.from > f.to ? 'nothing to count (before the retention period)' : `${f.from} to ${f.to}`;
}
