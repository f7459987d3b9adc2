/**
 * The records feature's side of the CSV download (served by src/http/downloads.ts, which is handed
 * this service by the composition root and knows nothing of tokens, roles, filters or columns).
 *
 * The token (HMAC-SHA256, 10-minute expiry) names the tenant, the manager and the filter; nothing
 * else in the request is trusted. The manager's role is checked again and the query is run again,
 * so the file holds the records as they are now.
 */
import { MAX_PAGE_SIZE } from '../../../storage/decisionStore';
import { isManager } from '../../kit/access';
import type { BotServices } from '../types';
import { CSV_COLUMNS, csvRow } from './csv';
import { toRecordQuery, type RecordFilter } from './filters';
import { checkDownloadToken } from './state';

/** One download a valid link asks for: whose tenant, which manager, which filter. */
export interface ExportJob {
  /** The link's id: every log line and audit entry of the download names it. */
  jti: string;
  tenantId: string;
  actor: string;
  filter: RecordFilter;
}

export function decisionExport(services: Pick<BotServices, 'config' | 'stores' | 'now'>) {
  return {
    columns: CSV_COLUMNS,

    /** The link's signature, expiry and contents. */
    check(token: string | null): { ok: true; job: ExportJob } | { ok: false; reason: string } {
      const checked = checkDownloadToken(services.config, token, services.now());
      if (!checked.ok) return checked;
      const { tn: tenantId, a: actor, f: filter, jti } = checked.token;
      return { ok: true, job: { jti, tenantId, actor, filter } };
    },

    /** Only a manager, as the role stands now (it may have been revoked since the link was issued). */
    mayDownload: (job: ExportJob) => isManager(services, job.tenantId, job.actor),

    /** The rows, a storage page at a time (the caller fetches the first before it answers). */
    async *pages(job: ExportJob): AsyncGenerator<string[][]> {
      const query = toRecordQuery(job.tenantId, job.filter);
      let token: string | undefined;
      do {
        const page = await services.stores.decisions.query(query, MAX_PAGE_SIZE, token);
        yield page.items.map(csvRow);
        token = page.continuationToken;
      } while (token);
    },

    /** The audit entry for a download, with its row count. */
    async audited(job: ExportJob, rowCount: number): Promise<void> {
      await services.stores.audit.write({
        tenantId: job.tenantId,
        actorAadObjectId: job.actor,
        action: 'export_csv',
        filter: { ...job.filter, jti: job.jti },
        resultCount: rowCount,
        at: services.now().toISOString(),
      });
    },
  };
}
