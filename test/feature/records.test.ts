/**
 * The records card flows on in-memory stores: "my decisions" (own records only, paged), a manager's
 * "recent decisions" (tenant-wide, paged, audited), "case <ref>" (the decision and its follow-ups)
 * and "export" (a signed link the bot's own server turns into the CSV). Practitioners are refused
 * the manager views. (The same flows on Azurite: test/integration/records/*.test.ts.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StoredRecord } from '../../src/storage/contract';
import { TENANT_A, TENANT_B, TeamsClient, cardText, newUser, personalChat, type Card } from '../support/botHarness';
import {
  PUBLIC_BASE_URL,
  SIGNING_SECRET,
  hasAction,
  idsOf,
  newestFirst,
  parseCsv,
} from '../integration/records/support';
import { MemorySeeder, say, startFeatureBot, type FeatureBot } from './support';

const manager = newUser('Mona Manager');
const p1 = newUser('Pat One');
const p2 = newUser('Pip Two');
const TEAM = '19:feature-team@thread.tacv2';

describe('feature: my decisions, recent decisions, case, export', () => {
  let bot: FeatureBot;
  const tenantA: StoredRecord[] = [];
  const chain: StoredRecord[] = [];

  before(async () => {
    bot = await startFeatureBot({
      MANAGER_AAD_OBJECT_IDS: `${TENANT_A}:${manager.aadObjectId}`,
      SIGNING_SECRET,
      PUBLIC_BASE_URL,
    });
    const seed = new MemorySeeder(bot);
    const start = Date.parse('2026-11-01T09:00:00Z');
    for (let i = 0; i < 30; i++) {
      const by =
        i % 3 ? { aadObjectId: p1.aadObjectId, name: p1.name } : { aadObjectId: p2.aadObjectId, name: p2.name };
      tenantA.push(
        await seed.record(new Date(start + i * 3_600_000), {
          tenantId: TENANT_A,
          teamId: i % 2 ? undefined : TEAM,
          by,
          decision: i % 4 ? 'share_with_consent' : 'do_not_share',
        }),
      );
    }
    const by = { aadObjectId: p1.aadObjectId, name: p1.name };
    const root = await seed.record('2026-11-25T10:00:00Z', {
      tenantId: TENANT_A,
      by,
      caseReference: 'CS-FEAT-1',
      decision: 'share_without_consent_justified',
    });
    chain.push(root);
    chain.push(
      await seed.record('2026-11-26T10:00:00Z', {
        tenantId: TENANT_A,
        by,
        caseReference: 'CS-FEAT-1',
        kind: 'follow_up_subject_informed',
        parentId: root.id,
        openFollowUps: [],
      }),
    );
    tenantA.push(...chain);
    await seed.record('2026-11-02T09:00:00Z', { tenantId: TENANT_B, by, caseReference: 'CS-FEAT-1' });
  });
  after(() => bot?.stop());

  const chat = (user: typeof manager, tenantId = TENANT_A) =>
    new TeamsClient(bot.baseUrl, user, personalChat(tenantId));

  async function allIds(client: TeamsClient, first: Card): Promise<string[]> {
    let card = first;
    const ids = idsOf(card);
    while (hasAction(card, 'Next')) {
      card = await client.click(card, 'Next');
      ids.push(...idsOf(card));
    }
    return ids;
  }

  it('"my decisions" pages through the practitioner’s own records only, newest first', async () => {
    const client = chat(p1);
    const first = await say(client, 'my decisions rows 10');
    assert.match(cardText(first), /My decisions/);
    assert.equal(idsOf(first).length, 10);
    assert.deepEqual(
      await allIds(client, first),
      newestFirst(tenantA.filter((r) => r.decidedBy.aadObjectId === p1.aadObjectId)),
    );
    assert.equal(hasAction(first, 'Export CSV'), false);
  });

  it('a practitioner is refused the manager views', async () => {
    for (const text of ['recent decisions', 'case CS-FEAT-1', 'export']) {
      const card = await say(chat(p2), text);
      assert.match(cardText(card), /Only managers can look at other people’s decisions/, text);
      assert.deepEqual(idsOf(card), []);
    }
  });

  it('a manager’s "recent decisions" pages through the tenant, newest first, and is audited', async () => {
    const client = chat(manager);
    const first = await say(client, 'recent decisions');
    assert.match(cardText(first), /Recent decisions/);
    assert.equal(idsOf(first).length, 25);
    assert.deepEqual(await allIds(client, first), newestFirst(tenantA));
    const filtered = await say(client, `recent decisions team ${TEAM} outcome do_not_share`);
    const expected = newestFirst(tenantA.filter((r) => r.scope.teamId === TEAM && r.decision === 'do_not_share'));
    assert.equal(expected.length, 8);
    assert.deepEqual(idsOf(filtered), expected);
    const audited = await bot.stores.audit.list(TENANT_A, 100);
    const query = audited.find((e) => e.action === 'query_records' && e.filter.team === TEAM);
    assert.ok(query, 'the filtered query is audited');
    assert.equal(query.actorAadObjectId, manager.aadObjectId);
  });

  it('"case <ref>" shows the decision and its follow-up, from this tenant only', async () => {
    const card = await say(chat(manager), 'case cs-feat-1');
    assert.match(cardText(card), /Case cs-feat-1/);
    assert.deepEqual(idsOf(card), newestFirst(chain));
    assert.match(cardText(card), /↳ Follow-up: person told \(of D-/);
    assert.ok(
      (await bot.stores.audit.list(TENANT_A, 100)).some((e) => e.action === 'view_case' && e.resultCount === 2),
    );
  });

  it('"export" gives a signed link; the bot’s server streams those rows as CSV and audits the download', async () => {
    const card = await say(chat(manager), 'export outcome do_not_share');
    assert.match(cardText(card), /Your CSV export is ready/);
    const open = (card.actions ?? []).find((a) => a.type === 'Action.OpenUrl');
    assert.ok(open, 'export card has a download link');
    const url = new URL(String(open.url));
    assert.equal(url.origin, PUBLIC_BASE_URL);
    const res = await fetch(`${bot.baseUrl}${url.pathname}${url.search}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/csv/);
    const [header, ...rows] = parseCsv((await res.text()).replace(/^\uFEFF/, ''));
    assert.ok(header!.includes('record_id'));
    assert.deepEqual(
      rows.map((r) => r[0]),
      newestFirst(tenantA.filter((r) => r.decision === 'do_not_share')),
    );
    const forged = await fetch(
      `${bot.baseUrl}${url.pathname}?token=${encodeURIComponent(`${url.searchParams.get('token')}x`)}`,
    );
    assert.equal(forged.status, 403);
    assert.ok(
      (await bot.stores.audit.list(TENANT_A, 100)).some(
        (e) => e.action === 'export_csv' && e.resultCount === rows.length,
      ),
    );
  });
});
