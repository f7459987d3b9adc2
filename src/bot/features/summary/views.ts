/** View models for the team summary cards (cards/team-summary*.json). Counts only, never case data. */
import { createHash } from 'node:crypto';
import type { TeamSummary } from '../../../storage/teamSummary';
import { renderCard, type AdaptiveCard } from '../../cards/templates';
import { periodText, summaryFacts } from '../../kit/summaryFacts';
import { VERBS } from '../../kit/verbs';
import { PERIOD_DAYS, type SummaryRequest } from './period';

const actionData = (request: SummaryRequest) => ({ verb: VERBS.summaryShow, ...request });

/**
 * How a team is named on the card: "This team" when asked from one of its channels, else a short
 * neutral label from a hash of the id. The raw id is never shown (card text is markdown).
 */
export function teamLabel(team: string, here: string | undefined): string {
  if (team === here) return 'This team';
  return `Team ref ${createHash('sha256').update(team).digest('hex').slice(0, 8)}`;
}

export function summaryCard(opts: {
  summary: TeamSummary;
  request: SummaryRequest;
  /** The Teams team of the conversation the summary is shown in, if any. */
  here?: string;
  /** The signed chart link; absent when there is nothing to draw or no public address. */
  chartUrl?: string;
  chartExpiresAt?: Date;
}): AdaptiveCard {
  const { summary, request } = opts;
  const total = summary.current.totalDecisions;
  const weeks = summary.weeks.length;
  return renderCard('team-summary', {
    title: `Team summary: last ${summary.days} days`,
    scopeText: `${request.team ? teamLabel(request.team, opts.here) : 'Whole organisation'} · ${periodText(summary.current)} (previous period ${periodText(summary.previous)})`,
    hasRetentionNote: summary.retainedFrom !== undefined,
    retentionNote: `Counted from ${summary.retainedFrom ?? ''}: decisions before then have passed the retention period and are no longer kept.`,
    hasChart: opts.chartUrl !== undefined,
    chartUrl: opts.chartUrl ?? '',
    chartAlt: `Bar chart of ${total} decisions over ${weeks} week${weeks === 1 ? '' : 's'}, stacked by decision. The same figures are listed below.`,
    noChartText:
      total === 0
        ? 'No decisions were recorded in this period, so there is no chart.'
        : 'The chart is not available here; the figures are below.',
    facts: summaryFacts(summary, { byDecision: true }),
    footnote: `Counts only, from every decision recorded${request.team ? ' in this team’s channels' : ''}; follow-ups are overdue when the review date has passed with no follow-up recorded.${opts.chartExpiresAt ? ` The chart link works until ${opts.chartExpiresAt.toISOString().slice(11, 16)} UTC.` : ''} This view is audited.`,
    periods: PERIOD_DAYS.map((days) => ({
      title: days === summary.days ? `${days} days ✓` : `${days} days`,
      data: actionData({ ...request, days }),
    })),
  });
}

export function privateSummaryCard(request: SummaryRequest, userMri: string): AdaptiveCard {
  return renderCard('team-summary-private', { refreshData: actionData(request), refreshUser: userMri });
}
