/**
 * GET /downloads/decisions.csv?token=… — the CSV export behind the signed links the records
 * feature hands to managers in a personal chat (why links, not file-consent cards: see
 * exportLink in src/bot/features/records/index.ts).
 *
 * The transport's part only: what a link is worth, which rows it gets and how a download is
 * audited are the export service's (DecisionExport, implemented by the records feature and passed
 * in by the composition root). Rows are streamed page by page, never held in memory; the first page
 * is read before any header is sent, so an outage is still a clean 503. Every download is audited
 * with its row count; a download whose audit entry cannot be written is cut off rather than completed.
 */
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { Server } from 'restify';
import { stringify } from 'csv-stringify';
import type { Logger } from '../logger';
import { StorageUnavailableError } from '../storage/contract';

export const DOWNLOAD_PATH = '/downloads/decisions.csv';

/** What the download route needs from whoever owns the records (the records feature). */
export interface DecisionExport<Job extends { jti: string } = { jti: string }> {
  readonly columns: readonly string[];
  /** The link's token (signature, expiry, contents): the download it asks for, or why it is refused. */
  check(token: string | null): { ok: true; job: Job } | { ok: false; reason: string };
  /** Whether the link's holder may still download (the role is checked again, now). */
  mayDownload(job: Job): Promise<boolean>;
  /** The job's rows, one storage page at a time. */
  pages(job: Job): AsyncIterable<string[][]>;
  /** Writes the download's audit entry; throws if it cannot. */
  audited(job: Job, rowCount: number): Promise<void>;
}

export interface DownloadServices<Job extends { jti: string }> {
  logger: Logger;
  now: () => Date;
  exports: DecisionExport<Job>;
}

function refuse(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

export function registerDownloadRoutes<Job extends { jti: string }>(
  server: Server,
  services: DownloadServices<Job>,
): void {
  server.get(DOWNLOAD_PATH, async (req, res) => {
    const raw = new URL(req.url ?? '/', 'http://localhost').searchParams.get('token');
    const checked = services.exports.check(raw);
    if (!checked.ok) {
      services.logger.warn({ event: 'download.refused', reason: checked.reason }, 'CSV download refused');
      refuse(
        res,
        403,
        'This download link is not valid or has expired. Ask the bot for a new one (type "export" in a personal chat).',
      );
      return;
    }
    const { job } = checked;
    const { jti } = job;
    try {
      if (!(await services.exports.mayDownload(job))) {
        services.logger.warn({ event: 'download.refused', reason: 'not_manager', jti }, 'CSV download refused');
        refuse(res, 403, 'This download link was issued to someone who is no longer a manager.');
        return;
      }
      await streamCsv(services, res as unknown as ServerResponse, job);
    } catch (err) {
      const unavailable = err instanceof StorageUnavailableError;
      services.logger.error(
        { event: 'download.failed', jti, unavailable, err: (err as Error).name },
        'CSV download failed',
      );
      if (!res.headersSent)
        refuse(res, unavailable ? 503 : 500, 'The export could not be made. Please try again in a moment.');
      else res.destroy();
    }
  });
}

async function streamCsv<Job extends { jti: string }>(
  services: DownloadServices<Job>,
  res: ServerResponse,
  job: Job,
): Promise<void> {
  const pages = services.exports.pages(job)[Symbol.asyncIterator]();
  // The first page is fetched before any header is sent, so an outage is still a clean 503.
  let page = await pages.next();
  const stamp = services.now().toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
  res.writeHead(200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="decisions-${stamp}.csv"`,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  // BOM: Excel otherwise reads UTF-8 names as Latin-1.
  const csv = stringify({ header: true, columns: [...services.exports.columns], bom: true });
  csv.pipe(res);
  let count = 0;
  for (; !page.done; page = await pages.next()) {
    for (const row of page.value) {
      count++;
      if (!csv.write(row)) await drained(csv, res);
    }
  }
  await services.exports.audited(job, count);
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
