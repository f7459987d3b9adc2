/**
 * GET /downloads/summary-chart.png?token=… — the team summary's chart, behind the signed,
 * expiring links the summary feature puts on its card (as the CSV export: src/http/downloads.ts).
 *
 * The transport's part only: what a link is worth, whether its holder is still a manager, what is
 * drawn and how it is audited belong to the chart service the composition root passes in. The
 * image is drawn before any header is sent, so an outage is still a clean 503; a chart whose audit
 * entry cannot be written is not served. The service checks the role on every fetch, but draws and
 * audits a link once per process (its PNG kept for the link's lifetime; see summary/chartCache.ts).
 */
import type { ServerResponse } from 'node:http';
import type { Server } from 'restify';
import type { Logger } from '../logger';
import { StorageUnavailableError } from '../storage/contract';

export const CHART_PATH = '/downloads/summary-chart.png';

export interface ChartService<Job extends { jti: string }> {
  check(token: string | null): { ok: true; job: Job } | { ok: false; reason: string };
  /** Whether the link's holder may still see it (the role is checked again, now). */
  mayDownload(job: Job): Promise<boolean>;
  /** The PNG (may be the one drawn at an earlier fetch of the same link). */
  png(job: Job): Promise<Buffer>;
  /** Writes the audit entry (or has written it at an earlier fetch of the same link); throws if it cannot. */
  audited(job: Job): Promise<void>;
}

function refuse(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

export function registerChartRoute<Job extends { jti: string }>(
  server: Server,
  services: { logger: Logger; charts: ChartService<Job> },
): void {
  server.get(CHART_PATH, async (req, res) => {
    const raw = new URL(req.url ?? '/', 'http://localhost').searchParams.get('token');
    const checked = services.charts.check(raw);
    const out = res as unknown as ServerResponse;
    if (!checked.ok) {
      services.logger.warn({ event: 'chart.refused', reason: checked.reason }, 'summary chart refused');
      refuse(out, 403, 'This chart link is not valid or has expired. Type "team summary" for a new one.');
      return;
    }
    const { job } = checked;
    try {
      if (!(await services.charts.mayDownload(job))) {
        services.logger.warn({ event: 'chart.refused', reason: 'not_manager', jti: job.jti }, 'summary chart refused');
        refuse(out, 403, 'This chart link was issued to someone who is no longer a manager.');
        return;
      }
      const png = await services.charts.png(job);
      await services.charts.audited(job);
      out.writeHead(200, {
        'Content-Type': 'image/png',
        'Content-Length': png.length,
        'Cache-Control': 'private, no-store',
        'X-Content-Type-Options': 'nosniff',
      });
      out.end(png);
      services.logger.info({ event: 'chart.served', jti: job.jti, bytes: png.length }, 'summary chart served');
    } catch (err) {
      const unavailable = err instanceof StorageUnavailableError;
      services.logger.error(
        { event: 'chart.failed', jti: job.jti, unavailable, err: (err as Error).name },
        'summary chart failed',
      );
      if (!out.headersSent) refuse(out, unavailable ? 503 : 500, 'The chart could not be drawn. Please try again.');
      else out.destroy();
    }
  });
}
