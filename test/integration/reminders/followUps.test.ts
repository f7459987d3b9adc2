/**
 * Follow-ups the guidance requires:
 *  - a share without consent, person not yet told → reminders after FOLLOW_UP_REMINDER_HOURS in the
 *    practitioner's personal chat and the team channel, daily, until a linked follow-up is recorded;
 *  - "withdraw consent <case>" → a consent_withdrawn entity, the earlier shares listed, and one
 *    follow_up_party_informed entity per "Told them", linked to its share.
 * Time is injected (BotServices.now) so "72 hours later" takes no time.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startAzurite, type AzuriteHandle } from '../../support/azurite';
import { cardOf, cardText, newUser, personalChat, TeamsClient, TENANT_B } from '../../support/botHarness';
import { startFakeConnector, type FakeConnector } from '../../support/fakeConnector';
import { cardProblems } from '../../support/cardValidation';
import {
  channelRoot,
  executeActions,
  install,
  postedCard,
  shareWithoutConsent,
  startApp,
  TestClock,
  threadIn,
  type RunningApp,
} from './support';

describe('follow-up reminders and consent withdrawal', () => {
  let azurite: AzuriteHandle;
  let connector: FakeConnector;
  let bot: RunningApp;
  const clock = new TestClock();

  before(async () => {
    azurite = await startAzurite();
    connector = await startFakeConnector();
    bot = await startApp(azurite, { clock });
  });
  after(async () => {
    await bot?.stop();
    await connector?.stop();
    await azurite?.stop();
  });

  it('reminds in personal chat and the team channel after the interval, daily, until the follow-up is recorded', async () => {
    const practitioner = newUser('Pat Practitioner');
    const personal = personalChat();
    const channel = channelRoot();
    const dm = new TeamsClient(bot.baseUrl, practitioner, personal, connector.serviceUrl);
    await install(dm);
    await install(new TeamsClient(bot.baseUrl, practitioner, channel, connector.serviceUrl));
    const decision = (
      await bot.app.stores.decisions.record(
        shareWithoutConsent({ user: practitioner, conversation: threadIn(channel) }),
      )
    ).record;
    // A share where the person was already told owes nothing.
    await bot.app.stores.decisions.record(
      shareWithoutConsent({
        user: practitioner,
        conversation: threadIn(channel),
        subjectInformed: 'yes',
        openFollowUps: [],
      }),
    );
    connector.reset();

    clock.advanceHours(71);
    await bot.app.reminders.scheduler.tick();
    assert.equal(connector.posts.length, 0, 'nothing before FOLLOW_UP_REMINDER_HOURS');

    clock.advanceHours(2); // 73 h after the decision
    await bot.app.reminders.scheduler.tick();
    assert.equal(connector.postsTo(personal.id).length, 1, 'the practitioner is reminded in personal chat');
    assert.equal(connector.postsTo(channel.channelId).length, 1, 'and in the team channel');
    assert.equal(connector.delivered().length, 2);
    const personalCard = postedCard(connector.postsTo(personal.id)[0]!.activity)!;
    const channelCard = postedCard(connector.postsTo(channel.channelId)[0]!.activity)!;
    assert.deepEqual(cardProblems(personalCard), []);
    assert.deepEqual(cardProblems(channelCard), []);
    assert.ok(cardText(personalCard).includes(decision.caseReference), 'the personal card names the case');
    assert.ok(!cardText(channelCard).includes(decision.caseReference), 'the channel card does not');

    await bot.app.reminders.scheduler.tick();
    assert.equal(connector.delivered().length, 2, 'the same run is not sent twice');

    clock.advanceHours(24);
    await bot.app.reminders.scheduler.tick();
    assert.equal(connector.postsTo(personal.id).length, 2, 'repeated the next day');
    assert.equal(connector.postsTo(channel.channelId).length, 2);

    // A colleague who is not a manager may not record it.
    const colleague = new TeamsClient(bot.baseUrl, newUser('Colleague'), threadIn(channel), connector.serviceUrl);
    const told = executeActions(personalCard).find((a) => a.title === 'They have been told')!;
    const refused = await colleague.execute(told.verb, told.data);
    assert.match(String(refused.value), /Only the practitioner who recorded this decision, or a manager/);
    // Forged card data pointing at another tenant's id is simply not found.
    const otherTenant = new TeamsClient(bot.baseUrl, practitioner, personalChat(TENANT_B), connector.serviceUrl);
    const notFound = await otherTenant.execute(told.verb, told.data);
    assert.match(String(notFound.value), /could not be found/);
    const tampered = await dm.execute(told.verb, { ...told.data, r: 'not-an-id' });
    assert.match(String(tampered.value), /could not be read/);

    // "They will not be told" needs a reason; then the practitioner records it in one click.
    const notTelling = executeActions(personalCard).find((a) => a.title === 'They will not be told')!;
    const noReason = await dm.execute(notTelling.verb, notTelling.data);
    assert.match(cardText(noReason.value), /say why/);
    const res = await dm.execute(told.verb, told.data);
    assert.equal(res.type, 'application/vnd.microsoft.card.adaptive');
    assert.match(cardText(res.value), /Follow-up recorded/);
    assert.deepEqual(cardProblems(res.value), []);
    const again = await dm.execute(told.verb, told.data);
    assert.match(cardText(again.value), /already recorded/);

    const history = await bot.app.stores.decisions.byCase(decision.scope.tenantId, decision.caseReference);
    const followUps = history.filter((r) => r.kind === 'follow_up_subject_informed');
    assert.equal(followUps.length, 1, 'exactly one follow-up entity');
    assert.equal(followUps[0]!.parentId, decision.id);
    assert.equal(followUps[0]!.subjectInformed, 'yes');
    assert.equal(followUps[0]!.decidedBy.aadObjectId, practitioner.aadObjectId);
    const original = await bot.app.stores.decisions.get(decision.scope.tenantId, decision.id);
    assert.deepEqual(original, decision, 'the decision itself is never changed');

    connector.reset();
    clock.advanceHours(48);
    await bot.app.reminders.scheduler.tick();
    assert.equal(connector.posts.length, 0, 'no more reminders once the follow-up is recorded');
    assert.equal((await bot.app.stores.reminders.getFollowUp(decision.scope.tenantId, decision.id))?.active, false);
  });

  it('stops reminding when the follow-up is recorded by any route (checked at send time)', async () => {
    const practitioner = newUser('Alex Practitioner');
    const personal = personalChat();
    await install(new TeamsClient(bot.baseUrl, practitioner, personal, connector.serviceUrl));
    const decision = (
      await bot.app.stores.decisions.record(shareWithoutConsent({ user: practitioner, conversation: personal }))
    ).record;
    await bot.app.reminders.scheduler.discoverFollowUps();
    // Recorded directly (e.g. by another client), without going through the card.
    await bot.app.stores.decisions.record({
      ...shareWithoutConsent({ user: practitioner, conversation: personal, caseReference: decision.caseReference }),
      kind: 'follow_up_subject_informed',
      parentId: decision.id,
      subjectInformed: 'not_informing',
      subjectNotInformedReason: 'Telling them would put the child at risk',
      openFollowUps: [],
    });
    connector.reset();
    clock.advanceHours(24 * 10);
    await bot.app.reminders.scheduler.tick();
    assert.equal(connector.postsTo(personal.id).length, 0);
    assert.equal(
      (await bot.app.stores.reminders.getFollowUp(decision.scope.tenantId, decision.id))?.closedReason,
      'follow_up_recorded',
    );
  });

  it('withdraw consent lists the earlier shares and records each party informed as a linked entity', async () => {
    const practitioner = newUser('Jo Practitioner');
    const colleague = newUser('Colleague Two');
    const personal = personalChat();
    const dm = new TeamsClient(bot.baseUrl, practitioner, personal, connector.serviceUrl);
    const caseReference = 'CS-W1234';
    const share1 = (
      await bot.app.stores.decisions.record(
        shareWithoutConsent({ user: practitioner, conversation: personal, caseReference, recipientAgency: 'police' }),
      )
    ).record;
    const share2 = (
      await bot.app.stores.decisions.record(
        shareWithoutConsent({
          user: practitioner,
          conversation: personal,
          caseReference: 'cs-w1234',
          recipientAgency: 'health',
          decision: 'share_with_consent',
          openFollowUps: [],
        }),
      )
    ).record;
    await bot.app.stores.decisions.record(
      shareWithoutConsent({ user: colleague, conversation: personalChat(), caseReference, recipientAgency: 'housing' }),
    );

    const [reply] = await dm.say(`withdraw consent ${caseReference}`);
    const card = cardOf(reply!);
    assert.deepEqual(cardProblems(card), []);
    const text = cardText(card);
    assert.match(text, /Consent withdrawn — case CS-W1234/);
    assert.match(text, /Police/);
    assert.match(text, /Health/);
    assert.doesNotMatch(text, /Housing/, "a colleague's share is not shown to a non-manager");
    assert.match(text, /1 other share\(s\) on this case were recorded by colleagues/);
    assert.match(text, /0 of 2 recipient\(s\) told/);
    const toldButtons = executeActions(card).filter((a) => a.verb === 'followUp.partyInformed');
    assert.equal(toldButtons.length, 2, 'one "Told them" per recipient');
    assert.ok(toldButtons.every((b) => b.title === 'Told them'));

    const withdrawalId = String(toldButtons[0]!.data.w);
    const withdrawal = await bot.app.stores.decisions.get(personal.tenantId, withdrawalId);
    assert.equal(withdrawal?.kind, 'consent_withdrawn');
    assert.equal(withdrawal?.consentStatus, 'withdrawn');
    assert.deepEqual(withdrawal?.openFollowUps, ['inform_all_parties_consent_withdrawn']);

    // Typing it again shows the same withdrawal rather than recording a second one.
    const [again] = await dm.say(`withdraw consent ${caseReference}`);
    assert.equal(executeActions(cardOf(again!)).find((a) => a.verb === 'followUp.partyInformed')?.data.w, withdrawalId);

    const policeButton = toldButtons.find((b) => b.data.s === share1.id)!;
    const updated = await dm.execute(policeButton.verb, policeButton.data);
    assert.match(cardText(updated.value), /1 of 2 recipient\(s\) told/);
    assert.deepEqual(cardProblems(updated.value), []);
    assert.equal(
      executeActions(updated.value).filter((a) => a.verb === 'followUp.partyInformed').length,
      1,
      'the told one has no button any more',
    );
    await dm.execute(policeButton.verb, policeButton.data); // a double click records nothing more

    // Card data is untrusted: a share from another case is refused.
    const otherCase = (
      await bot.app.stores.decisions.record(
        shareWithoutConsent({ user: practitioner, conversation: personal, caseReference: 'CS-OTHER' }),
      )
    ).record;
    const forged = await dm.execute('followUp.partyInformed', { w: withdrawalId, s: otherCase.id });
    assert.match(String(forged.value), /could not be found/);

    const healthButton = toldButtons.find((b) => b.data.s === share2.id)!;
    const done = await dm.execute(healthButton.verb, healthButton.data);
    assert.match(cardText(done.value), /All 2 recipient\(s\) have been told/);

    const history = await bot.app.stores.decisions.byCase(personal.tenantId, caseReference);
    const informed = history.filter((r) => r.kind === 'follow_up_party_informed');
    assert.equal(informed.length, 2, 'one linked entity per recipient, none duplicated');
    assert.deepEqual(new Set(informed.map((r) => r.parentId)), new Set([share1.id, share2.id]));
    assert.deepEqual(new Set(informed.map((r) => r.recipientAgency)), new Set(['police', 'health']));
    assert.equal(history.filter((r) => r.kind === 'consent_withdrawn').length, 1);

    // Refresh re-renders from storage.
    const refreshed = await dm.execute('followUp.withdrawalStatus', { w: withdrawalId });
    assert.match(cardText(refreshed.value), /All 2 recipient\(s\) have been told/);

    // In a channel the command is refused (it would list the case's shares to everyone).
    const inChannel = new TeamsClient(bot.baseUrl, practitioner, threadIn(channelRoot()), connector.serviceUrl);
    const [refused] = await inChannel.say(`withdraw consent ${caseReference}`);
    assert.match(cardText(cardOf(refused!)), /personal chat/);
  });

  it('third attack F2: three simultaneous "withdraw consent" for one case make one withdrawal, counted once', async () => {
    const practitioner = newUser('Sam Practitioner');
    const personal = personalChat();
    const dm = new TeamsClient(bot.baseUrl, practitioner, personal, connector.serviceUrl);
    const caseReference = `CS-F2${Date.now() % 100000}`;
    await bot.app.stores.decisions.record(
      shareWithoutConsent({ user: practitioner, conversation: personal, caseReference }),
    );
    const replies = await Promise.all([1, 2, 3].map(() => dm.say(`withdraw consent ${caseReference}`)));
    const history = await bot.app.stores.decisions.byCase(personal.tenantId, caseReference);
    const withdrawals = history.filter((r) => r.kind === 'consent_withdrawn');
    assert.equal(withdrawals.length, 1, 'one withdrawal');
    for (const [reply] of replies) {
      const w = executeActions(cardOf(reply!)).find((a) => a.verb === 'followUp.partyInformed')?.data.w;
      assert.equal(w, withdrawals[0]!.id, 'every answer shows that withdrawal');
    }
  });

  it('third attack F3: a withdrawal typed in personal chat counts under the team of the decision it withdraws', async () => {
    const practitioner = newUser('Tam Practitioner');
    const personal = personalChat();
    const channel = channelRoot();
    const dm = new TeamsClient(bot.baseUrl, practitioner, personal, connector.serviceUrl);
    const caseReference = `CS-F3${Date.now() % 100000}`;
    await bot.app.stores.decisions.record(
      shareWithoutConsent({ user: practitioner, conversation: threadIn(channel), caseReference }),
    );
    await dm.say(`withdraw consent ${caseReference}`);
    const [withdrawal] = (await bot.app.stores.decisions.byCase(personal.tenantId, caseReference)).filter(
      (r) => r.kind === 'consent_withdrawn',
    );
    assert.ok(withdrawal, 'the withdrawal is recorded');
    const from = withdrawal.recordedAt.slice(0, 10);
    const to = new Date(Date.parse(from) + 86_400_000).toISOString().slice(0, 10);
    const team = await bot.app.stores.decisions.dailyCounts(personal.tenantId, { from, to, teamId: channel.teamId });
    assert.equal(
      team.reduce((n, c) => n + c.withdrawn, 0),
      1,
      "counted in the team's figure",
    );
  });
});
