/**
 * Each tenant's rule pack, over HTTP to the real bot on a real Azurite: an admin switches the
 * tenant to a draft pack and approves it; a practitioner's cards follow (stale after the switch,
 * the review banner until approved); records keep the pack id and version. Non-admins and other
 * tenants are refused and unaffected; every change is audited.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  TENANT_A,
  TENANT_B,
  TeamsClient,
  cardOf,
  cardText,
  findAction,
  newUser,
  personalChat,
  startBot,
  type BotHarness,
  type Card,
  type TeamsUser,
} from '../../support/botHarness';
import { RECORD_FORM, answerFor } from '../../support/scenarios';
import {
  DRAFT_PACK_ID,
  DRAFT_PACK_TITLE,
  DRAFT_PACK_VERSION,
  DRAFT_SAFETY_LINE,
  packsWithDraft,
} from '../../support/fixturePacks';
import { REVIEW_BANNER_TITLE } from '../../../src/bot/kit/rulePacks';
import { RULE_PACK_VERSION } from '../../../src/domain';
import { StorageUnavailableError } from '../../../src/storage/contract';

const admin = newUser('Ada Admin');
const secondAdmin = newUser('Bo Admin');
const practitioner = newUser('Sam Practitioner');

const stateOf = (card: Card) => findAction(card, 'Next').data as { s: { p?: string; v: string } };

async function say(client: TeamsClient, text: string): Promise<Card> {
  const replies = await client.say(text);
  assert.equal(replies.length, 1, `one reply to "${text}"`);
  return cardOf(replies[0]!);
}

/** Answers every question of the share-without-asking case; returns each card on the way and the outcome. */
async function answerAll(client: TeamsClient, first: Card): Promise<{ cards: Card[]; outcome: Card }> {
  let card = first;
  const cards = [first];
  for (let i = 0; i < 40; i++) {
    const next = (card.actions ?? []).find((a) => a.title === 'Next');
    if (!next) return { cards, outcome: card };
    const q = String((next.data as { q: string }).q);
    const answer = answerFor(q);
    assert.ok(answer, `asked ${q}`);
    card = await client.click(card, 'Next', { answer });
    cards.push(card);
  }
  throw new Error('questionnaire did not end');
}

async function recordedId(card: Card): Promise<string> {
  const id = /Record id: \*\*(D-[A-Z0-9-]+)\*\*/.exec(cardText(card))?.[1];
  assert.ok(id, `a record id on: ${cardText(card).slice(0, 300)}`);
  return id;
}

const env = {
  ADMIN_AAD_OBJECT_IDS: `${TENANT_A}:${admin.aadObjectId},${TENANT_A}:${secondAdmin.aadObjectId}`,
  ALLOWED_TENANT_IDS: `${TENANT_A},${TENANT_B}`,
};

