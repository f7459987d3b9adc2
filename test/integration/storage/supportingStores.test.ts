/**
 * Audit, role and conversation stores against a real Azurite.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TableServiceClient } from '@azure/data-tables';
import { TableAuditStore } from '../../../src/storage/auditStore';
import { TableConversationStore, type StoredConversationReference } from '../../../src/storage/conversationStore';
import { CorruptEntityError, InvalidRecordError } from '../../../src/storage/errors';
import { encodeKeyPart } from '../../../src/storage/keys';
import { TableRoleStore } from '../../../src/storage/roleStore';
import { ensureTables, TABLE_NAMES } from '../../../src/storage/tableClients';
import { capturingLogger, steppingClock } from '../../support/records';
import { startStorage, type StorageHarness } from '../../support/storageHarness';

let h: StorageHarness;
const logger = capturingLogger();

before(async () => {
  h = await startStorage();
});
after(() => h?.azurite.stop());

test('ensureTables creates every table and is safe to run again', async () => {
  await ensureTables(h.tables);
  const service = TableServiceClient.fromConnectionString(h.azurite.connectionString, { allowInsecureConnection: true });
  const names: string[] = [];
  for await (const table of service.listTables()) if (table.name) names.push(table.name);
  assert.deepEqual(names.sort(), Object.values(TABLE_NAMES).sort());
});

describe('audit', () => {
  test('entries are append-only, newest first, limited and per tenant', async () => {
    const audit = new TableAuditStore(h.tables.audit, { logger, now: steppingClock() });
    for (let i = 0; i < 5; i++) {
      await audit.write({ tenantId: 't-audit', actorAadObjectId: 'mgr-1', action: 'query_records', filter: { teamId: `team-${i}` }, resultCount: i });
    }
    // Two audits in the same millisecond must both survive.
    const at = '2026-11-20T10:00:00.000Z';
    await audit.write({ tenantId: 't-audit-2', actorAadObjectId: 'mgr-2', action: 'export_csv', filter: {}, resultCount: 1, at });
    await audit.write({ tenantId: 't-audit-2', actorAadObjectId: 'mgr-2', action: 'export_csv', filter: {}, resultCount: 2, at });

    const latest = await audit.list('t-audit', 3);
    assert.deepEqual(latest.map((e) => e.resultCount), [4, 3, 2]);
    assert.deepEqual(latest[0]!.filter, { teamId: 'team-4' });
    assert.equal((await audit.list('t-audit')).length, 5);
    assert.equal((await audit.list('t-audit-2')).length, 2);
    assert.deepEqual(await audit.list('nobody'), []);
    await assert.rejects(
      audit.write({ tenantId: 't-audit', actorAadObjectId: '', action: 'x', filter: {}, resultCount: -1 }),
      InvalidRecordError,
    );
  });
});

describe('roles', () => {
  test('grant, read, change, revoke and list', async () => {
    const roles = new TableRoleStore(h.tables.roles, { logger });
    assert.equal(await roles.getRole('t-roles', 'aad-1'), undefined);
    await roles.grant('t-roles', 'aad-1', 'manager', 'aad-admin');
    await roles.grant('t-roles', 'aad-2', 'admin');
    await roles.grant('t-other', 'aad-1', 'admin');
    assert.equal(await roles.getRole('t-roles', 'aad-1'), 'manager');
    await roles.grant('t-roles', 'aad-1', 'admin');
    assert.equal(await roles.getRole('t-roles', 'aad-1'), 'admin');
    const listed = await roles.list('t-roles');
    assert.deepEqual(listed.map((g) => [g.aadObjectId, g.role]).sort(), [['aad-1', 'admin'], ['aad-2', 'admin']]);
    assert.equal(listed.find((g) => g.aadObjectId === 'aad-1')!.grantedBy, undefined, 're-grant replaces the row');
    assert.equal(await roles.revoke('t-roles', 'aad-1'), true);
    assert.equal(await roles.revoke('t-roles', 'aad-1'), false);
    assert.equal(await roles.getRole('t-roles', 'aad-1'), undefined);
    assert.equal(await roles.getRole('t-other', 'aad-1'), 'admin');
    await assert.rejects(roles.grant('t-roles', 'aad-3', 'owner' as never), InvalidRecordError);
  });

  test('a role row with an unknown role is reported as corrupt', async () => {
    const roles = new TableRoleStore(h.tables.roles, { logger });
    await h.tables.roles.upsertEntity({ partitionKey: 't-bad-role', rowKey: 'aad-9', role: 'superuser', grantedAt: new Date().toISOString() });
    await assert.rejects(roles.getRole('t-bad-role', 'aad-9'), CorruptEntityError);
  });
});

describe('conversations', () => {
  const reference = (conversationId: string, tenantId = 't-conv'): StoredConversationReference & { locale: string } => ({
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    channelId: 'msteams',
    conversation: { id: conversationId, conversationType: 'channel', tenantId },
    bot: { id: '28:bot-app-id' },
    user: { id: '29:user', aadObjectId: 'aad-1' },
    locale: 'en-GB',
  });

  test('upsert, get, deactivate, reactivate and list active ones', async () => {
    const conversations = new TableConversationStore(h.tables.conversations, { logger });
    const odd = '19:abc/def#ghi?@thread.tacv2';
    const saved = await conversations.upsert('t-conv', reference(odd), { kind: 'channel', teamId: 'team-1', channelId: odd });
    await conversations.upsert('t-conv', reference('a:personal-1'), { kind: 'personal' });
    await conversations.upsert('t-conv-2', reference('a:personal-2', 't-conv-2'), { kind: 'personal' });

    const got = await conversations.get('t-conv', odd);
    assert.deepEqual(got, saved);
    assert.equal(got!.reference.locale, 'en-GB', 'the locale is kept for the Bot Framework');
    assert.equal(await conversations.get('t-conv', 'nope'), undefined);

    assert.equal(await conversations.markInactive('t-conv', odd, 'bot_removed'), true);
    assert.equal(await conversations.markInactive('t-conv', 'nope', 'bot_removed'), false);
    const inactive = await conversations.get('t-conv', odd);
    assert.equal(inactive!.active, false);
    assert.equal(inactive!.inactiveReason, 'bot_removed');

    const activeIds = async (tenantId?: string) => {
      const out: string[] = [];
      for await (const c of conversations.listActive(tenantId)) out.push(c.conversationId);
      return out.sort();
    };
    assert.deepEqual(await activeIds('t-conv'), ['a:personal-1']);
    assert.deepEqual(await activeIds(), ['a:personal-1', 'a:personal-2']);

    await conversations.upsert('t-conv', reference(odd), { kind: 'channel', teamId: 'team-1' });
    const back = await conversations.get('t-conv', odd);
    assert.equal(back!.active, true);
    assert.equal(back!.inactiveReason, undefined);
    assert.deepEqual(await activeIds('t-conv'), ['19:abc/def#ghi?@thread.tacv2', 'a:personal-1']);
  });

  test('only the fields a proactive send needs are stored; names and unknown fields are dropped on write and on read', async () => {
    const conversations = new TableConversationStore(h.tables.conversations, { logger });
    const named = {
      ...reference('19:named@thread.v2', 't-conv-min'),
      conversation: { id: '19:named@thread.v2', conversationType: 'groupChat', tenantId: 't-conv-min', isGroup: true, name: 'Jamie Smith core group', properties: { x: 1 } },
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
    const saved = await conversations.upsert('t-conv-min', named, { kind: 'groupChat', name: 'Jamie Smith core group' } as never);
    assert.deepEqual(saved.reference, wanted);
    const raw = await h.tables.conversations.getEntity<Record<string, unknown>>(encodeKeyPart('t-conv-min'), encodeKeyPart('19:named@thread.v2'));
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
    await assert.rejects(conversations.upsert('t-conv-bad', reference('x', 'another-tenant'), { kind: 'personal' }), /different tenant/);

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
