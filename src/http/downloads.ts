/**
 * GET /downloads/decisions.csv?token=… — the CSV export behind the signed links the records
 * feature hands to managers in a personal chat (why links, not file-consent cards: see
 * exportLink in src/bot/features/records/index.ts).
 *
 * The token (HMAC-SHA256, 10-minute expiry) names the tenant, the manager and the filter; nothing
 * else in the request is trusted. The manager's role is checked again, the query is run again
 * (so the file holds the records as they are now), and rows are streamed page by page, never
 * held in memory. Every download is audited with its row count; a download whose audit entry
 * cannot be written is cut off rather than completed.
 */
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { Server } from 'restify';
import { stringify } from 'csv-stringify';
import type { BotServices } from '../bot/features/types';
import { isManager } from '../bot/kit/access';
import { CSV_COLUMNS, csvRow } from '../bot/features/records/csv';
import { toRecordQuery } from '../bot/features/records/filters';
import { checkDownloadToken } from '../bot/features/records/state';
import { StorageUnavailableError } from '../storage/contract';

export const DOWNLOAD_PATH = '/downloads/decisions.csv';
const EXPORT_PAGE_SIZE = 1000;

function refuse(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

export function registerDownloadRoutes(server: Server, services: BotServices): void {
  server.get(DOWNLOAD_PATH, async (req, res) => {
    const raw = new URL(req.url ?? '/', 'http://localhost').searchParams.get('token');
    const checked = checkDownloadToken(services.config, raw, services.now());
    if (!checked.ok) {
      services.logger.warn({ event: 'download.refused', reason: checked.reason }, 'CSV download refused');
      refuse(res, 403, 'This download link is not valid or has expired. Ask the bot for a new one (type "export" in a personal chat).');
      return;
    }
    const { tn: tenantId, a: actor, f: filter, jti } = checked.token;
    try {
      if (!(await isManager(services, tenantId, actor))) {
        services.logger.warn({ event: 'download.refused', reason: 'not_manager', jti }, 'CSV download refused');
        refuse(res, 403, 'This download link was issued to someone who is no longer a manager.');
        return;
      }
      await streamCsv(services, res as unknown as ServerResponse, { tenantId, actor, filter, jti });
    } catch (err) {
      const unavailable = err instanceof StorageUnavailableError;
      services.logger.error({ event: 'download.failed', jti, unavailable, err: (err as Error).name }, 'CSV download failed');
      if (!res.headersSent) refuse(res, unavailable ? 503 : 500, 'The export could not be made. Please try again in a moment.');
      else res.destroy();
    }
  });
}

async function streamCsv(
  services: BotServices,
  res: ServerResponse,
  job: { tenantId: string; actor: string; filter: Parameters<typeof toRecordQuery>[1]; jti: string },
): Promise<void> {
  const query = toRecordQuery(job.tenantId, job.filter);
  // The first page is fetched before any header is sent, so an outage is still a clean 503.
  let page = await services.stores.decisions.query(query, EXPORT_PAGE_SIZE);
  const stamp = services.now().toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  res.writeHead(200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="decisions-${stamp}.csv"`,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  // BOM: Excel otherwise reads UTF-8 names as Latin-1.
  const csv = stringify({ header: true, columns: [...CSV_COLUMNS], bom: true });
  csv.pipe(res);
  let count = 0;
  for (;;) {
    for (const record of page.items) {
      count++;
      if (!csv.write(csvRow(record))) await drained(csv, res);
    }
    if (!page.continuationToken) break;
    page = await services.stores.decisions.query(query, EXPORT_PAGE_SIZE, page.continuationToken);
  }
  await services.stores.audit.write({
    tenantId: job.tenantId,
    actorAadObjectId: job.actor,
    action: 'export_csv',
    filter: { ...job.filter, jti: job.jti },
    resultCount: count,
    at: services.now().toISOString(),
  });
  csv.end();
  const done = new AbortController();
  try {
    await Promise.race([once(res, 'finish', { signal: done.signal }), once(res, 'close', { signal: done.signal })]);
  } finally {
    done.abort();
  }
  services.logger.info({ event: 'download.served', jti: job.jti, count }, 'CSV download served');
}

/** Waits for the CSV stream to drain, or fails if the client went away meanwhile. */
async function drained(csv: NodeJS.EventEmitter, res: ServerResponse): Promise<void> {
  const done = new AbortController();
  try {
    await Promise.race([once(csv, 'drain', { signal: done.signal }), once(res, 'close', { signal: done.signal })]);
  } finally {
    done.abort(); // removes the listener that did not fire
  }
  if (res.destroyed && !res.writableFinished) throw new Error('client closed the download');
}
