/**
 * The summary chart's download link: like the CSV export's (src/bot/features/records/state.ts),
 * HMAC-signed with its own purpose key, valid for 10 minutes, naming the tenant, the manager it was
 * issued to and what to draw (period and team) — never counts or records. At every download the
 * role is checked again (src/http/chartDownloads.ts serves it). The counts are read and the chart
 * drawn at a link's first download; the PNG is then kept for the link's lifetime (chartCache.ts),
 * so fetching one link again and again draws once and writes one audit entry per process.
 */
import { z } from 'zod';
import { signingSecretOf, type Config } from '../../../config';
import { teamSummary } from '../../../storage/teamSummary';
import { isManager } from '../../kit/access';
import { LinkFields, checkLink, issueLink } from '../../kit/signing';
import type { BotServices } from '../types';
import { renderChartPng } from './chart';
import { ChartCache, type CachedChart } from './chartCache';
import { SummaryRequestSchema, type SummaryRequest } from './period';

export const CHART_LINK_TTL_SECONDS = 10 * 60;
/** Charts kept at once (each some kilobytes); beyond it the least recently fetched link is drawn again. */
const CHART_CACHE_ENTRIES = 100;

const ChartTokenSchema = z.strictObject({
  ...LinkFields,
  tn: z.string().min(1).max(200),
  a: z.string().min(1).max(200),
  r: SummaryRequestSchema,
});
type ChartToken = z.infer<typeof ChartTokenSchema>;

export function issueChartToken(
  config: Config,
  opts: { tenantId: string; actor: string; request: SummaryRequest; now: Date },
): { token: string; payload: ChartToken } {
  return issueLink(
    signingSecretOf(config),
    'summary-chart-download-v1',
    { ttlSeconds: CHART_LINK_TTL_SECONDS, now: opts.now },
    { tn: opts.tenantId, a: opts.actor, r: opts.request },
  );
}

/** One chart a valid link asks for. */
export interface ChartJob {
  jti: string;
  /** When the link expires (ms since the epoch): how long its chart is kept. */
  expiresAt: number;
  tenantId: string;
  actor: string;
  request: SummaryRequest;
}

/** The summary feature's side of the chart route (handed to src/http by the composition root). */
export function summaryCharts(services: Pick<BotServices, 'config' | 'stores' | 'now' | 'logger'>) {
  const cache = new ChartCache(CHART_CACHE_ENTRIES);
  async function draw(job: ChartJob): Promise<Buffer> {
    const summary = await teamSummary(services.stores.decisions, {
      tenantId: job.tenantId,
      days: job.request.days,
      now: services.now(),
      retentionDays: services.config.RETENTION_DAYS,
      ...(job.request.team !== undefined ? { teamId: job.request.team } : {}),
    });
    const png = await renderChartPng(summary.weeks);
    services.logger.info({ event: 'summary.chart_drawn', jti: job.jti, cached: cache.size }, 'summary chart drawn');
    return png;
  }
  return {
    check(token: string | null): { ok: true; job: ChartJob } | { ok: false; reason: string } {
      const verified = checkLink(
        signingSecretOf(services.config),
        'summary-chart-download-v1',
        token,
        ChartTokenSchema,
        services.now(),
      );
      if (!verified.ok) return verified;
      const { tn: tenantId, a: actor, r: request, jti, exp } = verified.value;
      return { ok: true, job: { jti, expiresAt: exp * 1000, tenantId, actor, request } };
    },
    /** Only a manager, as the role stands now. */
    mayDownload: (job: ChartJob) => isManager(services, job.tenantId, job.actor),
    /** The PNG: drawn from the counters at the link's first download, then the same for its lifetime. */
    png(job: ChartJob): Promise<Buffer> {
      const now = services.now().getTime();
      const cached = cache.get(job.jti, now);
      if (cached) return cached.png;
      const chart: CachedChart = { png: draw(job) };
      cache.set(job.jti, chart, job.expiresAt, now);
      chart.png.catch(() => cache.delete(job.jti, chart));
      return chart.png;
    },
    /** Audits the link's first download in this process (a failed audit is tried again next time). */
    audited(job: ChartJob): Promise<void> {
      const chart = cache.get(job.jti, services.now().getTime());
      if (chart?.audit) return chart.audit;
      const audit = services.stores.audit
        .write({
          tenantId: job.tenantId,
          actorAadObjectId: job.actor,
          action: 'team_summary_chart',
          filter: { ...job.request, jti: job.jti },
          resultCount: 0,
          at: services.now().toISOString(),
        })
        .then(() => undefined);
      if (chart) {
        chart.audit = audit;
        audit.catch(() => {
          if (chart.audit === audit) delete chart.audit;
        });
      }
      return audit;
    },
  };
}