describe('per-tenant rule pack over HTTP (Azurite)', () => {
  let bot: BotHarness;
  const client = (user: TeamsUser, tenant = TENANT_A) => new TeamsClient(bot.baseUrl, user, personalChat(tenant));

  before(async () => {
    bot = await startBot(env, { app: { rulePacks: packsWithDraft() } });
  });
  after(() => bot?.stop());

  test('rule pack: anyone sees the pack in use; only admins see the others', async () => {
    const mine = cardText(await say(client(practitioner), 'rule pack'));
    assert.match(mine, /2015-local/);
    assert.match(mine, new RegExp(RULE_PACK_VERSION.replace('.', '\\.')));
    assert.match(mine, /published/);
    assert.match(mine, /the default/);
    assert.doesNotMatch(mine, new RegExp(DRAFT_PACK_ID), 'a practitioner is not shown the other packs');

    const theirs = cardText(await say(client(admin), 'rule pack'));
    assert.match(theirs, /Available rule packs/);
    assert.match(theirs, new RegExp(`${DRAFT_PACK_ID}.*not yet approved`));
  });

  test('a non-admin, and an admin of another tenant, are refused and change nothing', async () => {
    for (const command of [`use rule pack ${DRAFT_PACK_ID}`, `approve rule pack ${DRAFT_PACK_ID}`]) {
      const refused = await say(client(practitioner), command);
      assert.match(cardText(refused), /Admins only/);
      assert.match(cardText(refused), /Only administrators/);
      // The same Entra object id arriving from tenant B is nobody special there.
      assert.match(cardText(await say(client(admin, TENANT_B), command)), /Admins only/);
    }
    assert.equal(await bot.app.stores.tenantSettings.get(TENANT_A), undefined);
    assert.equal(await bot.app.stores.tenantSettings.get(TENANT_B), undefined);
    const audited = await bot.app.stores.audit.list(TENANT_A);
    assert.equal(audited.filter((e) => e.action.includes('rule_pack')).length, 0);
  });

  test('an unknown pack id is refused with the installed ones named', async () => {
    const text = cardText(await say(client(admin), 'use rule pack ../../etc/passwd'));
    assert.match(text, /Name one of the installed rule packs/);
    assert.doesNotMatch(text, /passwd|\.\.\//, 'the typed id is not echoed');
    assert.match(text, new RegExp(`2015-local.*${DRAFT_PACK_ID}|${DRAFT_PACK_ID}.*2015-local`));
    assert.equal(await bot.app.stores.tenantSettings.get(TENANT_A), undefined);
  });

  test('switch, draft banner until approved, stale cards, records with pack id and version; tenant B unaffected', async () => {
    const sam = client(practitioner);
    // A questionnaire started before the switch, under the 2015 pack.
    const before = await say(sam, 'start');
    assert.deepEqual([stateOf(before).s.p, stateOf(before).s.v], ['2015-local', RULE_PACK_VERSION]);
    assert.doesNotMatch(cardText(before), new RegExp(REVIEW_BANNER_TITLE));

    const switched = cardText(await say(client(admin), `use rule pack ${DRAFT_PACK_ID}`));
    assert.match(switched, /Rule pack changed/);
    assert.match(switched, /approve rule pack test-draft/);
    const settings = await bot.app.stores.tenantSettings.get(TENANT_A);
    assert.equal(settings?.rulePackId, DRAFT_PACK_ID);
    assert.equal(settings?.updatedBy, admin.aadObjectId);
    const [switchAudit] = await bot.app.stores.audit.list(TENANT_A, 1);
    assert.equal(switchAudit?.action, 'use_rule_pack');
    assert.equal(switchAudit?.actorAadObjectId, admin.aadObjectId);
    assert.deepEqual(switchAudit?.filter, {
      from: '2015-local',
      fromVersion: RULE_PACK_VERSION,
      to: DRAFT_PACK_ID,
      toVersion: DRAFT_PACK_VERSION,
    });
    assert.ok(switchAudit && Date.parse(switchAudit.at) > Date.now() - 60_000, 'audited now');

    // The card made under the 2015 pack asks to start again.
    const firstQuestion = (findAction(before, 'Next').data as { q: string }).q;
    const stale = await sam.click(before, 'Next', { answer: answerFor(firstQuestion)! });
    assert.match(cardText(stale), /out of date/);
    assert.match(cardText(stale), /made under another rule pack;/);
    assert.doesNotMatch(cardText(stale), /2015-local/, "the card's own pack id is not echoed");
    assert.match(cardText(stale), new RegExp(`now decides under ${DRAFT_PACK_ID}`));

    // A new questionnaire is under the draft pack, and every card of it says it is a draft.
    const first = await say(sam, 'start');
    assert.deepEqual([stateOf(first).s.p, stateOf(first).s.v], [DRAFT_PACK_ID, DRAFT_PACK_VERSION]);
    const { cards, outcome } = await answerAll(sam, first);
    for (const card of cards) assert.match(cardText(card), new RegExp(REVIEW_BANNER_TITLE));
    assert.match(cardText(outcome), new RegExp(DRAFT_SAFETY_LINE.replace(/[.:]/g, '.')), "the pack's own safety line");
    const recorded = await sam.click(outcome, 'Record this decision', RECORD_FORM);
    assert.match(cardText(recorded), /Decision recorded/);
    assert.match(cardText(recorded), new RegExp(REVIEW_BANNER_TITLE));
    assert.match(cardText(recorded), new RegExp(`pack ${DRAFT_PACK_ID} ${DRAFT_PACK_VERSION.replace('.', '\\.')}`));
    assert.ok(cardText(recorded).includes(`Guidance: ${DRAFT_PACK_TITLE}`), "case notes name the pack's title");
    const stored = await bot.app.stores.decisions.get(TENANT_A, await recordedId(recorded));
    assert.equal(stored?.rulePackId, DRAFT_PACK_ID);
    assert.equal(stored?.rulePackVersion, DRAFT_PACK_VERSION);
    // The practitioner's own list shows the pack.
    assert.match(
      cardText(await say(sam, 'my decisions')),
      new RegExp(`rules ${DRAFT_PACK_ID} ${DRAFT_PACK_VERSION.replace('.', '\\.')}`),
    );

    // Help names the tenant's pack, with its banner; tenant B's names the default, without.
    const help = cardText(await say(sam, 'help'));
    assert.ok(help.includes(DRAFT_PACK_TITLE), 'the welcome card names the pack in use');
    assert.match(help, new RegExp(REVIEW_BANNER_TITLE));
    const helpB = cardText(await say(client(newUser(), TENANT_B), 'help'));
    assert.match(helpB, /rule pack 2015-local/);
    assert.doesNotMatch(helpB, new RegExp(REVIEW_BANNER_TITLE));

    // Tenant B still decides under the default, with no banner.
    const other = await say(client(newUser(), TENANT_B), 'start');
    assert.equal(stateOf(other).s.p, '2015-local');
    assert.doesNotMatch(cardText(other), new RegExp(REVIEW_BANNER_TITLE));
    assert.equal(await bot.app.stores.tenantSettings.get(TENANT_B), undefined);
    // A card altered to claim the draft pack does not move tenant B onto it.
    const otherClient = client(newUser(), TENANT_B);
    const real = await say(otherClient, 'start');
    const action = findAction(real, 'Next');
    const data = action.data as { s: Record<string, unknown>; q: string };
    const forged = await otherClient.execute('answer', {
      ...data,
      s: { ...data.s, p: DRAFT_PACK_ID, v: DRAFT_PACK_VERSION },
      answer: answerFor(data.q)!,
    });
    assert.match(cardText(forged.value), /out of date/);
    assert.doesNotMatch(cardText(forged.value), new RegExp(REVIEW_BANNER_TITLE));

    // Approval: audited, and the banner is gone from new cards and from the running questionnaire.
    const running = await say(sam, 'start');
    const approved = cardText(await say(client(secondAdmin), `approve rule pack ${DRAFT_PACK_ID}`));
    assert.match(approved, /Rule pack approved/);
    const [approveAudit] = await bot.app.stores.audit.list(TENANT_A, 1);
    assert.equal(approveAudit?.action, 'approve_rule_pack');
    assert.equal(approveAudit?.actorAadObjectId, secondAdmin.aadObjectId);
    assert.deepEqual(approveAudit?.filter, {
      pack: DRAFT_PACK_ID,
      version: DRAFT_PACK_VERSION,
      from: 'not approved',
      to: 'approved',
    });
    const approval = (await bot.app.stores.tenantSettings.get(TENANT_A))?.approvals;
    assert.deepEqual(
      approval?.map((a) => [a.packId, a.version, a.approvedBy]),
      [[DRAFT_PACK_ID, DRAFT_PACK_VERSION, secondAdmin.aadObjectId]],
    );
    const q = (findAction(running, 'Next').data as { q: string }).q;
    const step = await sam.click(running, 'Next', { answer: answerFor(q)! });
    assert.doesNotMatch(cardText(step), new RegExp(REVIEW_BANNER_TITLE), 'the same pack version: the card carries on');
    assert.match(cardText(await say(client(practitioner), 'rule pack')), /draft, approved for this organisation/);
    const again = cardText(await say(client(admin), `approve rule pack ${DRAFT_PACK_ID}`));
    assert.match(again, /already approved/);
  });

  test('a new version of the draft pack is draft again, and cards of the old version are stale', async () => {
    const sam = client(practitioner);
    const oldCard = await say(sam, 'start');
    assert.equal(stateOf(oldCard).s.v, DRAFT_PACK_VERSION);
    // The same storage, a bot with the pack's next version installed.
    const next = await startBot(env, { azurite: bot.azurite, app: { rulePacks: packsWithDraft('2024.05-r2') } });
    try {
      const sam2 = new TeamsClient(next.baseUrl, practitioner, sam.conversation);
      const q = (findAction(oldCard, 'Next').data as { q: string }).q;
      const stale = await sam2.click(oldCard, 'Next', { answer: answerFor(q)! });
      assert.match(cardText(stale), /earlier version of the guidance rules; the rules are now version 2024\.05-r2/);
      const fresh = await say(sam2, 'start');
      assert.equal(stateOf(fresh).s.v, '2024.05-r2');
      assert.match(cardText(fresh), new RegExp(REVIEW_BANNER_TITLE), 'approval of r1 does not approve r2');
    } finally {
      await next.stop();
    }
  });

  test("a second admin's change starts from the first one's: both land, in order, approvals kept", async () => {
    // Each command reads the row fresh and writes with its etag (the conflict itself: the store contract tests).
    await say(client(admin), 'use rule pack 2015-local');
    await say(client(secondAdmin), `use rule pack ${DRAFT_PACK_ID}`);
    const settings = await bot.app.stores.tenantSettings.get(TENANT_A);
    assert.equal(settings?.rulePackId, DRAFT_PACK_ID);
    assert.equal(settings?.approvals.length, 1, 'the earlier approval survived both switches');
    const trail = (await bot.app.stores.audit.list(TENANT_A, 2)).map((e) => [e.action, e.filter.to]);
    assert.deepEqual(trail, [
      ['use_rule_pack', DRAFT_PACK_ID],
      ['use_rule_pack', '2015-local'],
    ]);
  });

  test('an admin whose read is overtaken by another admin is told so; the other change stays, audited', async () => {
    const store = bot.app.stores.tenantSettings;
    assert.equal((await store.get(TENANT_A))?.rulePackId, DRAFT_PACK_ID, 'in use before');
    const original = store.get.bind(store);
    // The second admin saves between the first admin's read and write (once).
    store.get = async (tenantId) => {
      store.get = original;
      const read = await original(tenantId);
      const saved = await store.save(
        tenantId,
        { rulePackId: DRAFT_PACK_ID, approvals: read?.approvals ?? [], updatedBy: secondAdmin.aadObjectId },
        read?.etag,
      );
      assert.ok(saved.ok);
      return read;
    };
    const answer = cardText(await say(client(admin), 'use rule pack 2015-local'));
    store.get = original;
    assert.match(answer, /Another administrator changed/);
    assert.match(answer, /nothing was changed/);
    const settings = await store.get(TENANT_A);
    assert.equal(settings?.rulePackId, DRAFT_PACK_ID, "the other admin's save is not overwritten");
    assert.equal(settings?.updatedBy, secondAdmin.aadObjectId);
    const [last] = await bot.app.stores.audit.list(TENANT_A, 1);
    assert.equal(last?.action, 'use_rule_pack_conflict');
    assert.equal(last?.actorAadObjectId, admin.aadObjectId);
  });

  test('settings store down: questions carry on under the last known pack; recording says NOT SAVED', async () => {
    const store = bot.app.stores.tenantSettings;
    const original = store.get.bind(store);
    const sam = client(practitioner);
    const first = await say(sam, 'start');
    const { outcome } = await answerAll(sam, first);
    store.get = async () => {
      throw new StorageUnavailableError('tenant settings down (test)');
    };
    try {
      assert.equal(stateOf(await say(sam, 'start')).s.p, DRAFT_PACK_ID, 'the last known pack');
      const refused = await sam.click(outcome, 'Record this decision', RECORD_FORM);
      assert.match(cardText(refused), /NOT SAVED/);
      assert.equal(findAction(refused, 'Record this decision').verb, 'record', 'the form stays to press again');
    } finally {
      store.get = original;
    }
    const decisions = await bot.app.stores.decisions.query(
      { tenantId: TENANT_A, decidedBy: practitioner.aadObjectId },
      50,
    );
    assert.equal(decisions.items.length, 1, 'only the decision recorded earlier');
  });
});
