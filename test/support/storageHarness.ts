/**
 * Shared set-up for storage integration tests: a real Azurite, the app's tables, and raw helpers
 * for looking underneath the stores (counting and planting entities).
 */
import { odata, type TableClient } from '@azure/data-tables';
import { encodeKeyPart } from '../../src/storage/keys';
import { createTableClient, createTables, ensureTables, type Tables } from '../../src/storage/tableClients';
import { startAzurite, type AzuriteHandle, type AzuriteOptions } from './azurite';

export interface StorageHarness {
  azurite: AzuriteHandle;
  tables: Tables;
  /** A separate raw client for the decisions table (not shared with the store under test). */
  rawDecisions: TableClient;
}

export async function startStorage(opts: AzuriteOptions = {}): Promise<StorageHarness> {
  const azurite = await startAzurite(opts);
  const tables = createTables(azurite.connectionString);
  await ensureTables(tables);
  return { azurite, tables, rawDecisions: createTableClient(azurite.connectionString, 'decisions') };
}

/** Row keys in one tenant's partition, optionally only those starting with `prefix`. */
export async function rowKeysOf(client: TableClient, tenantId: string, prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  const filter = odata`PartitionKey eq ${encodeKeyPart(tenantId)}`;
  for await (const entity of client.listEntities({ queryOptions: { filter } })) {
    if (entity.rowKey?.startsWith(prefix)) keys.push(entity.rowKey);
  }
  return keys;
}
