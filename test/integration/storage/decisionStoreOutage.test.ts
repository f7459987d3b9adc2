/**
 * Storage outages: the bot must get StorageUnavailableError quickly ("not saved, try again"), and a
 * retry after recovery must record exactly once.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { StorageUnavailableError } from '../../../src/storage/contract';
import { TableDecisionStore } from '../../../src/storage/decisionStore';
import { createTableClient, createTables, ensureTables } from '../../../src/storage/tableClients';
import { azuriteConnectionString, startAzurite, type AzuriteHandle } from '../../support/azurite';
import { capturingLogger, newRecord } from '../../support/records';
import { rowKeysOf } from '../../support/storageHarness';

let workspace: string;
let azurite: AzuriteHandle | undefined;

before(async () => {
  // On disk, so data written before the outage is still there after the restart.
  workspace = await mkdtemp(path.join(os.tmpdir(), 'azurite-outage-'));
  azurite = await startAzurite({ location: workspace });
});
after(async () => {
  await azurite?.stop();
  await rm(workspace, { recursive: true, force: true });
});

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; result: PromiseSettledResult<T> }> {
  const started = Date.now();
  const [result] = await Promise.allSettled([fn()]);
  return { ms: Date.now() - started, result: result! };
}

test('Azurite stopped: record fails fast with StorageUnavailableError; after restart the retry records once', async (t) => {
  const tables = createTables(azurite!.connectionString);
  await ensureTables(tables);
  const store = new TableDecisionStore(tables.decisions, { logger: capturingLogger() });
  const tenantId = 'outage';
  const earlier = (await store.record(newRecord({ scope: { tenantId } }))).record;

  const port = azurite!.port;
  await azurite!.stop();
  azurite = undefined;

  const input = newRecord({ scope: { tenantId } });
  const down = await timed(() => store.record(input));
  assert.equal(down.result.status, 'rejected');
  const reason = (down.result as PromiseRejectedResult).reason as Error;
  assert.ok(reason instanceof StorageUnavailableError, `got ${reason.name}: ${reason.message}`);
  assert.ok(down.ms < 3500, `took ${down.ms} ms`);
  t.diagnostic(`record during outage failed after ${down.ms} ms`);
  // Reads fail the same way.
  await assert.rejects(store.query({ tenantId }, 10), StorageUnavailableError);
  await assert.rejects(store.get(tenantId, earlier.id), StorageUnavailableError);

  azurite = await startAzurite({ port, location: workspace });
  const retried = await store.record(input);
  assert.equal(retried.created, true);
  const again = await store.record(input);
  assert.equal(again.created, false);
  assert.equal(again.record.id, retried.record.id);
  assert.deepEqual(await store.get(tenantId, earlier.id), earlier, 'data from before the outage survives');
  const raw = createTableClient(azurite.connectionString, 'decisions');
  assert.equal((await rowKeysOf(raw, tenantId, 'rec|')).length, 2);
  const recordRows = (await rowKeysOf(raw, tenantId)).filter((key) => !key.startsWith('sum|'));
  assert.equal(recordRows.length, 14, 'two records of 7 rows (the summary counters aside)');
});

test('a service that accepts connections but never answers times out as StorageUnavailableError', async (t) => {
  const sockets = new Set<net.Socket>();
  const blackHole = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
  const { port } = blackHole.address() as net.AddressInfo;
  try {
    const client = createTableClient(azuriteConnectionString(port), 'decisions');
    const store = new TableDecisionStore(client, { logger: capturingLogger(), callTimeoutMs: 1000 });
    const hung = await timed(() => store.record(newRecord({ scope: { tenantId: 'hang' } })));
    assert.equal(hung.result.status, 'rejected');
    assert.ok((hung.result as PromiseRejectedResult).reason instanceof StorageUnavailableError);
    assert.ok(hung.ms < 2500, `took ${hung.ms} ms`);
    t.diagnostic(`record against a silent service failed after ${hung.ms} ms`);
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => blackHole.close(resolve));
  }
});
