/**
 * The supporting stores' contract (test/support/storeContracts.ts) against the Table stores on a
 * real Azurite and against the in-memory ones the feature tests use, plus what only Table storage
 * shows: the tables themselves, what a row holds, and corrupt rows.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TableServiceClient } from '@azure/data-tables';
import { TableAuditStore } from '../../../src/storage/auditStore';
import { createDeliveriesTableClient, TableDeliveryStore } from '../../../src/storage/deliveryStore';
import { TableLeaseStore } from '../../../src/storage/leaseStore';
import { TableQuestionnaireSessionStore } from '../../../src/storage/questionnaireSessionStore';
import { TableTenantSettingsStore } from '../../../src/storage/tenantSettingsStore';
import { TableReminderStore } from '../../../src/storage/reminderStore';
import { TableConversationStore, type StoredConversationReference } from '../../../src/storage/conversationStore';
import { CorruptEntityError, InvalidRecordError } from '../../../src/storage/errors';
import { encodeKeyPart } from '../../../src/storage/keys';
import { TableRoleStore } from '../../../src/storage/roleStore';
import { ensureTables, TABLE_NAMES } from '../../../src/storage/tableClients';
import {
  MemoryAuditStore,
  MemoryConversationStore,
  MemoryDeliveryStore,
  MemoryLeaseStore,
  MemoryQuestionnaireSessionStore,
  MemoryReminderStore,
  MemoryRoleStore,
  MemoryTenantSettingsStore,
} from '../../support/memoryStores';
import { capturingLogger } from '../../support/records';
import { conversationReference, describeSupportingStoresContract } from '../../support/storeContracts';
import { startStorage, type StorageHarness } from '../../support/storageHarness';

describeSupportingStoresContract('Table storage (Azurite)', async () => {
  const storage = await startStorage();
  const deliveriesTable = createDeliveriesTableClient(storage.azurite.connectionString);
  await new TableDeliveryStore(deliveriesTable).ensureTable();
  return {
    audit: (options) => new TableAuditStore(storage.tables.audit, options),
    roles: (options) => new TableRoleStore(storage.tables.roles, options),
    conversations: (options) => new TableConversationStore(storage.tables.conversations, options),
    reminders: (options) => new TableReminderStore(storage.tables.reminders, options),
    sessions: () => new TableQuestionnaireSessionStore(storage.tables.sessions),
    tenantSettings: (options) => new TableTenantSettingsStore(storage.tables.tenantSettings, options),
    leases: (options) => new TableLeaseStore(storage.tables.leases, options),
    deliveries: (options) => new TableDeliveryStore(deliveriesTable, options),
    stop: () => storage.azurite.stop(),
  };
});

describeSupportingStoresContract('in memory', async () => {
  // A fresh store per call: each contract test makes its own and works in its own tenant or key.
  return {
    audit: (options) => new MemoryAuditStore(options),
    roles: (options) => new MemoryRoleStore(options),
    conversations: (options) => new MemoryConversationStore(options),
    reminders: (options) => new MemoryReminderStore(options),
    sessions: () => new MemoryQuestionnaireSessionStore(),
    tenantSettings: (options) => new MemoryTenantSettingsStore(options),
    leases: (options) => new MemoryLeaseStore(options),
    deliveries: (options) => new MemoryDeliveryStore(options),
    stop: async () => undefined,
  };
});

let h: StorageHarness;
const logger = capturingLogger();

before(async () => {
  h = await startStorage();
});
after(() => h?.azurite.stop());

test('ensureTables creates every table and is safe to run again', async () => {
  await ensureTables(h.tables);
  const service = TableServiceClient.fromConnectionString(h.azurite.connectionString, {
    allowInsecureConnection: true,
  });
  const names: string[] = [];
  for await (const table of service.listTables()) if (table.name) names.push(table.name);
  assert.deepEqual(names.sort(), Object.values(TABLE_NAMES).sort());
});

describe('Table storage only: roles', () => {
  test('a role row with an unknown role is reported as corrupt', async () => {
    const roles = new TableRoleStore(h.tables.roles, { logger });
    await h.tables.roles.upsertEntity({
      partitionKey: 't-bad-role',
      rowKey: 'aad-9',
      role: 'superuser',
      grantedAt: new Date().toISOString(),
    });
    await assert.rejects(roles.getRole('t-bad-role', 'aad-9'), CorruptEntityError);
  });
});

describe('Table storage only: conversations', () => {
  const reference = conversationReference;

  test('only the fields a proactive send needs are stored; names and unknown fields are dropped on write and on read', async () => {
    const conversations = new TableConversationStore(h.tables.conversations, { logger });
    const named = {
      ...reference('19:named@thread.v2', 't-conv-min'),
      conversation: {
        id: '19:named@thread.v2',
        conversationType: 'groupChat',
        tenantId: 't-conv-min',
        isGroup: true,
        name: 'Jamie Smith core group',
        properties: { x: 1 },
      },
      bot: { id: '28:bot-app-id', name: 'Can I share?' },
      user: { id: '29:user', aadObjectId: 'aad-1', name: 'Sam Practitioner', role: 'user' },
      activityId: 'act-1',
      relatesTo: { note: 'anything' },
    };
    const wanted: StoredConversationReference = {
      serviceUrl: named.serviceUrl,
      channelId: 'msteams',
      conversation: { id: '19:named@thread.v2', conversationType: 'groupChat', tenantId: 't-conv-min', isGroup: true },
      bot: { id: '28:bot-app-id' },
      user: { id: '29:user', aadObjectId: 'aad-1' },
      locale: 'en-GB',
    };
    const saved = await conversations.upsert('t-conv-min', named, {
      kind: 'groupChat',
      name: 'Jamie Smith core group',
    } as never);
    assert.deepEqual(saved.reference, wanted);
    const raw = await h.tables.conversations.getEntity<Record<string, unknown>>(
      encodeKeyPart('t-conv-min'),
      encodeKeyPart('19:named@thread.v2'),
    );
    assert.deepEqual(JSON.parse(String(raw.reference)), wanted, 'the stored JSON holds only the needed fields');
    assert.ok(!JSON.stringify(raw).includes('Jamie'), 'no name anywhere in the row');
    assert.ok(!JSON.stringify(raw).includes('Sam Practitioner'));

    // A row written before this rule, with every extra field: still readable, and the extras are not passed on.
    await h.tables.conversations.upsertEntity({
      partitionKey: encodeKeyPart('t-conv-min'),
      rowKey: encodeKeyPart('19:old@thread.v2'),
      kind: 'groupChat',
      name: 'Jamie Smith core group',
      reference: JSON.stringify({ ...named, conversation: { ...named.conversation, id: '19:old@thread.v2' } }),
      active: true,
      updatedAt: new Date().toISOString(),
    });
    const old = await conversations.get('t-conv-min', '19:old@thread.v2');
    assert.deepEqual(old?.reference, { ...wanted, conversation: { ...wanted.conversation, id: '19:old@thread.v2' } });
    assert.equal((old as unknown as Record<string, unknown>).name, undefined, 'the old name column is not read back');
    const listed: unknown[] = [];
    for await (const c of conversations.listActive('t-conv-min')) listed.push(c);
    assert.equal(listed.length, 2);
    assert.ok(!JSON.stringify(listed).includes('Jamie'));
  });

  test('bad references are refused; a corrupt row fails get but is skipped (and logged) by listActive', async () => {
    const conversations = new TableConversationStore(h.tables.conversations, { logger });
    await assert.rejects(
      conversations.upsert('t-conv-bad', { ...reference('x'), serviceUrl: 'not a url' }, { kind: 'personal' }),
      InvalidRecordError,
    );
    await assert.rejects(
      conversations.upsert('t-conv-bad', reference('x', 'another-tenant'), { kind: 'personal' }),
      /different tenant/,
    );

    await conversations.upsert('t-conv-bad', reference('good', 't-conv-bad'), { kind: 'personal' });
    await h.tables.conversations.upsertEntity({
      partitionKey: encodeKeyPart('t-conv-bad'),
      rowKey: 'broken',
      kind: 'personal',
      reference: '{not json',
      active: true,
      updatedAt: new Date().toISOString(),
    });
    await assert.rejects(conversations.get('t-conv-bad', 'broken'), CorruptEntityError);
    const before = logger.lines.length;
    const listed: string[] = [];
    for await (const c of conversations.listActive('t-conv-bad')) listed.push(c.conversationId);
    assert.deepEqual(listed, ['good']);
    assert.equal(logger.lines.length - before, 1);
  });
});
