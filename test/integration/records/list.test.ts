/**
 * Managers list recent decisions: newest first, paged with Next/Previous (no gaps, no duplicates),
 * each filter (team, practitioner, outcome, dates, case) typed or applied from the card, the whole
 * chain for a case, private views in channels, and no records from another tenant.
 * Real Azurite + the real bot over HTTP.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
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
import {
  ClockedSeeder,
  PUBLIC_BASE_URL,
  SIGNING_SECRET,
  actionData,
  hasAction,
  idsOf,
  newRecord,
  newestFirst,
} from './support';

const manager = newUser('Mona Manager');
const p1 = newUser('Pat One');
const p2 = newUser('Pip Two');
const managerB = newUser('Other Tenant Manager');
const pB = newUser('Other Tenant Practitioner');
const TEAM1 = '19:team-one-0000@thread.tacv2';
const TEAM2 = '19:team-two-0000@thread.tacv2';

let bot: BotHarness;
const tenantA: StoredRecord[] = [];
const tenantB: StoredRecord[] = [];
const chain: StoredRecord[] = [];

async function say(client: TeamsClient, text: string): Promise<Card> {
  const replies = await client.say(text);
  assert.equal(replies.length, 1, `one reply to "${text}"`);
  return cardOf(replies[0]!);
}

/** Follows Next to the end; returns every id and the cards seen. */
async function allPages(client: TeamsClient, first: Card): Promise<{ ids: string[]; cards: Card[] }> {
  const cards = [first];
  let card = first;
  while (hasAction(card, 'Next')) {
    card = await client.click(card, 'Next');
    cards.push(card);
    assert.ok(cards.length < 50, 'paging ends');
  }
  return { ids: cards.flatMap(idsOf), cards };
}

