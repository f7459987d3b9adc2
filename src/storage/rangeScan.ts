/**
 * Reads one page of a RowKey range inside one partition, newest first, with server-side filters.
 *
 * Why a loop: with a $filter the service may return short or even empty pages (it stops after a
 * time/scan budget and hands back a continuation). We keep asking until we hold one row more than
 * the caller wants (so we know a next page exists without returning an empty last page) or the
 * range is exhausted — bounded by `maxRoundTrips`, after which we hand back the SDK's position.
 */
import { odata, type TableClient } from '@azure/data-tables';
import { StorageUnavailableError } from './contract';
import { guarded, InvalidContinuationTokenError, statusOf } from './errors';
import type { ResumePoint } from './continuationToken';

export type RawEntity = Record<string, unknown> & { partitionKey?: string; rowKey?: string };

export interface RangeScan {
  client: TableClient;
  partitionKey: string;
  /** RowKey range [ge, lt). */
  ge: string;
  lt: string;
  /** Extra OData conditions, each already escaped (built with the `odata` tag). */
  where?: readonly string[];
  /** How many rows the caller wants in this page (1–1000). */
  want: number;
  resume?: ResumePoint;
  maxRoundTrips?: number;
  /** A fresh abort signal per SDK call (per-call timeout). */
  signal: () => AbortSignal;
  operation: string;
}

export interface RangeScanResult {
  rows: RawEntity[];
  /** Where the next page starts; absent when the range is exhausted. */
  resume?: ResumePoint;
}

/** Azure returns at most 1,000 entities per response. */
const SERVICE_MAX_PAGE = 1000;

export async function scanRange(scan: RangeScan): Promise<RangeScanResult> {
  const { client, partitionKey, ge, lt, want, resume } = scan;
  if (resume && 'after' in resume && !(resume.after >= ge && resume.after < lt)) {
    throw new InvalidContinuationTokenError('position is outside this query');
  }
  const lower = resume && 'after' in resume ? odata`RowKey gt ${resume.after}` : odata`RowKey ge ${ge}`;
  const filter = [odata`PartitionKey eq ${partitionKey}`, lower, odata`RowKey lt ${lt}`, ...(scan.where ?? [])].join(
    ' and ',
  );

  const rows: RawEntity[] = [];
  let serverToken = resume && 'server' in resume ? resume.server : undefined;
  const maxRoundTrips = scan.maxRoundTrips ?? 10;
  for (let trip = 0; trip < maxRoundTrips; trip++) {
    const usingCallerServerToken = trip === 0 && serverToken !== undefined;
    const maxPageSize = Math.min(want + 1 - rows.length, SERVICE_MAX_PAGE);
    const page = await fetchPage(client, filter, maxPageSize, serverToken, scan, usingCallerServerToken);
    rows.push(...page.rows);
    serverToken = page.continuationToken;
    if (rows.length > want) {
      const last = rows[want - 1]?.rowKey;
      if (typeof last !== 'string') throw new Error(`${scan.operation}: entity without a RowKey`);
      return { rows: rows.slice(0, want), resume: { after: last } };
    }
    if (!serverToken) return { rows };
  }
  // Budget spent mid-range: resume exactly where the service stopped scanning.
  return serverToken ? { rows, resume: { server: serverToken } } : { rows };
}

async function fetchPage(
  client: TableClient,
  filter: string,
  maxPageSize: number,
  continuationToken: string | undefined,
  scan: RangeScan,
  fromCallerToken: boolean,
): Promise<{ rows: RawEntity[]; continuationToken?: string }> {
  try {
    return await guarded(scan.operation, async () => {
      const pages = client
        .listEntities<Record<string, unknown>>({ queryOptions: { filter }, abortSignal: scan.signal() })
        .byPage({ maxPageSize, continuationToken });
      const next = await pages.next();
      if (next.done) return { rows: [] };
      return { rows: [...next.value] as RawEntity[], continuationToken: next.value.continuationToken };
    });
  } catch (err) {
    // A server position that came back inside our token: a decode failure or a 400 means it was altered.
    const undecodable = !(err instanceof StorageUnavailableError);
    const refused = err instanceof StorageUnavailableError && statusOf(err.cause) === 400;
    if (fromCallerToken && (undecodable || refused)) {
      throw new InvalidContinuationTokenError('server position is not valid');
    }
    throw err;
  }
}
