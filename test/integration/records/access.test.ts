/**
 * Access control for records: practitioners are refused manager views and see only their own
 * decisions; admins grant, revoke and list managers (audited); a revoked manager's old card stops
 * working; tampered or foreign card data is refused clearly; audit entries are written; logs hold
 * no names or case references. Real Azurite + the real bot over HTTP.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../../src/config';
import { signState, verifyState, type CardState } from '../../../src/bot/features/records/state';
import type { StoredRecord } from '../../../src/storage/contract';
import {
  TENANT_A,
  TENANT_B,
  TeamsClient,
  cardOf,
  cardText,
  newUser,
  personalChat,
  startBot,
  teamChannel,
  type BotHarness,
  type Card,
} from '../../support/botHarness';
import { cardProblems } from '../../support/cardValidation';
import { ClockedSeeder, PUBLIC_BASE_URL, SIGNING_SECRET, actionData, idsOf, newestFirst } from './support';

const manager = newUser('Mona Manager');
const admin = newUser('Ada Admin');
const p1 = newUser('Pat Onesecret');
const p2 = newUser('Pip Twosecret');
const outsider = newUser('Olly Outsider');
const TEAM = '19:access-team@thread.tacv2';
const CASE_REF = 'SECRETCASE-42';

let bot: BotHarness;
const records: StoredRecord[] = [];
const config = loadConfig({ NODE_ENV: 'test', SIGNING_SECRET });

const chat = (user = manager, tenant = TENANT_A) => new TeamsClient(bot.baseUrl, user, personalChat(tenant));

async function say(client: TeamsClient, text: string): Promise<Card> {
  const replies = await client.say(text);
  assert.equal(replies.length, 1);
  return cardOf(replies[0]!);
}

function stateOf(card: Card, title: string): { signed: string; state: CardState } {
  const signed = String(actionData(card, title).state);
  const verified = verifyState(config, signed);
  assert.ok(verified.ok);
  return { signed, state: verified.value };
}

async function expectMessage(
  client: TeamsClient,
  verb: string,
  data: Record<string, unknown>,
  pattern: RegExp,
): Promise<void> {
  const res = await client.execute(verb, data);
  assert.equal(res.type, 'application/vnd.microsoft.activity.message', JSON.stringify(res.value).slice(0, 200));
  assert.match(String(res.value), pattern);
}

describe('records: access control, tampering and audit', () => {
  before(async () => {
    bot = await startBot({
      // Configured managers and admins are bound to their tenant.
      MANAGER_AAD_OBJECT_IDS: `${TENANT_A}:${manager.aadObjectId}`,
      ADMIN_AAD_OBJECT_IDS: `${TENANT_A}:${admin.aadObjectId}`,
      SIGNING_SECRET,
      PUBLIC_BASE_URL,
    });
    const seed = new ClockedSeeder(bot.app.tables.decisions);
    for (let i = 0; i < 30; i++) {
      const who = i % 3 === 0 ? p2 : p1;
      records.push(
        await seed.record(new Date(Date.parse('2026-10-01T08:00:00Z') + i * 3600_000), {
          tenantId: TENANT_A,
          teamId: TEAM,
          by: { aadObjectId: who.aadObjectId, name: who.name },
          caseReference: i === 7 ? CASE_REF : undefined,
        }),
      );
    }
    await seed.record('2026-10-05T08:00:00Z', {
      tenantId: TENANT_B,
      by: { aadObjectId: outsider.aadObjectId, name: outsider.name },
    });
  });
  after(async () => bot?.stop());

  it('a practitioner asking for recent decisions, a case or an export is told only managers can', async () => {
    const client = chat(p1);
    for (const text of ['recent decisions', `case ${CASE_REF}`, 'export', `recent decisions team ${TEAM}`]) {
      const card = await say(client, text);
      assert.match(cardText(card), /Only managers can look at other people’s decisions/, text);
      assert.deepEqual(idsOf(card), []);
    }
    const inChannel = await say(new TeamsClient(bot.baseUrl, p1, teamChannel(TEAM)), 'recent decisions team');
    assert.match(cardText(inChannel), /Only managers/);
    assert.equal(inChannel.refresh, undefined);
  });

  it('"my decisions" shows a practitioner only their own, across pages', async () => {
    const client = chat(p1);
    let card = await say(client, 'my decisions rows 10');
    assert.match(cardText(card), /My decisions/);
    const ids = idsOf(card);
    while ((card.actions ?? []).some((a) => a.title === 'Next')) {
      card = await client.click(card, 'Next');
      ids.push(...idsOf(card));
    }
    assert.deepEqual(ids, newestFirst(records.filter((r) => r.decidedBy.aadObjectId === p1.aadObjectId)));
    assert.equal(
      (card.actions ?? []).some((a) => a.title === 'Export CSV'),
      false,
    );
  });

  it('"my decisions" cannot be widened: filters for other people are refused, forged card data is refused', async () => {
    const client = chat(p1);
    assert.match(
      cardText(await say(client, `my decisions practitioner ${p2.aadObjectId}`)),
      /did not understand "practitioner"/,
    );
    assert.match(cardText(await say(client, `my decisions team ${TEAM}`)), /did not understand "team"/);

    const card = await say(client, 'my decisions');
    const { state } = stateOf(card, 'Apply');
    // Even a validly signed state naming someone else as practitioner lists only the caller's own.
    const widened = signState(config, { ...state, f: { practitioner: p2.aadObjectId } });
    const res = await client.execute('records.page', { verb: 'records.page', state: widened });
    const ids = idsOf(res.value as Card);
    assert.ok(ids.length > 0);
    const own = new Set(records.filter((r) => r.decidedBy.aadObjectId === p1.aadObjectId).map((r) => r.id));
    assert.ok(ids.every((id) => own.has(id)));
    // And a signed state upgraded to manager mode is still refused (the role is checked, not the card).
    const upgraded = signState(config, { ...state, m: 'manager' });
    const refused = await client.execute('records.page', { verb: 'records.page', state: upgraded });
    assert.match(cardText(refused.value), /Only managers/);
  });

  it('tampered card data is refused clearly: altered state, forged continuation token, forged tenant, someone else’s card', async () => {
    const client = chat(manager);
    const first = await say(client, 'recent decisions rows 10');
    const { signed, state } = stateOf(first, 'Next');
    const [payload, sig] = signed.split('.') as [string, string];

    // 1. The token inside the signed state changed (signature no longer matches).
    const forgedToken = Buffer.from(JSON.stringify({ ...state, t: 'eyJ2IjoxfQ' })).toString('base64url');
    await expectMessage(
      client,
      'records.page',
      { state: `${forgedToken}.${sig}` },
      /could not be read — it may have been altered/,
    );
    // 2. The tenant inside the state changed to another tenant.
    const forgedTenant = Buffer.from(JSON.stringify({ ...state, tn: TENANT_B })).toString('base64url');
    await expectMessage(client, 'records.page', { state: `${forgedTenant}.${sig}` }, /could not be read/);
    // 3. Garbage and missing state.
    await expectMessage(client, 'records.page', { state: 'not-a-state' }, /could not be read/);
    await expectMessage(client, 'records.page', {}, /could not be read/);
    await expectMessage(client, 'records.page', { state: `${payload}x.${sig}` }, /could not be read/);
    // 4. Even correctly signed (a leaked secret), a forged store token is refused by the store.
    const leaked = signState(config, {
      ...state,
      t: Buffer.from(JSON.stringify({ v: 1, f: 'x'.repeat(22), after: 'all|0' })).toString('base64url'),
    });
    await expectMessage(client, 'records.page', { state: leaked }, /no longer available/);
    // 5. A genuine card replayed from another tenant: refused, whatever the user.
    const foreign = new TeamsClient(bot.baseUrl, manager, personalChat(TENANT_B));
    await expectMessage(foreign, 'records.page', { state: signed }, /belongs to another organisation/);
    // 6. Someone else clicking the manager's card (e.g. forwarded).
    await expectMessage(chat(p1), 'records.page', { state: signed }, /opened by someone else/);
    await expectMessage(chat(p1), 'records.apply', { state: signed, rOutcome: '' }, /opened by someone else/);
    await expectMessage(chat(p1), 'records.export', { state: signed }, /opened by someone else/);
    // 7. A tenant id slipped into the action data is ignored: the activity's tenant is used.
    // Page 2 carries on exactly where page 1 stopped (page 1 may be short when a store page was).
    const res = await client.execute('records.page', { state: signed, tenantId: TENANT_B, tn: TENANT_B });
    const firstIds = idsOf(first);
    assert.ok(firstIds.length > 0);
    assert.deepEqual(firstIds, newestFirst(records).slice(0, firstIds.length));
    assert.deepEqual(idsOf(res.value as Card), newestFirst(records).slice(firstIds.length, firstIds.length + 10));
  });

  it('admins grant, list and revoke managers (audited); a revoked manager’s card stops working', async () => {
    const adminChat = chat(admin);
    assert.match(cardText(await say(chat(p2), `grant manager ${p2.aadObjectId}`)), /Only administrators/);
    assert.match(cardText(await say(adminChat, 'grant manager bob')), /Entra object id/);

    assert.match(cardText(await say(adminChat, `grant manager ${p2.aadObjectId.toUpperCase()}`)), /is now a manager/);
    const managersCard = await say(adminChat, 'list managers');
    assert.deepEqual(cardProblems(managersCard), []);
    const listed = cardText(managersCard);
    assert.match(listed, new RegExp(manager.aadObjectId));
    assert.match(listed, /manager \(bot configuration\)/);
    assert.match(
      listed,
      new RegExp(`${p2.aadObjectId}[\\s\\S]*manager \\(granted \\d{4}-\\d{2}-\\d{2} by ${admin.aadObjectId}\\)`),
    );

    const p2Chat = chat(p2);
    const card = await say(p2Chat, 'recent decisions rows 10');
    assert.equal(idsOf(card).length, 10);

    assert.match(cardText(await say(adminChat, `revoke manager ${p2.aadObjectId}`)), /no longer a manager/);
    assert.match(cardText(await say(adminChat, `revoke manager ${p2.aadObjectId}`)), /no manager role to revoke/);
    assert.match(cardText(await say(adminChat, `revoke manager ${manager.aadObjectId}`)), /bot’s configuration/);
    const after = await p2Chat.click(card, 'Next');
    assert.match(cardText(after), /Only managers/);
    assert.deepEqual(idsOf(after), []);

    // Role changes are scoped to the tenant the admin is in.
    assert.match(cardText(await say(chat(p2, TENANT_B), 'recent decisions')), /Only managers/);

    const audit = await bot.app.stores.audit.list(TENANT_A, 200);
    const actions = audit
      .filter((e) => e.actorAadObjectId === admin.aadObjectId)
      .map((e) => `${e.action}:${String(e.filter.target ?? '')}`);
    assert.ok(actions.includes(`grant_manager:${p2.aadObjectId}`));
    assert.ok(actions.includes(`revoke_manager:${p2.aadObjectId}`));
    assert.ok(actions.includes('list_managers:'));
  });

  it('every manager query is audited: who, what filter, how many results, when', async () => {
    const client = chat(manager);
    const before = Date.now();
    await say(client, `recent decisions team ${TEAM} from 2026-10-01 to 2026-10-01 rows 10`);
    await say(client, `case ${CASE_REF}`);
    const entries = await bot.app.stores.audit.list(TENANT_A, 200);
    const query = entries.find(
      (e) => e.action === 'query_records' && e.filter.team === TEAM && e.filter.from === '2026-10-01',
    );
    assert.ok(query, 'query audited');
    assert.equal(query.actorAadObjectId, manager.aadObjectId);
    assert.equal(query.resultCount, 10);
    assert.deepEqual(
      { mode: query.filter.mode, to: query.filter.to, page: query.filter.page, pageSize: query.filter.pageSize },
      { mode: 'manager', to: '2026-10-01', page: 1, pageSize: 10 },
    );
    assert.ok(Date.parse(query.at) >= before - 1000);
    const caseView = entries.find((e) => e.action === 'view_case' && e.filter.caseRef === CASE_REF);
    assert.ok(caseView, 'case lookup audited');
    assert.equal(caseView.resultCount, 1);
    assert.deepEqual(
      await bot.app.stores.audit
        .list(TENANT_B, 10)
        .then((e) => e.filter((x) => x.actorAadObjectId === manager.aadObjectId && x.action === 'query_records')),
      [],
    );
  });

  it('logs hold ids and counts, never names, case references or record text', async () => {
    const text = JSON.stringify(bot.logs);
    for (const secret of [p1.name, p2.name, manager.name, CASE_REF, 'duty officer', 'Concerns raised at school']) {
      assert.doesNotMatch(text, new RegExp(secret), `log mentions "${secret}"`);
    }
    assert.ok(bot.logs.some((l) => l.event === 'records.listed'));
    assert.ok(bot.logs.some((l) => l.event === 'records.card_refused'));
  });
});
