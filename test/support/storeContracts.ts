/**
 * The contracts of the stores beside the decision store — audit, roles, conversations, reminders,
 * questionnaire sessions, leases and deliveries — run against the Table stores (real Azurite) and
 * the in-memory ones (test/integration/storage/supportingStores.test.ts calls it for both), so the
 * fakes the feature tests use cannot drift. What only Table storage can show (corrupt rows, what a
 * row holds) stays in supportingStores.test.ts.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Logger } from '../../src/logger';
import type {
  AuditStore,
  ConversationStore,
  DeliveryStore,
  LeaseStore,
  QuestionnaireSessionStore,
  ReminderStore,
  RoleStore,
  TenantSettingsStore,
} from '../../src/storage/contract';
import type { StoredConversationReference } from '../../src/storage/conversationStore';
import { InvalidRecordError } from '../../src/storage/errors';
import type { NewScheduledReminder } from '../../src/storage/reminderStore';
import { capturingLogger, steppingClock } from './records';

interface StoreOptions {
  logger?: Logger;
  now?: () => Date;
}

/** One family of implementations under test; each factory returns a store over one shared set of rows. */
export interface SupportingStoresSubject {
  audit(options?: StoreOptions): AuditStore;
  roles(options?: StoreOptions): RoleStore;
  conversations(options?: StoreOptions): ConversationStore;
  reminders(options?: StoreOptions): ReminderStore;
  sessions(): QuestionnaireSessionStore;
  tenantSettings(options?: StoreOptions): TenantSettingsStore;
  leases(options?: StoreOptions): LeaseStore;
  deliveries(options?: StoreOptions & { staleSendingMs?: number }): DeliveryStore;
  stop(): Promise<void>;
}

export const conversationReference = (
  conversationId: string,
  tenantId = 't-conv',
): StoredConversationReference & { locale: string } => ({
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  channelId: 'msteams',
  conversation: { id: conversationId, conversationType: 'channel', tenantId },
  bot: { id: '28:bot-app-id' },
  user: { id: '29:user', aadObjectId: 'aad-1' },
  locale: 'en-GB',
});

/** A clock a test moves by hand. */
function handClock(start = Date.parse('2026-11-02T09:00:00.000Z')) {
  let t = start;
  return { now: () => new Date(t), move: (ms: number) => (t += ms) };
}

