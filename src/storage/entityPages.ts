/**
 * Iterates a (possibly cross-partition) query page by page, each page a separate SDK call with its
 * own timeout: one overall deadline would cut a long but healthy listing short.
 */
import type { TableClient } from '@azure/data-tables';
import { guarded } from './errors';

export async function* entityPages(
  client: TableClient,
  filter: string,
  signal: () => AbortSignal,
  operation: string,
  maxPageSize = 1000,
  select?: string[],
): AsyncGenerator<Record<string, unknown>[]> {
  let continuationToken: string | undefined;
  do {
    const page = await guarded(operation, async () => {
      const pages = client
        .listEntities<Record<string, unknown>>({
          queryOptions: { filter, ...(select ? { select } : {}) },
          abortSignal: signal(),
        })
        .byPage({ maxPageSize, continuationToken });
      const next = await pages.next();
      return next.done ? undefined : next.value;
    });
    if (page && page.length > 0) yield [...page];
    continuationToken = page?.continuationToken;
  } while (continuationToken);
}
