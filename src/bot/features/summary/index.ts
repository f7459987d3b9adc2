/**
 * Team summary (managers only): for the last 7, 30 or 90 days, and optionally one Teams team —
 * decisions by decision, the share made without consent, consents withdrawn, urgent shares not yet
 * recorded, overdue follow-ups, advice sought — beside the period before, with a chart.
 *
 * Read from the per-day counters kept with each record (src/storage/decisionCounters.ts), so it
 * costs O(days) whatever the number of records. Every summary shown is audited first (no audit,
 * nothing shown). The tenant and the asker come from the activity; a button's data only says which
 * period and team. In a channel or group chat it is a user-specific view: only the asker sees it.
 */
import { StorageUnavailableError } from '../../../storage/contract';
import { InvalidQueryError } from '../../../storage/errors';
import { teamSummary } from '../../../storage/teamSummary';
import { isManagerHere } from '../../kit/access';
import { messageCard } from '../../kit/messageCard';
import { VERBS } from '../../kit/verbs';
import { commandMatcher, type BotFeature, type CardActionResult, type MessageCommand, type Turn } from '../types';
import { issueChartToken } from './chartLink';
import { parseSummaryArgs, SummaryRequestSchema, type SummaryRequest } from './period';
import { privateSummaryCard, summaryCard } from './views';

const ONLY_MANAGERS =
  'Only managers can see the team summary. If you need manager access, ask your Teams administrator.';
const UNAVAILABLE = 'The records store could not be reached, so nothing can be shown. Please try again in a moment.';

const refusal = (title: string, text: string): CardActionResult => ({
  card: messageCard(title, text, { style: 'warning' }),
});

async function showSummary(turn: Turn, request: SummaryRequest): Promise<CardActionResult> {
  const { services, identity } = turn;
  if (!(await isManagerHere(turn))) return refusal('Managers only', ONLY_MANAGERS);
  const tenantId = identity.scope.tenantId;
  const actor = identity.user.aadObjectId;
  const now = services.now();
  let summary;
  try {
    summary = await teamSummary(services.stores.decisions, {
      tenantId,
      days: request.days,
      now,
      retentionDays: services.config.RETENTION_DAYS,
      ...(request.team !== undefined ? { teamId: request.team } : {}),
    });
  } catch (err) {
    if (err instanceof StorageUnavailableError || err instanceof InvalidQueryError) return { message: UNAVAILABLE };
    throw err;
  }
  const base = services.config.PUBLIC_BASE_URL;
  const link =
    base && summary.current.totalDecisions > 0
      ? issueChartToken(services.config, { tenantId, actor, request, now })
      : undefined;
  try {
    await services.stores.audit.write({
      tenantId,
      actorAadObjectId: actor,
      action: 'team_summary',
      filter: {
        ...request,
        from: summary.current.from,
        to: summary.current.to,
        ...(link ? { jti: link.payload.jti } : {}),
      },
      resultCount: summary.current.totalDecisions,
      at: now.toISOString(),
    });
  } catch (err) {
    if (!(err instanceof StorageUnavailableError)) throw err;
    services.logger.error({ event: 'summary.audit_failed' }, 'audit entry could not be written');
    return { message: UNAVAILABLE };
  }
  services.logger.info(
    { event: 'summary.shown', days: request.days, team: request.team !== undefined, chart: Boolean(link) },
    'team summary shown',
  );
  let chartUrl: string | undefined;
  if (link && base) {
    const url = new URL('/downloads/summary-chart.png', base);
    url.searchParams.set('token', link.token);
    chartUrl = url.toString();
  }
  return {
    card: summaryCard({
      summary,
      request,
      ...(identity.scope.teamId !== undefined ? { here: identity.scope.teamId } : {}),
      ...(chartUrl ? { chartUrl, chartExpiresAt: new Date(link!.payload.exp * 1000) } : {}),
    }),
  };
}

const isShared = (turn: Turn) => turn.identity.scope.conversationKind !== 'personal';

const summaryCommand: MessageCommand = {
  usage: 'team summary [7|30|90] [team]',
  description:
    'Managers: decisions of the last 30 days (or 7, 90) beside the period before, for the organisation or this team, with a chart.',
  hiddenFromHelp: true,
  match: commandMatcher('team summary'),
  async handle(turn, args) {
    const parsed = parseSummaryArgs(args, turn.identity.scope.teamId);
    if (!parsed.ok) return turn.reply(refusal('Team summary', parsed.problem));
    if (!(await isManagerHere(turn))) return turn.reply(refusal('Managers only', ONLY_MANAGERS));
    // In a shared conversation the summary goes to the asker alone (Teams asks for it with the refresh).
    if (isShared(turn)) return turn.reply({ card: privateSummaryCard(parsed.request, turn.ctx.activity.from.id) });
    await turn.reply(await showSummary(turn, parsed.request));
  },
};

async function onShow(turn: Turn, data: Record<string, unknown>): Promise<CardActionResult> {
  // Only the period and the team are read from the button (Teams may add keys of its own).
  const request = SummaryRequestSchema.safeParse({
    days: data.days,
    ...(data.team !== undefined ? { team: data.team } : {}),
  });
  if (!request.success) return { message: 'This card could not be read. Type **team summary** to start again.' };
  return showSummary(turn, request.data);
}

export const summaryFeature: BotFeature = {
  commands: [summaryCommand],
  actions: [{ verb: VERBS.summaryShow, privacy: 'asker-only', handle: onShow }],
};