describe('records: manager lists', () => {
  before(async () => {
    bot = await startBot({
      MANAGER_AAD_OBJECT_IDS: [`${TENANT_A}:${manager.aadObjectId}`, `${TENANT_B}:${managerB.aadObjectId}`].join(','),
      SIGNING_SECRET,
      PUBLIC_BASE_URL,
    });
    const seed = new ClockedSeeder(bot.app.tables.decisions);
    const start = Date.parse('2026-11-01T09:00:00.000Z');
    for (let i = 0; i < 40; i++) {
      tenantA.push(
        await seed.record(new Date(start + i * 12 * 3600_000), {
          tenantId: TENANT_A,
          teamId: i < 30 ? TEAM1 : TEAM2,
          by: i % 2 ? { aadObjectId: p2.aadObjectId, name: p2.name } : { aadObjectId: p1.aadObjectId, name: p1.name },
          decision: i % 3 === 0 ? 'share_without_consent_justified' : 'share_with_consent',
        }),
      );
    }
    // A case chain: the decision and three follow-ups, the last filed under another reference.
    const by = { aadObjectId: p1.aadObjectId, name: p1.name };
    const root = await seed.record('2026-11-25T10:00:00.000Z', {
      tenantId: TENANT_A,
      by,
      caseReference: 'CS-777',
      decision: 'share_without_consent_justified',
    });
    chain.push(root);
    chain.push(
      await seed.record('2026-11-26T10:00:00.000Z', {
        tenantId: TENANT_A,
        by,
        caseReference: 'CS-777',
        kind: 'follow_up_subject_informed',
        parentId: root.id,
        openFollowUps: [],
      }),
    );
    chain.push(
      await seed.record('2026-11-27T10:00:00.000Z', {
        tenantId: TENANT_A,
        by,
        caseReference: 'cs 777',
        kind: 'consent_withdrawn',
        parentId: root.id,
      }),
    );
    chain.push(
      await seed.record('2026-11-28T10:00:00.000Z', {
        tenantId: TENANT_A,
        by,
        caseReference: 'CS-778',
        kind: 'follow_up_party_informed',
        parentId: root.id,
      }),
    );
    tenantA.push(...chain);
    tenantA.push(await seed.record('2026-11-29T10:00:00.000Z', { tenantId: TENANT_A, by, caseReference: 'CS-7770' }));
    // Through the app's own store too (real clock: newest of all).
    tenantA.push((await bot.app.stores.decisions.record(newRecord({ tenantId: TENANT_A, teamId: TEAM2, by }))).record);
    // Enough for a full 50-row page, with long free text (the widest rows a card will carry).
    for (let i = 0; i < 6; i++) {
      tenantA.push(
        await seed.record(`2026-12-0${i + 1}T10:00:00.000Z`, {
          tenantId: TENANT_A,
          by: { aadObjectId: p2.aadObjectId, name: 'Practitioner With A Rather Long Display Name' },
          recipientRole: 'designated safeguarding lead for the secondary school partnership'.slice(0, 60),
          openFollowUps: ['inform_subject_later', 'inform_all_parties_consent_withdrawn'],
        }),
      );
    }
    for (let i = 0; i < 5; i++) {
      tenantB.push(
        await seed.record(new Date(start + i * 3600_000), {
          tenantId: TENANT_B,
          teamId: TEAM1,
          by: { aadObjectId: pB.aadObjectId, name: pB.name },
        }),
      );
    }
  });
  after(async () => bot?.stop());

  const managerChat = () => new TeamsClient(bot.baseUrl, manager, personalChat(TENANT_A));

  it('pages through the tenant’s decisions newest first, with no gaps or duplicates, and back again', async () => {
    const client = managerChat();
    const first = await say(client, 'recent decisions');
    assert.match(cardText(first), /Recent decisions/);
    assert.equal(idsOf(first).length, 25);
    assert.equal(hasAction(first, 'Previous'), false);
    const { ids, cards } = await allPages(client, first);
    assert.deepEqual(ids, newestFirst(tenantA));
    assert.equal(cards.length, Math.ceil(tenantA.length / 25));
    const back = await client.click(cards[1]!, 'Previous');
    assert.deepEqual(idsOf(back), idsOf(first));
    assert.equal(hasAction(back, 'Export CSV'), true, 'managers can export from a personal chat');
  });

  it('filters by team id, and "team" in a channel means that team, shown privately to the asker', async () => {
    const byId = await allPages(managerChat(), await say(managerChat(), `recent decisions team ${TEAM1}`));
    const expected = newestFirst(tenantA.filter((r) => r.scope.teamId === TEAM1));
    assert.equal(expected.length, 30);
    assert.deepEqual(byId.ids, expected);

    const channel = new TeamsClient(bot.baseUrl, manager, teamChannel(TEAM1, TENANT_A));
    const placeholder = await say(channel, 'recent decisions team');
    assert.deepEqual(idsOf(placeholder), [], 'nothing from the records is posted to the channel');
    assert.doesNotMatch(JSON.stringify(placeholder.body), /D-\d{8}/);
    const refresh = placeholder.refresh as {
      action: { verb: string; data: Record<string, unknown> };
      userIds: string[];
    };
    assert.deepEqual(refresh.userIds, [manager.id]);
    const res = await channel.execute(refresh.action.verb, refresh.action.data);
    const list = res.value as Card;
    assert.deepEqual(idsOf(list), expected.slice(0, 25));
    assert.deepEqual(
      (list.refresh as { userIds: string[] }).userIds,
      [manager.id],
      'the list stays a user-specific view',
    );
    assert.deepEqual(cardProblems(placeholder), []);
    assert.deepEqual(cardProblems(list), []);
    assert.equal(hasAction(list, 'Export CSV'), false, 'no download links in shared conversations');
    const page2 = await channel.click(list, 'Next');
    assert.deepEqual(idsOf(page2), expected.slice(25));
  });

  it('filters by practitioner and by outcome', async () => {
    const byP2 = await allPages(
      managerChat(),
      await say(managerChat(), `recent decisions practitioner ${p2.aadObjectId}`),
    );
    assert.deepEqual(byP2.ids, newestFirst(tenantA.filter((r) => r.decidedBy.aadObjectId === p2.aadObjectId)));

    const outcome = await allPages(
      managerChat(),
      await say(managerChat(), 'recent decisions outcome share_without_consent_justified'),
    );
    assert.deepEqual(outcome.ids, newestFirst(tenantA.filter((r) => r.decision === 'share_without_consent_justified')));

    const both = await say(
      managerChat(),
      `recent decisions outcome share_with_consent practitioner ${p1.aadObjectId} team ${TEAM1}`,
    );
    assert.deepEqual(
      idsOf(both),
      newestFirst(
        tenantA.filter(
          (r) =>
            r.decision === 'share_with_consent' &&
            r.decidedBy.aadObjectId === p1.aadObjectId &&
            r.scope.teamId === TEAM1,
        ),
      ),
    );
  });

  it('filters by date range (UTC days, both inclusive)', async () => {
    const card = await say(managerChat(), 'recent decisions from 2026-11-05 to 2026-11-10');
    const inRange = (r: StoredRecord) =>
      r.recordedAt >= '2026-11-05T00:00:00.000Z' && r.recordedAt < '2026-11-11T00:00:00.000Z';
    const expected = newestFirst(tenantA.filter(inRange));
    assert.equal(expected.length, 12);
    assert.deepEqual(idsOf(card), expected);
    const bad = cardText(await say(managerChat(), 'recent decisions from 2026-11-10 to 2026-11-05'));
    assert.match(bad, /"from" must not be after "to"/);
    assert.match(cardText(await say(managerChat(), 'recent decisions from 2026-02-30')), /not a real date/);
    assert.match(cardText(await say(managerChat(), 'recent decisions colour blue')), /did not understand "colour"/);
  });

  it('applies filters from the card inputs (outcome, from/to, case) and keeps paging within them', async () => {
    const client = managerChat();
    const first = await say(client, `recent decisions team ${TEAM1}`);
    const applied = await client.click(first, 'Apply', {
      rOutcome: 'share_with_consent',
      rFrom: '2026-11-03',
      rTo: '2026-11-12',
      rCase: '',
    });
    const expected = newestFirst(
      tenantA.filter(
        (r) =>
          r.scope.teamId === TEAM1 &&
          r.decision === 'share_with_consent' &&
          r.recordedAt >= '2026-11-03' &&
          r.recordedAt < '2026-11-13',
      ),
    );
    assert.ok(expected.length > 0);
    assert.deepEqual(idsOf(applied), expected);
    assert.match(cardText(applied), /outcome share_with_consent/);

    const bad = await client.execute('records.apply', {
      ...actionData(applied, 'Apply'),
      rOutcome: 'share_everything',
    });
    assert.equal(bad.type, 'application/vnd.microsoft.activity.message');
    assert.match(String(bad.value), /"outcome" must be one of/);

    const byCase = await client.click(first, 'Apply', { rOutcome: '', rFrom: '', rTo: '', rCase: 'CS-777' });
    assert.deepEqual(idsOf(byCase), [], 'team filter still applies: the case was recorded outside TEAM1');
  });

  it('"case <reference>" returns the whole chain: the decision and every follow-up linked to it', async () => {
    const card = await say(managerChat(), 'case cs-777');
    assert.match(cardText(card), /Case cs-777/);
    assert.deepEqual(idsOf(card), newestFirst(chain));
    const text = cardText(card);
    assert.match(text, /↳ Follow-up: person told \(of D-/);
    assert.match(text, /↳ Follow-up: recipient told consent was withdrawn \(of D-/);
    assert.doesNotMatch(text, new RegExp(tenantA.at(-2)!.id), 'CS-7770 is another case');
  });

  it('a full 50-row page stays within Teams’ card size limits', async () => {
    const card = await say(managerChat(), 'recent decisions rows 50');
    assert.equal(idsOf(card).length, 50);
    assert.ok(hasAction(card, 'Next'));
    const size = JSON.stringify(card).length;
    console.log(`# 50-row card: ${size} characters of JSON`);
    assert.ok(size < 38_000, `50-row card is ${size} characters`);
    assert.deepEqual(cardProblems(card), [], 'valid Adaptive Card 1.5 (real parser)');
  });

  it('a manager of another tenant sees only that tenant’s decisions', async () => {
    const client = new TeamsClient(bot.baseUrl, managerB, personalChat(TENANT_B));
    const { ids } = await allPages(client, await say(client, 'recent decisions'));
    assert.deepEqual(ids, newestFirst(tenantB));
    assert.deepEqual(idsOf(await say(client, 'case CS-777')), []);
    const team = await say(client, `recent decisions team ${TEAM1}`);
    assert.deepEqual(idsOf(team), newestFirst(tenantB));
  });
});