export function describeSupportingStoresContract(name: string, start: () => Promise<SupportingStoresSubject>): void {
  describe(`supporting stores contract: ${name}`, () => {
    let s: SupportingStoresSubject;
    const logger = capturingLogger();

    before(async () => {
      s = await start();
    });
    after(() => s?.stop());

    describe('audit', () => {
      test('entries are append-only, newest first, limited and per tenant', async () => {
        const audit = s.audit({ logger, now: steppingClock() });
        for (let i = 0; i < 5; i++) {
          await audit.write({
            tenantId: 't-audit',
            actorAadObjectId: 'mgr-1',
            action: 'query_records',
            filter: { teamId: `team-${i}` },
            resultCount: i,
          });
        }
        // Two audits in the same millisecond must both survive.
        const at = '2026-11-20T10:00:00.000Z';
        await audit.write({
          tenantId: 't-audit-2',
          actorAadObjectId: 'mgr-2',
          action: 'export_csv',
          filter: {},
          resultCount: 1,
          at,
        });
        await audit.write({
          tenantId: 't-audit-2',
          actorAadObjectId: 'mgr-2',
          action: 'export_csv',
          filter: {},
          resultCount: 2,
          at,
        });

        const latest = await audit.list('t-audit', 3);
        assert.deepEqual(
          latest.map((e) => e.resultCount),
          [4, 3, 2],
        );
        assert.deepEqual(latest[0]!.filter, { teamId: 'team-4' });
        assert.equal((await audit.list('t-audit')).length, 5);
        assert.equal((await audit.list('t-audit-2')).length, 2);
        assert.deepEqual(await audit.list('nobody'), []);
        await assert.rejects(
          audit.write({ tenantId: 't-audit', actorAadObjectId: '', action: 'x', filter: {}, resultCount: -1 }),
          InvalidRecordError,
        );
        await assert.rejects(audit.list('t-audit', 0), RangeError);
        await assert.rejects(
          audit.write({
            tenantId: 't-audit',
            actorAadObjectId: 'mgr-1',
            action: 'x',
            filter: { big: 'x'.repeat(9000) },
            resultCount: 0,
          }),
          /too large/,
        );
      });
    });

    describe('roles', () => {
      test('grant, read, change, revoke and list', async () => {
        const roles = s.roles({ logger });
        assert.equal(await roles.getRole('t-roles', 'aad-1'), undefined);
        await roles.grant('t-roles', 'aad-1', 'manager', 'aad-admin');
        await roles.grant('t-roles', 'aad-2', 'admin');
        await roles.grant('t-other', 'aad-1', 'admin');
        assert.equal(await roles.getRole('t-roles', 'aad-1'), 'manager');
        await roles.grant('t-roles', 'aad-1', 'admin');
        assert.equal(await roles.getRole('t-roles', 'aad-1'), 'admin');
        const listed = await roles.list('t-roles');
        assert.deepEqual(listed.map((g) => [g.aadObjectId, g.role]).sort(), [
          ['aad-1', 'admin'],
          ['aad-2', 'admin'],
        ]);
        assert.equal(listed.find((g) => g.aadObjectId === 'aad-1')!.grantedBy, undefined, 're-grant replaces the row');
        assert.equal(await roles.revoke('t-roles', 'aad-1'), true);
        assert.equal(await roles.revoke('t-roles', 'aad-1'), false);
        assert.equal(await roles.getRole('t-roles', 'aad-1'), undefined);
        assert.equal(await roles.getRole('t-other', 'aad-1'), 'admin');
        await assert.rejects(roles.grant('t-roles', 'aad-3', 'owner' as never), InvalidRecordError);
      });
    });

    describe('conversations', () => {
      test('upsert, get, deactivate, reactivate and list active ones', async () => {
        const conversations = s.conversations({ logger });
        const odd = '19:abc/def#ghi?@thread.tacv2';
        const saved = await conversations.upsert('t-conv', conversationReference(odd), {
          kind: 'channel',
          teamId: 'team-1',
          channelId: odd,
        });
        await conversations.upsert('t-conv', conversationReference('a:personal-1'), { kind: 'personal' });
        await conversations.upsert('t-conv-2', conversationReference('a:personal-2', 't-conv-2'), { kind: 'personal' });

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

        await conversations.upsert('t-conv', conversationReference(odd), { kind: 'channel', teamId: 'team-1' });
        const back = await conversations.get('t-conv', odd);
        assert.equal(back!.active, true);
        assert.equal(back!.inactiveReason, undefined);
        assert.deepEqual(await activeIds('t-conv'), ['19:abc/def#ghi?@thread.tacv2', 'a:personal-1']);
      });

      test('only the fields a proactive send needs are kept: names and unknown fields are dropped', async () => {
        const conversations = s.conversations({ logger });
        const named = {
          ...conversationReference('19:named@thread.v2', 't-conv-min'),
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
          conversation: {
            id: '19:named@thread.v2',
            conversationType: 'groupChat',
            tenantId: 't-conv-min',
            isGroup: true,
          },
          bot: { id: '28:bot-app-id' },
          user: { id: '29:user', aadObjectId: 'aad-1' },
          locale: 'en-GB',
        };
        const saved = await conversations.upsert('t-conv-min', named, {
          kind: 'groupChat',
          name: 'Jamie Smith core group',
        } as never);
        assert.deepEqual(saved.reference, wanted);
        const read = await conversations.get('t-conv-min', '19:named@thread.v2');
        assert.deepEqual(read?.reference, wanted);
        assert.ok(!JSON.stringify(read).includes('Jamie'), 'no name anywhere in what is read back');
      });

      test('bad references are refused', async () => {
        const conversations = s.conversations({ logger });
        await assert.rejects(
          conversations.upsert(
            't-conv-bad',
            { ...conversationReference('x'), serviceUrl: 'not a url' },
            { kind: 'personal' },
          ),
          InvalidRecordError,
        );
        await assert.rejects(
          conversations.upsert('t-conv-bad', conversationReference('x', 'another-tenant'), { kind: 'personal' }),
          /different tenant/,
        );
        assert.equal(await conversations.get('t-conv-bad', 'x'), undefined);
      });
    });

    describe('reminders', () => {
      const schedule = (tenantId: string, conversationId: string, nextRunAt: string): NewScheduledReminder => ({
        tenantId,
        kind: 'practice',
        topic: 'verify-callers',
        cron: '0 9 * * 1',
        timezone: 'Europe/London',
        scheduleText: 'weekly mon 09:00',
        conversationId,
        createdBy: 'aad-lead',
        nextRunAt,
      });

      test('channel reminders: create, get, list per tenant and channel, cancel', async () => {
        const reminders = s.reminders({ logger, now: steppingClock() });
        const tenantId = `t-rem-${randomUUID()}`;
        const a = await reminders.createSchedule(schedule(tenantId, 'chan-1', '2026-11-09T09:00:00.000Z'));
        const b = await reminders.createSchedule(schedule(tenantId, 'chan-2', '2026-11-09T09:00:00.000Z'));
        assert.match(a.id, /^R-[0-9A-Z]{5}$/);
        assert.equal(a.active, true);
        assert.deepEqual(await reminders.getSchedule(tenantId, a.id), a);
        assert.equal(await reminders.getSchedule('another-tenant', a.id), undefined);
        assert.equal(await reminders.getSchedule(tenantId, 'not-an-id'), undefined);
        assert.deepEqual(
          (await reminders.listSchedules(tenantId)).map((r) => r.id),
          [a.id, b.id],
          'oldest first',
        );
        assert.deepEqual(
          (await reminders.listSchedules(tenantId, 'chan-2')).map((r) => r.id),
          [b.id],
        );
        assert.equal(await reminders.cancelSchedule(tenantId, a.id, 'aad-lead'), true);
        assert.equal(await reminders.cancelSchedule(tenantId, 'R-ZZZZZ', 'aad-lead'), false);
        assert.deepEqual(
          (await reminders.listSchedules(tenantId)).map((r) => r.id),
          [b.id],
        );
        const cancelled = await reminders.getSchedule(tenantId, a.id);
        assert.equal(cancelled?.active, false);
        assert.equal(cancelled?.cancelledBy, 'aad-lead');
        await assert.rejects(
          reminders.createSchedule({ ...schedule(tenantId, 'chan-1', 'not a time') }),
          InvalidRecordError,
        );
      });

      test('follow-ups: tracked once, listed oldest due first, closed; due items move on once per run', async () => {
        const reminders = s.reminders({ logger });
        const tenantId = `t-fu-${randomUUID()}`;
        const tracker = (id: string, dueAt: string, teamId?: string) => ({
          tenantId,
          id,
          practitionerAad: 'aad-1',
          conversationId: 'a:chat',
          conversationKind: 'personal' as const,
          ...(teamId ? { teamId } : {}),
          dueAt,
        });
        assert.equal(
          await reminders.ensureFollowUp(tracker('D-20261102-AAAAAA', '2026-11-05T09:00:00.000Z', 'team-1')),
          true,
        );
        assert.equal(
          await reminders.ensureFollowUp(tracker('D-20261102-AAAAAA', '2026-11-05T09:00:00.000Z')),
          false,
          'second call is a no-op',
        );
        assert.equal(await reminders.ensureFollowUp(tracker('D-20261101-BBBBBB', '2026-11-04T09:00:00.000Z')), true);
        assert.deepEqual(
          (await reminders.listOpenFollowUps(tenantId)).map((f) => f.id),
          ['D-20261101-BBBBBB', 'D-20261102-AAAAAA'],
        );
        assert.deepEqual(
          (await reminders.listOpenFollowUps(tenantId, 'team-1')).map((f) => f.id),
          ['D-20261102-AAAAAA'],
        );

        const dueNow = async (at: string) => {
          const out: string[] = [];
          for await (const item of reminders.due(new Date(at))) if (item.tenantId === tenantId) out.push(item.id);
          return out.sort();
        };
        assert.deepEqual(await dueNow('2026-11-04T10:00:00.000Z'), ['D-20261101-BBBBBB']);
        const item = (await reminders.getFollowUp(tenantId, 'D-20261101-BBBBBB'))!;
        assert.equal(item.remindersSent, 0);
        assert.equal(
          await reminders.advance(item, item.nextRunAt, '2026-11-05T09:00:00.000Z', { countReminder: true }),
          true,
        );
        assert.equal(
          await reminders.advance(item, item.nextRunAt, '2026-11-05T09:00:00.000Z', { countReminder: true }),
          false,
          'a run moves on once',
        );
        const moved = (await reminders.getFollowUp(tenantId, 'D-20261101-BBBBBB'))!;
        assert.equal(moved.nextRunAt, '2026-11-05T09:00:00.000Z');
        assert.equal(moved.remindersSent, 1);
        assert.deepEqual(await dueNow('2026-11-04T10:00:00.000Z'), []);

        await reminders.closeFollowUp(tenantId, 'D-20261102-AAAAAA', 'recorded');
        await reminders.closeFollowUp(tenantId, 'D-20261102-ZZZZZZ', 'recorded'); // nothing to close
        assert.deepEqual(
          (await reminders.listOpenFollowUps(tenantId)).map((f) => f.id),
          ['D-20261101-BBBBBB'],
        );
        const closed = await reminders.getFollowUp(tenantId, 'D-20261102-AAAAAA');
        assert.equal(closed?.active, false);
        assert.equal(closed?.closedReason, 'recorded');
        // Advancing with no next run ends the item.
        assert.equal(await reminders.advance(moved, moved.nextRunAt, undefined), true);
        assert.deepEqual(await reminders.listOpenFollowUps(tenantId), []);
      });

      test('the follow-up watermark is per tenant', async () => {
        const reminders = s.reminders({ logger });
        const tenantId = `t-wm-${randomUUID()}`;
        assert.equal(await reminders.getWatermark(tenantId), undefined);
        await reminders.setWatermark(tenantId, '2026-11-01T00:00:00.000Z');
        await reminders.setWatermark(tenantId, '2026-11-02T00:00:00.000Z');
        assert.equal(await reminders.getWatermark(tenantId), '2026-11-02T00:00:00.000Z');
        assert.equal(await reminders.getWatermark(`${tenantId}-other`), undefined);
      });
    });

    describe('questionnaire sessions', () => {
      test('replace returns what it supersedes; current is per user and tenant', async () => {
        const sessions = s.sessions();
        const user = `aad-${randomUUID()}`;
        const at = new Date('2026-11-02T09:00:00.000Z');
        assert.equal(await sessions.current('t-sess', user), undefined);
        assert.equal(await sessions.replace('t-sess', user, { sessionId: 'q-1' }, at), undefined);
        const card = { conversationId: 'a:chat', activityId: 'act-2' };
        const later = new Date('2026-11-02T09:05:00.000Z');
        assert.deepEqual(
          await sessions.replace(
            't-sess',
            user,
            { sessionId: 'q-2', card, startedAt: '2000-01-01T00:00:00.000Z' },
            later,
          ),
          {
            sessionId: 'q-1',
            startedAt: at.toISOString(),
          },
        );
        assert.deepEqual(await sessions.current('t-sess', user), {
          sessionId: 'q-2',
          card,
          startedAt: later.toISOString(),
        });
        assert.equal(await sessions.current('t-sess-other', user), undefined);
        assert.equal(await sessions.current('t-sess', `${user}-other`), undefined);
      });
    });

    describe('tenant settings', () => {
      const approval = (version: string) => ({
        packId: 'england-2024',
        version,
        approvedBy: 'aad-admin-1',
        approvedAt: '2026-11-02T09:00:00.000Z',
      });

      test('first save creates, later saves replace the version read; per tenant', async () => {
        const store = s.tenantSettings({ now: () => new Date('2026-11-02T10:00:00.000Z') });
        const tenant = `t-settings-${randomUUID()}`;
        assert.equal(await store.get(tenant), undefined);
        const created = await store.save(
          tenant,
          { rulePackId: 'england-2024', approvals: [], updatedBy: 'a-1' },
          undefined,
        );
        assert.ok(created.ok);
        assert.equal(created.settings.updatedAt, '2026-11-02T10:00:00.000Z');
        const read = await store.get(tenant);
        assert.ok(read);
        assert.deepEqual({ ...read, etag: '' }, { ...created.settings, etag: '' });
        assert.equal(read.etag, created.settings.etag, 'get returns the etag save answered with');

        const approved = await store.save(
          tenant,
          { rulePackId: 'england-2024', approvals: [approval('2024.05-r1')], updatedBy: 'a-2' },
          read.etag,
        );
        assert.ok(approved.ok);
        assert.notEqual(approved.settings.etag, read.etag);
        assert.deepEqual((await store.get(tenant))?.approvals, [approval('2024.05-r1')]);
        assert.equal((await store.get(tenant))?.updatedBy, 'a-2');

        // Back to the default: the choice is cleared, the approvals kept.
        const cleared = await store.save(
          tenant,
          { approvals: [approval('2024.05-r1')], updatedBy: 'a-1' },
          approved.settings.etag,
        );
        assert.ok(cleared.ok);
        const back = await store.get(tenant);
        assert.equal(back?.rulePackId, undefined);
        assert.equal('rulePackId' in (back ?? {}), false);
        assert.equal(back?.approvals.length, 1);
        assert.equal(await store.get(`${tenant}-other`), undefined, 'another tenant has no settings');
      });

      test('two admins saving from the same read: the second is told conflict and overwrites nothing', async () => {
        const store = s.tenantSettings();
        const tenant = `t-settings-${randomUUID()}`;
        // Both start from "no row".
        const [first, second] = await Promise.all([
          store.save(tenant, { rulePackId: 'england-2024', approvals: [], updatedBy: 'a-1' }, undefined),
          store.save(tenant, { rulePackId: '2015-local', approvals: [], updatedBy: 'a-2' }, undefined),
        ]);
        assert.equal([first, second].filter((r) => r.ok).length, 1, 'exactly one insert wins');
        const winner = (first.ok ? first : second) as Extract<typeof first, { ok: true }>;
        assert.deepEqual(first.ok ? second : first, { ok: false, reason: 'conflict' });
        assert.equal((await store.get(tenant))?.rulePackId, winner.settings.rulePackId);

        // Both read the same version; the first write wins, the second (stale etag) is refused.
        const read = await store.get(tenant);
        assert.ok(read);
        const a = await store.save(tenant, { approvals: [approval('2024.05-r1')], updatedBy: 'a-1' }, read.etag);
        const b = await store.save(tenant, { rulePackId: 'england-2024', approvals: [], updatedBy: 'a-2' }, read.etag);
        assert.ok(a.ok);
        assert.deepEqual(b, { ok: false, reason: 'conflict' });
        const after = await store.get(tenant);
        assert.equal(after?.rulePackId, undefined);
        assert.deepEqual(after?.approvals, [approval('2024.05-r1')]);
        // A made-up etag is a conflict too, never an overwrite.
        assert.deepEqual(
          await store.save(
            tenant,
            { approvals: [], updatedBy: 'a-3' },
            `W/"datetime'2020-01-01T00%3A00%3A00.0000000Z'"`,
          ),
          { ok: false, reason: 'conflict' },
        );
        assert.equal((await store.get(tenant))?.approvals.length, 1);
      });

      test('invalid changes are refused before anything is written', async () => {
        const store = s.tenantSettings();
        const tenant = `t-settings-${randomUUID()}`;
        await assert.rejects(
          store.save(tenant, { rulePackId: 'Not A Pack!', approvals: [], updatedBy: 'a-1' }, undefined),
          InvalidRecordError,
        );
        await assert.rejects(
          store.save(
            tenant,
            { approvals: [{ ...approval('x'), approvedAt: 'yesterday' }], updatedBy: 'a-1' },
            undefined,
          ),
          InvalidRecordError,
        );
        await assert.rejects(store.save(tenant, { approvals: [], updatedBy: '' }, undefined), InvalidRecordError);
        assert.equal(await store.get(tenant), undefined);
      });
    });

    describe('leases', () => {
      test('one holder at a time; expiry allows a takeover; a lost lease cannot be renewed; completed is final', async () => {
        const clock = handClock();
        const leases = s.leases({ logger, now: clock.now });
        const key = `run-${randomUUID()}`;
        const first = await leases.acquire(key, 'one', 30_000);
        assert.ok(first.acquired);
        assert.equal(first.takeover, false);
        const held = await leases.acquire(key, 'two', 30_000);
        assert.deepEqual(held, { acquired: false, reason: 'held', owner: 'one' });
        const renewed = await leases.renew(first.lease, 30_000);
        assert.ok(renewed);
        // The old ETag is spent: a renewal with it is a lost lease.
        assert.equal(await leases.renew(first.lease, 30_000), undefined);
        clock.move(31_000);
        const taken = await leases.acquire(key, 'two', 30_000);
        assert.ok(taken.acquired);
        assert.equal(taken.takeover, true);
        assert.equal(taken.lease.generation, 2);
        assert.equal(await leases.renew(renewed, 30_000), undefined, 'the first holder lost it');
        assert.equal(await leases.complete(renewed), false);
        assert.equal(await leases.complete(taken.lease), true);
        assert.deepEqual(await leases.acquire(key, 'three', 30_000), {
          acquired: false,
          reason: 'completed',
          owner: 'two',
        });
      });

      test('a released lease is free at once', async () => {
        const leases = s.leases({ logger });
        const key = `run-${randomUUID()}`;
        const first = await leases.acquire(key, 'one', 60_000);
        assert.ok(first.acquired);
        await leases.release(first.lease);
        const second = await leases.acquire(key, 'two', 60_000);
        assert.ok(second.acquired);
      });
    });

    describe('deliveries', () => {
      test('claimed once per run and conversation; failed may be reclaimed; sent is final', async () => {
        const deliveries = s.deliveries({ logger });
        const runId = `run-${randomUUID()}`;
        const first = await deliveries.claim(runId, 'conv-1', 'one');
        assert.ok(first.claimed);
        assert.equal(first.claim.attempts, 1);
        assert.deepEqual(await deliveries.claim(runId, 'conv-1', 'two'), { claimed: false, state: 'sending' });
        assert.equal(await deliveries.finish(first.claim, 'failed', { status: 503 }), true);
        const again = await deliveries.claim(runId, 'conv-1', 'two');
        assert.ok(again.claimed);
        assert.equal(again.claim.attempts, 2);
        assert.equal(await deliveries.finish(first.claim, 'sent'), false, 'a stale claim cannot finish');
        assert.equal(await deliveries.finish(again.claim, 'sent', { activityId: 'act-1' }), true);
        assert.deepEqual(await deliveries.claim(runId, 'conv-1', 'three'), { claimed: false, state: 'sent' });
        const other = await deliveries.claim(runId, 'conv-2', 'one');
        assert.ok(other.claimed, 'another conversation of the run is its own claim');
      });

      test('a stale claim by a dead instance becomes unknown and is never sent again', async () => {
        const clock = handClock();
        const deliveries = s.deliveries({ logger, now: clock.now, staleSendingMs: 10_000 });
        const runId = `run-${randomUUID()}`;
        const first = await deliveries.claim(runId, 'conv-1', 'dead');
        assert.ok(first.claimed);
        const same = await deliveries.claim(runId, 'conv-1', 'dead');
        assert.ok(same.claimed, 'its own claim whose insert seemed to fail is taken over');
        clock.move(11_000);
        assert.deepEqual(await deliveries.claim(runId, 'conv-1', 'alive'), { claimed: false, state: 'unknown' });
        assert.deepEqual(await deliveries.claim(runId, 'conv-1', 'alive'), { claimed: false, state: 'unknown' });
      });
    });
  });
}
