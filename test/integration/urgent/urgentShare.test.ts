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
import { rulePack, rulePackById } from '../../../src/domain';
import { StorageUnavailableError, type StoredRecord } from '../../../src/storage/contract';
import { PACK_UNCONFIRMED_TITLE, REVIEW_BANNER_TITLE } from '../../../src/bot/kit/rulePacks';
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

  it('the first question card opens it too; a colleague pressing the same card saves their own entry, as a new message that leaves yours alone', async () => {
    const practitioner = newUser('Sam Practitioner');
    const group = { ...personalChat(), id: `19:${randomUUID()}@thread.v2`, conversationType: 'groupChat' as const };
    const me = new TeamsClient(bot.baseUrl, practitioner, group, connector.serviceUrl);
    const colleague = new TeamsClient(bot.baseUrl, newUser('Colleague Two'), group, connector.serviceUrl);
    const tenantId = group.tenantId;
    // "start" sent as Teams sends it: the bot posts the first question card and learns its id.
    connector.reset();
    assert.ok((await me.post(me.activity({ type: 'message', text: 'start' }))).status < 300);
    await connector.waitFor(() => connector.postsTo(group.id).length > 0, 5000, 'the first question card');
    const firstQuestion = postedCard(connector.postsTo(group.id).at(-1)!.activity)! as Card;
    const myCardId = (await bot.app.stores.sessions.current(tenantId, practitioner.aadObjectId))?.card?.activityId;
    assert.ok(myCardId, 'the bot knows the id of the card it sent');
    const action = findAction(firstQuestion, URGENT);

    // F5: the colleague presses the urgent button on MY card: my card is not replaced (an invoke
    // answer replaces it for everyone); their urgent card arrives as a new message.
    const postsBefore = connector.postsTo(group.id).length;
    const theirs = await colleague.execute(String(action.verb), action.data as Record<string, unknown>, {
      replyToId: myCardId,
    });
    assert.notEqual(theirs.type, CARD, 'the clicked card (mine) is not replaced');
    assert.match(String(theirs.value), /new message/);
    const theirPosts = connector.postsTo(group.id).slice(postsBefore);
    assert.equal(theirPosts.length, 1, 'their urgent card is a new message');
    const theirCard = postedCard(theirPosts[0]!.activity)!;
    assertStepsShown(theirCard);
    assert.deepEqual(cardProblems(theirCard), []);
    assert.equal(connector.updates.length, 0, 'no message of mine was changed');

    // My own card, pressed by me: replaced in place, as before.
    const mine = await me.execute(String(action.verb), action.data as Record<string, unknown>, { replyToId: myCardId });
    assert.equal(mine.type, CARD);
    assertStepsShown(mine.value);
    assert.match(cardText(mine.value), /Everyone in this conversation can see this card/);
    assert.notEqual(entryIdOf(theirCard), entryIdOf(mine.value), 'each presser has their own entry');
    assert.equal((await urgentEntriesOf(bot, tenantId, practitioner)).length, 1);
    assert.equal((await urgentEntriesOf(bot, tenantId, colleague.user)).length, 1);

    // Tampered data: a clear card, the steps all the same, nothing saved.
    const tampered = await me.execute(
      String(action.verb),
      { verb: action.verb, k: '${boom}' },
      { replyToId: myCardId },
    );
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

  it('F3: pressed again after its decision is recorded, the card says so and names the decision; no second decision can claim the entry', async () => {
    const practitioner = newUser('Ola Practitioner');
    const personal = personalChat();
    const dm = new TeamsClient(bot.baseUrl, practitioner, personal, connector.serviceUrl);
    await install(dm);
    const tenantId = personal.tenantId;
    const action = findAction(await welcomeOf(dm), URGENT);
    const urgent = (await dm.execute(String(action.verb), action.data as Record<string, unknown>)).value as Card;
    const entryId = entryIdOf(urgent);
    const question = await dm.click(urgent, 'Record the decision now');
    const firstOutcome = await answerAll(dm, question, SHARE_WITHOUT_ASKING);
    const recorded = await dm.click(firstOutcome, 'Record this decision', RECORD_FORM);
    const decisionId = /Record id: \*\*(D-[0-9A-Z-]+)\*\*/.exec(cardText(recorded))?.[1];
    assert.ok(decisionId, 'the decision is recorded');

    // The same urgent button again: the truth, the decision named, no Record button, no promise of reminders.
    const again = await dm.execute(String(action.verb), action.data as Record<string, unknown>);
    assert.equal(again.type, CARD);
    assert.deepEqual(cardProblems(again.value), []);
    assertStepsShown(again.value);
    const text = cardText(again.value);
    assert.match(text, new RegExp(`decision is already recorded as record \\*\\*${decisionId}\\*\\*`));
    assert.match(text, /no reminder will come/);
    assert.doesNotMatch(text, /I will remind you/);
    const titles = ((again.value as Card).actions ?? []).map((a) => a.title);
    assert.ok(!titles.includes('Record the decision now'), `no Record button: ${titles.join(', ')}`);
    assert.equal((await urgentEntriesOf(bot, tenantId, practitioner)).length, 1, 'nothing saved twice');
    // The decision's own record button again (same key) still answers with that record.
    const replay = await dm.click(firstOutcome, 'Record this decision', RECORD_FORM);
    assert.match(cardText(replay), new RegExp(`Record id: \\*\\*${decisionId}\\*\\*`));

    // "Record the decision now" from the old urgent card: refused with a clear card naming the decision.
    const second = await dm.execute(
      'start',
      findAction(urgent, 'Record the decision now').data as Record<string, unknown>,
    );
    assert.equal(second.type, CARD);
    assert.match(cardText(second.value), new RegExp(`already recorded \\(record ${decisionId}\\)`));
    assert.match(cardText(second.value), /correction/);
    // A questionnaire of their own with the entry forged into its state: refused, nothing recorded.
    const own = cardOf((await dm.say('start'))[0]!);
    const outcome = await answerAll(dm, own, SHARE_WITHOUT_ASKING);
    const forged = { ...(findAction(outcome, 'Record this decision').data as Record<string, unknown>) };
    forged.s = { ...stateOf(outcome), u: entryId };
    const refused = await dm.execute('record', { ...forged, ...RECORD_FORM });
    assert.match(cardText(refused.value), /already recorded.*Nothing was recorded/s);
    const linked = (
      await bot.app.stores.decisions.query({ tenantId, decidedBy: practitioner.aadObjectId }, 50)
    ).items.filter((r) => r.kind === 'decision' && r.urgentEntryId === entryId);
    assert.equal(linked.length, 1, 'one decision claims the urgent entry');
  });

  it('third attack F1: "Record this decision" pressed three times at once (same key, another key, no key): one decision claims the entry, the others are told which', async () => {
    const practitioner = newUser('Rae Practitioner');
    const personal = personalChat();
    const dm = new TeamsClient(bot.baseUrl, practitioner, personal, connector.serviceUrl);
    await install(dm);
    const tenantId = personal.tenantId;
    const action = findAction(await welcomeOf(dm), URGENT);
    const urgent = (await dm.execute(String(action.verb), action.data as Record<string, unknown>)).value as Card;
    const entryId = entryIdOf(urgent);
    const entry = await bot.app.stores.decisions.get(tenantId, entryId);
    const day = entry!.recordedAt.slice(0, 10);
    const span = { from: day, to: new Date(Date.parse(day) + 86_400_000).toISOString().slice(0, 10) };
    const urgentRecorded = async () =>
      (await bot.app.stores.decisions.dailyCounts(tenantId, span)).reduce((n, c) => n + c.urgentRecorded, 0);
    const before = await urgentRecorded();
    const question = await dm.click(urgent, 'Record the decision now');
    const outcome = await answerAll(dm, question, SHARE_WITHOUT_ASKING);
    const data = { ...(findAction(outcome, 'Record this decision').data as Record<string, unknown>), ...RECORD_FORM };
    const { k: _key, ...withoutKey } = data;
    const presses = await Promise.all([
      dm.execute('record', data),
      dm.execute('record', { ...data, k: randomUUID() }),
      dm.execute('record', withoutKey),
    ]);
    const linked = (
      await bot.app.stores.decisions.query({ tenantId, decidedBy: practitioner.aadObjectId }, 50)
    ).items.filter((r) => r.kind === 'decision' && r.urgentEntryId === entryId);
    assert.equal(linked.length, 1, 'one decision claims the urgent entry');
    const decisionId = linked[0]!.id;
    // The others are refused: "already recorded as …" (the store's answer) or, when the first has
    // already closed the questionnaire, "out of date"; none names another record.
    for (const press of presses) {
      const text = cardText(press.value);
      const ids = [...text.matchAll(/D-\d{8}-[0-9A-Z]{6}/g)].map((m) => m[0]).filter((id) => id !== entryId);
      assert.ok(
        ids.every((id) => id === decisionId),
        `no other decision is named: ${text.slice(0, 300)}`,
      );
      assert.ok(
        text.includes(`Record id: **${decisionId}**`) ||
          /already recorded.*Nothing was recorded/s.test(text) ||
          /out of date/.test(text),
        `a clear answer: ${text.slice(0, 300)}`,
      );
    }
    assert.ok(presses.some((p) => cardText(p.value).includes(`Record id: **${decisionId}**`)));
    assert.equal((await urgentRecorded()) - before, 1, 'the entry counts as recorded once');
  });

  it('F4: the entry written but the answer lost: the card says it may not have been saved, and the scheduler gives it its follow-up', async () => {
    const practitioner = newUser('Uma Practitioner');
    const personal = personalChat();
    const dm = new TeamsClient(bot.baseUrl, practitioner, personal, connector.serviceUrl);
    await install(dm);
    const tenantId = personal.tenantId;
    const action = findAction(await welcomeOf(dm), URGENT);
    const { decisions } = bot.app.stores;
    const record = decisions.record.bind(decisions);
    // The batch commits, its response is lost.
    decisions.record = async (...args) => {
      await record(...args);
      throw new StorageUnavailableError('response lost');
    };
    let res;
    try {
      res = await dm.execute(String(action.verb), action.data as Record<string, unknown>);
    } finally {
      decisions.record = record;
    }
    assertStepsShown(res.value);
    const text = cardText(res.value);
    assert.match(text, /may not have been saved/);
    assert.match(text, /pressing again never saves twice/);
    assert.doesNotMatch(text, /neither/);
    const entries = await urgentEntriesOf(bot, tenantId, practitioner);
    assert.equal(entries.length, 1, 'the entry exists');
    const entryId = entries[0]!.id;
    assert.equal(await bot.app.stores.reminders.getFollowUp(tenantId, entryId), undefined, 'and no follow-up yet');

    // The user never presses again: the scheduler's pass for missing follow-ups creates it, and the reminder comes.
    await bot.app.reminders.scheduler.discoverFollowUps();
    const tracker = await bot.app.stores.reminders.getFollowUp(tenantId, entryId);
    assert.equal(tracker?.code, 'record_urgent_decision');
    assert.equal(tracker?.active, true);
    assert.equal(tracker?.practitionerAad, practitioner.aadObjectId);
    connector.reset();
    clock.advanceHours(3);
    await bot.app.reminders.scheduler.tick();
    const reminders = connector.postsTo(personal.id);
    assert.equal(reminders.length, 1, 'reminded in personal chat');
    assert.match(cardText(postedCard(reminders[0]!.activity)), new RegExp(`urgent entry ${entryId}`));
  });

  it('F2: at most 20 urgent entries awaiting their decision per practitioner; the 21st is refused with the 999 line and the steps', async () => {
    const practitioner = newUser('Flo Practitioner');
    const dm = new TeamsClient(bot.baseUrl, practitioner, personalChat(), connector.serviceUrl);
    await install(dm);
    const tenantId = dm.conversation.tenantId;
    const first = { verb: 'urgent.open', k: randomUUID() };
    assert.match(cardText((await dm.execute('urgent.open', first)).value), ENTRY_ID);
    for (let i = 1; i < 20; i++)
      assert.match(
        cardText((await dm.execute('urgent.open', { verb: 'urgent.open', k: randomUUID() })).value),
        ENTRY_ID,
      );
    assert.equal((await urgentEntriesOf(bot, tenantId, practitioner)).length, 20);
    const refused = await dm.execute('urgent.open', { verb: 'urgent.open', k: randomUUID() });
    assert.equal(refused.type, CARD);
    assert.deepEqual(cardProblems(refused.value), []);
    assertStepsShown(refused.value);
    assert.match(
      cardText(refused.value),
      /NOT SAVED: you already have 20 urgent entries whose decision is not yet recorded/,
    );
    assert.ok(findAction(refused.value as Card, 'Try saving again'));
    assert.equal((await urgentEntriesOf(bot, tenantId, practitioner)).length, 20, 'the 21st is not saved');
    // Pressing one already saved still answers with its entry.
    assert.match(cardText((await dm.execute('urgent.open', first)).value), /already saved; nothing was saved twice/);
    // A colleague is not held by someone else's count.
    const colleague = new TeamsClient(bot.baseUrl, newUser('Gil Colleague'), personalChat(), connector.serviceUrl);
    assert.match(
      cardText((await colleague.execute('urgent.open', { verb: 'urgent.open', k: randomUUID() })).value),
      ENTRY_ID,
    );
  });

  it("F2: one practitioner's 20 due reminders (1 per second to their chat) do not hold back another tenant's reminder", async () => {
    // Flo's 20 open entries (the test above) fall due with one of tenant B's.
    const other = newUser('Hal Practitioner');
    const bChat = personalChat(TENANT_B);
    const b = new TeamsClient(bot.baseUrl, other, bChat, connector.serviceUrl);
    await install(b);
    assert.match(cardText((await b.execute('urgent.open', { verb: 'urgent.open', k: randomUUID() })).value), ENTRY_ID);
    connector.reset();
    clock.advanceHours(3);
    const started = performance.now();
    await bot.app.reminders.scheduler.tick();
    const delivered = connector.delivered();
    const bIndex = delivered.findIndex((p) => p.conversationId === bChat.id);
    assert.ok(bIndex >= 0, "tenant B's reminder was sent");
    const bAfterMs = delivered[bIndex]!.at - started;
    console.log(
      `F2: ${delivered.length} reminders in the tick; tenant B's was #${bIndex + 1}, after ${Math.round(bAfterMs)} ms`,
    );
    assert.ok(delivered.length >= 21, `the flood was sent too (${delivered.length})`);
    // Before: due items in partition order through 8 slots, each held by Flo's 1-per-second gap (B's #14, ~13 s).
    assert.ok(bIndex < 8, `B's reminder is among the first sent, not behind the flood (#${bIndex + 1})`);
    assert.ok(bAfterMs < 5_000, `B's reminder came after ${Math.round(bAfterMs)} ms`);
  });

  it('F1: tenant settings unreadable: the steps still show, nothing is saved until the pack is confirmed, and question cards say so', async () => {
    const practitioner = newUser('Val Practitioner');
    const personal = personalChat(TENANT_B);
    const dm = new TeamsClient(bot.baseUrl, practitioner, personal, connector.serviceUrl);
    const settingsStore = bot.app.stores.tenantSettings;
    const current = await settingsStore.get(TENANT_B);
    await settingsStore.save(
      TENANT_B,
      { rulePackId: 'england-2024', approvals: current?.approvals ?? [], updatedBy: 'test' },
      current?.etag,
    );
    // Whatever this instance remembered of the tenant's settings is long past.
    clock.advanceHours(1);
    const welcome = await welcomeOf(dm);
    clock.advanceHours(1);
    const action = findAction(welcome, URGENT);
    const get = settingsStore.get.bind(settingsStore);
    settingsStore.get = () => Promise.reject(new StorageUnavailableError('tenantsettings down'));
    let down;
    let question: Card;
    try {
      down = await dm.execute(String(action.verb), action.data as Record<string, unknown>);
      question = cardOf((await dm.say('start'))[0]!);
    } finally {
      settingsStore.get = get;
    }
    assert.equal(down.type, CARD);
    assert.deepEqual(cardProblems(down.value), []);
    const text = cardText(down.value);
    assert.match(text, /call 999 now/);
    assert.ok(text.includes(PACK_UNCONFIRMED_TITLE), 'the card says the pack could not be confirmed');
    assert.match(text, /NOT SAVED: your organisation's rule pack could not be confirmed/);
    assert.doesNotMatch(text, /Urgent entry \*\*D-/);
    const steps = (rulePackById('england-2024') ?? rulePack).urgentShare.steps.map((st) => st.text);
    const defaults = rulePack.urgentShare.steps.map((st) => st.text);
    assert.ok(steps.every((t) => text.includes(t)) || defaults.every((t) => text.includes(t)), 'the steps are shown');
    assert.equal((await urgentEntriesOf(bot, TENANT_B, practitioner)).length, 0, 'nothing saved under a guessed pack');
    assert.ok(cardText(question).includes(PACK_UNCONFIRMED_TITLE), 'the question card says so too');

    // Storage back: the same button saves one entry, under the tenant's own pack, with its banner.
    const saved = await dm.click(down.value as Card, 'Try saving again');
    assert.match(cardText(saved), ENTRY_ID);
    assert.ok(!cardText(saved).includes(PACK_UNCONFIRMED_TITLE));
    assert.ok(cardText(saved).includes(REVIEW_BANNER_TITLE), 'the draft pack is not approved: banner');
    const entries = await urgentEntriesOf(bot, TENANT_B, practitioner);
    assert.equal(entries.length, 1);
    assert.equal(entries[0]!.rulePackId, 'england-2024');
    const after = await settingsStore.get(TENANT_B);
    await settingsStore.save(TENANT_B, { approvals: after?.approvals ?? [], updatedBy: 'test' }, after?.etag);
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
      // The tenant's pack cannot be read either: nothing is tried, and the card says so.
      /NOT SAVED: your organisation's rule pack could not be confirmed .*nothing was saved.*pressing again never saves twice/s,
    );
    assert.doesNotMatch(cardText(res.value), /Urgent entry \*\*D-/);
    // The retry keeps the card's key, so pressing it once storage is back saves one entry.
    assert.deepEqual(findAction(res.value as Card, 'Try saving again').data, action.data);
    assert.ok(ms < 10_000, `answered in ${ms} ms`);
  });
});
