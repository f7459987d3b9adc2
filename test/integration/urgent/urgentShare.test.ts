/**
 * "Share now, record after" over HTTP, on the real app and a real Azurite:
 *  - two clicks from the start (welcome card, or the first question card) reach the 999 line and
 *    the cited steps; the press records one 'urgent_share' entry however often it is pressed;
 *  - its follow-up reminds the practitioner in personal chat (never the channel), daily, until a
 *    decision carrying urgentEntryId is recorded from "Record the decision now", then stops;
 *  - a colleague (or another tenant) cannot open, record or close someone else's entry, and
 *    tampered card data gets a clear card;
 *  - with storage down, the card still shows the 999 line and the steps and says NOT SAVED.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { rulePack } from '../../../src/domain';
import type { StoredRecord } from '../../../src/storage/contract';
import { startAzurite, type AzuriteHandle } from '../../support/azurite';
import {
  cardOf,
  cardText,
  findAction,
  newUser,
  personalChat,
  TeamsClient,
  TENANT_B,
  type Card,
  type TeamsUser,
} from '../../support/botHarness';
import { startFakeConnector, type FakeConnector } from '../../support/fakeConnector';
import { cardProblems } from '../../support/cardValidation';
import { RECORD_FORM, SHARE_WITHOUT_ASKING } from '../../support/scenarios';
import { answerAll, stateOf } from '../robustness/support';
import { channelRoot, install, postedCard, startApp, TestClock, type RunningApp } from '../reminders/support';

const URGENT = 'A child is at immediate risk — I need to share now';
const CARD = 'application/vnd.microsoft.card.adaptive';
const ENTRY_ID = /Urgent entry \*\*(D-\d{8}-[0-9A-Z]{6})\*\* saved/;

function assertStepsShown(card: unknown): void {
  const text = cardText(card);
  assert.ok(text.includes(rulePack.urgentShare.immediateDanger), 'the 999 line is on the card');
  for (const step of rulePack.urgentShare.steps) assert.ok(text.includes(step.text), `step "${step.id}" is shown`);
}

const entryIdOf = (card: unknown): string => {
  const id = ENTRY_ID.exec(cardText(card))?.[1];
  assert.ok(id, `the card names the saved entry: ${cardText(card).slice(0, 300)}`);
  return id;
};

async function urgentEntriesOf(bot: RunningApp, tenantId: string, user: TeamsUser): Promise<StoredRecord[]> {
  const page = await bot.app.stores.decisions.query({ tenantId, decidedBy: user.aadObjectId }, 100);
  return page.items.filter((r) => r.kind === 'urgent_share');
}

async function welcomeOf(client: TeamsClient): Promise<Card> {
  const replies = await client.say('help');
  return cardOf(replies[0]!);
}

describe('urgent path: share now, record after', () => {
  let azurite: AzuriteHandle;
  let connector: FakeConnector;
  let bot: RunningApp;
  const clock = new TestClock();

  before(async () => {
    azurite = await startAzurite();
    connector = await startFakeConnector();
    bot = await startApp(azurite, { clock, env: { URGENT_FOLLOW_UP_REMINDER_HOURS: '2' } });
  });
  after(async () => {
    await bot?.stop();
    await connector?.stop();
    await azurite?.stop();
  });

  it('welcome → urgent card in one click: one entry however often it is pressed, reminders in personal chat until the linked decision is recorded', async () => {
    const practitioner = newUser('Pat Practitioner');
    const personal = personalChat();
    const channel = channelRoot();
    const dm = new TeamsClient(bot.baseUrl, practitioner, personal, connector.serviceUrl);
    await install(dm);
    await install(new TeamsClient(bot.baseUrl, practitioner, channel, connector.serviceUrl));
    const tenantId = personal.tenantId;

    // Click 1 (after "help", or the card the install sent): the action on the welcome card.
    const welcome = await welcomeOf(dm);
    const action = findAction(welcome, URGENT);
    const [first, double] = await Promise.all([
      dm.execute(String(action.verb), action.data as Record<string, unknown>),
      dm.execute(String(action.verb), action.data as Record<string, unknown>),
    ]);
    for (const res of [first, double]) {
      assert.equal(res.type, CARD);
      assert.deepEqual(cardProblems(res.value), []);
      assertStepsShown(res.value);
    }
    const entryId = entryIdOf(first.value);
    assert.equal(entryIdOf(double.value), entryId, 'a double click answers with the same entry');
    const third = await dm.execute(String(action.verb), action.data as Record<string, unknown>);
    assert.equal(entryIdOf(third.value), entryId);
    assert.match(cardText(third.value), /already saved; nothing was saved twice/);

    const entries = await urgentEntriesOf(bot, tenantId, practitioner);
    assert.equal(entries.length, 1, 'exactly one urgent entry');
    const entry = entries[0]!;
    assert.equal(entry.id, entryId);
    // No names, no free text, no case: who (Entra id), when, tenant, conversation scope.
    assert.equal(entry.decidedBy.name, '');
    assert.equal(entry.decidedBy.aadObjectId, practitioner.aadObjectId);
    assert.equal(entry.scope.conversationId, personal.id);
    assert.deepEqual(entry.answers, {});
    for (const field of ['reasonsWithoutConsent', 'informationOutline', 'recipientRole', 'purposeDetail'] as const)
      assert.equal(entry[field], undefined, `${field} is not stored`);
    assert.ok(!JSON.stringify(entry).includes(practitioner.name), 'the display name is nowhere in the entry');
    const tracker = await bot.app.stores.reminders.getFollowUp(tenantId, entryId);
    assert.equal(tracker?.code, 'record_urgent_decision');
    assert.equal(tracker?.active, true);

    // The scheduler: nothing before the interval, then personal chat only, daily.
    connector.reset();
    clock.advanceHours(1);
    await bot.app.reminders.scheduler.tick();
    assert.equal(connector.posts.length, 0, 'nothing before URGENT_FOLLOW_UP_REMINDER_HOURS');
    clock.advanceHours(1.5);
    await bot.app.reminders.scheduler.tick();
    assert.equal(connector.postsTo(personal.id).length, 1, 'reminded in personal chat');
    assert.equal(connector.postsTo(channel.channelId).length, 0, 'never in the channel');
    const reminder = postedCard(connector.postsTo(personal.id)[0]!.activity)!;
    assert.deepEqual(cardProblems(reminder), []);
    assert.match(cardText(reminder), new RegExp(`urgent entry ${entryId}`));
    await bot.app.reminders.scheduler.tick();
    assert.equal(connector.postsTo(personal.id).length, 1, 'the same run is not sent twice');
    clock.advanceHours(24);
    await bot.app.reminders.scheduler.tick();
    assert.equal(connector.postsTo(personal.id).length, 2, 'repeated the next day while not recorded');

    // A colleague with the card data: cannot open the decision for it, record against it, or see it.
    const colleague = new TeamsClient(bot.baseUrl, newUser('Colleague'), personalChat(), connector.serviceUrl);
    const recordNow = findAction(reminder, 'Record the decision now');
    const refused = await colleague.execute(String(recordNow.verb), recordNow.data as Record<string, unknown>);
    assert.match(String(refused.value), /That urgent entry could not be found/);
    assert.ok(!JSON.stringify(refused).includes(practitioner.aadObjectId));
    const otherTenant = new TeamsClient(bot.baseUrl, practitioner, personalChat(TENANT_B), connector.serviceUrl);
    const elsewhere = await otherTenant.execute(String(recordNow.verb), recordNow.data as Record<string, unknown>);
    assert.match(String(elsewhere.value), /That urgent entry could not be found/);
    const badId = await dm.execute('start', { verb: 'start', u: 'D-1-<script>' });
    assert.match(cardText(badId.value), /That urgent entry could not be read/);
    // A colleague's own questionnaire with the entry id forged into its state records nothing.
    const theirs = cardOf((await colleague.say('start'))[0]!);
    const theirOutcome = await answerAll(colleague, theirs, SHARE_WITHOUT_ASKING);
    const forged = { ...(findAction(theirOutcome, 'Record this decision').data as Record<string, unknown>) };
    forged.s = { ...stateOf(theirOutcome), u: entryId };
    const forgedRes = await colleague.execute('record', { ...forged, ...RECORD_FORM });
    assert.match(cardText(forgedRes.value), /That urgent entry could not be found.*Nothing was recorded/s);
    assert.equal((await colleague.click(theirOutcome, 'Record this decision', RECORD_FORM)).type, 'AdaptiveCard');
    const colleagueDecisions = (
      await bot.app.stores.decisions.query({ tenantId, decidedBy: colleague.user.aadObjectId }, 10)
    ).items;
    assert.equal(colleagueDecisions.length, 1, 'only the colleague’s own, unforged decision');
    assert.equal(colleagueDecisions[0]!.urgentEntryId, undefined);
    assert.equal((await bot.app.stores.reminders.getFollowUp(tenantId, entryId))?.active, true, 'still open');

    // The practitioner: "Record the decision now" → the questionnaire → recorded with urgentEntryId.
    const question = await dm.click(reminder, 'Record the decision now');
    assert.match(cardText(question), /question 1 of at most/);
    assert.equal(stateOf(question).u, entryId, 'the questionnaire is linked to the entry');
    assert.ok(!(question.actions ?? []).some((a) => a.title === URGENT), 'no second urgent share from it');
    const outcome = await answerAll(dm, question, SHARE_WITHOUT_ASKING);
    const recorded = await dm.click(outcome, 'Record this decision', RECORD_FORM);
    assert.deepEqual(cardProblems(recorded), []);
    assert.match(cardText(recorded), new RegExp(`${entryId} \\(its follow-up is closed\\)`));
    const mine = (await bot.app.stores.decisions.query({ tenantId, decidedBy: practitioner.aadObjectId }, 10)).items;
    const decisions = mine.filter((r) => r.kind === 'decision');
    assert.equal(decisions.length, 1);
    assert.equal(decisions[0]!.urgentEntryId, entryId);
    const closed = await bot.app.stores.reminders.getFollowUp(tenantId, entryId);
    assert.equal(closed?.active, false);
    assert.equal(closed?.closedReason, 'decision_recorded');

    clock.advanceHours(48);
    const before = connector.postsTo(personal.id).length;
    await bot.app.reminders.scheduler.tick();
    assert.equal(connector.postsTo(personal.id).length, before, 'no reminder once the decision is recorded');
  });

  it('the first question card opens it too; a colleague pressing the same card saves their own entry, not yours', async () => {
    const practitioner = newUser('Sam Practitioner');
    const group = { ...personalChat(), id: `19:${randomUUID()}@thread.v2`, conversationType: 'groupChat' as const };
    const me = new TeamsClient(bot.baseUrl, practitioner, group, connector.serviceUrl);
    const colleague = new TeamsClient(bot.baseUrl, newUser('Colleague Two'), group, connector.serviceUrl);
    const firstQuestion = cardOf((await me.say('start'))[0]!);
    const action = findAction(firstQuestion, URGENT);
    const mine = await me.execute(String(action.verb), action.data as Record<string, unknown>);
    assertStepsShown(mine.value);
    assert.match(cardText(mine.value), /Everyone in this conversation can see this card/);
    const theirs = await colleague.execute(String(action.verb), action.data as Record<string, unknown>);
    assert.notEqual(entryIdOf(theirs.value), entryIdOf(mine.value), 'each presser has their own entry');
    const tenantId = group.tenantId;
    assert.equal((await urgentEntriesOf(bot, tenantId, practitioner)).length, 1);
    assert.equal((await urgentEntriesOf(bot, tenantId, colleague.user)).length, 1);

    // Tampered data: a clear card, the steps all the same, nothing saved.
    const tampered = await me.execute(String(action.verb), { verb: action.verb, k: '${boom}' });
    assertStepsShown(tampered.value);
    assert.match(cardText(tampered.value), /NOT SAVED: that button could not be read/);
    assert.deepEqual(cardProblems(tampered.value), []);
    assert.equal((await urgentEntriesOf(bot, tenantId, practitioner)).length, 1);
  });

  it('a decision linked but whose close failed is found by the scheduler, which closes the follow-up without reminding', async () => {
    const practitioner = newUser('Kim Practitioner');
    const personal = personalChat();
    const dm = new TeamsClient(bot.baseUrl, practitioner, personal, connector.serviceUrl);
    await install(dm);
    const action = findAction(await welcomeOf(dm), URGENT);
    const entryId = entryIdOf((await dm.execute(String(action.verb), action.data as Record<string, unknown>)).value);
    // The decision recorded straight in the store (as if the bot's close had failed after the write).
    const entry = (await bot.app.stores.decisions.get(personal.tenantId, entryId))!;
    await bot.app.stores.decisions.record({
      ...entry,
      idempotencyKey: randomUUID(),
      kind: 'decision',
      caseReference: 'CSC-2026-0099',
      urgentEntryId: entryId,
      decidedBy: { aadObjectId: practitioner.aadObjectId, name: practitioner.name },
    });
    connector.reset();
    clock.advanceHours(3);
    const result = await bot.app.reminders.scheduler.tick();
    assert.equal(connector.postsTo(personal.id).length, 0, 'no reminder for a recorded decision');
    assert.ok(result.closed >= 1);
    const tracker = await bot.app.stores.reminders.getFollowUp(personal.tenantId, entryId);
    assert.equal(tracker?.active, false);
    assert.equal(tracker?.closedReason, 'decision_recorded');
  });

  it('storage down: the card still shows the 999 line and the steps, and says the follow-up was NOT saved', async () => {
    const practitioner = newUser('Lee Practitioner');
    const dm = new TeamsClient(bot.baseUrl, practitioner, personalChat(), connector.serviceUrl);
    const action = findAction(await welcomeOf(dm), URGENT);
    await azurite.stop();
    const started = Date.now();
    const res = await dm.execute(String(action.verb), action.data as Record<string, unknown>);
    const ms = Date.now() - started;
    assert.equal(res.type, CARD);
    assert.deepEqual(cardProblems(res.value), []);
    assertStepsShown(res.value);
    assert.match(
      cardText(res.value),
      /NOT SAVED: .*neither the urgent entry nor the follow-up to record the decision was saved/s,
    );
    assert.doesNotMatch(cardText(res.value), /Urgent entry \*\*D-/);
    // The retry keeps the card's key, so pressing it once storage is back saves one entry.
    assert.deepEqual(findAction(res.value as Card, 'Try saving again').data, action.data);
    assert.ok(ms < 10_000, `answered in ${ms} ms`);
  });
});
