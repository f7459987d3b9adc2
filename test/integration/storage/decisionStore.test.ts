/**
 * The DecisionStore contract (test/support/decisionStoreContract.ts) against TableDecisionStore on a
 * real Azurite and against the in-memory store the feature tests use — the same cases for both, so
 * the fake cannot drift — plus what only Table storage does (short service pages).
 * (Outages: decisionStoreOutage.test.ts.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TableClient } from '@azure/data-tables';
import type { StoredRecord } from '../../../src/storage/contract';
import { TableDecisionStore } from '../../../src/storage/decisionStore';
import { encodeKeyPart } from '../../../src/storage/keys';
import { describeDecisionStoreContract } from '../../support/decisionStoreContract';
import { MemoryDecisionRows, MemoryDecisionStore } from '../../support/memoryStores';
import { capturingLogger, newRecord, steppingClock } from '../../support/records';
import { rowKeysOf, startStorage } from '../../support/storageHarness';

describeDecisionStoreContract('Table storage (Azurite)', async () => {
  const h = await startStorage();
  return {
    make: (options) => new TableDecisionStore(h.tables.decisions, options),
    rowKeys: (tenantId) => rowKeysOf(h.rawDecisions, tenantId),
    readRow: (tenantId, rowKey) => h.rawDecisions.getEntity<Record<string, unknown>>(encodeKeyPart(tenantId), rowKey),
    writeRow: async (tenantId, row, mode) => {
      const entity = { partitionKey: encodeKeyPart(tenantId), ...row };
      if (mode === 'Merge') await h.rawDecisions.updateEntity(entity, 'Merge');
      else await h.rawDecisions.upsertEntity(entity, 'Replace');
    },
    stop: () => h.azurite.stop(),
  };
});

describeDecisionStoreContract('in memory', async () => {
  const rows = new MemoryDecisionRows();
  return {
    make: (options) => new MemoryDecisionStore({ ...options, rows }),
    rowKeys: async (tenantId) => rows.rowKeys(encodeKeyPart(tenantId)),
    readRow: async (tenantId, rowKey) => rows.read(encodeKeyPart(tenantId), rowKey),
    writeRow: async (tenantId, row, mode) => rows.write(encodeKeyPart(tenantId), row, mode),
    stop: async () => undefined,
  };
});

describe('Table storage only: service pages', () => {
  let h: Awaited<ReturnType<typeof startStorage>>;
  const logger = capturingLogger();
  const tenantId = 'paging';
  const recorded: StoredRecord[] = [];
  const ids = (records: StoredRecord[]) => records.map((r) => r.id);
  before(async () => {
    h = await startStorage();
    const store = new TableDecisionStore(h.tables.decisions, { logger, now: steppingClock() });
    for (let i = 0; i < 25; i++) recorded.push((await store.record(newRecord({ scope: { tenantId } }))).record);
  });
  after(() => h?.azurite.stop());

  test('pages that come back short from the service are resumed from the service position', async () => {
    // Force one-row service pages and one round trip per page: every page ends mid-scan.
    const short = new TableDecisionStore(oneRowPages(h.tables.decisions), { logger, maxRoundTripsPerPage: 3 });
    const items: StoredRecord[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await short.query({ tenantId }, 5, token);
      items.push(...page.items);
      token = page.continuationToken;
      pages++;
    } while (token && pages < 50);
    assert.deepEqual(ids(items), ids(recorded).reverse());
    assert.ok(pages >= 9, `expected many short pages, got ${pages}`);
  });
});

/** Wraps a TableClient so every service page holds at most one entity (simulates short pages). */
function oneRowPages(client: TableClient): TableClient {
  return new Proxy(client, {
    get(target, prop) {
      if (prop === 'listEntities') {
        return (options: Parameters<TableClient['listEntities']>[0]) => {
          const iterator = target.listEntities(options);
          return {
            ...iterator,
            byPage: (settings?: { continuationToken?: string }) => iterator.byPage({ ...settings, maxPageSize: 1 }),
          };
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
