/**
 * The follow-up card flows on in-memory stores, with the real reminder scheduler (in-memory leases
 * and deliveries) posting to a fake Teams connector:
 *  - a share without consent, the person not yet told → after
 *    FOLLOW_UP_REMINDER_HOURS a reminder card in the practitioner's chat → "They have been told"
 *    records one linked follow-up and the reminders stop;
 *  - "withdraw consent <case>" records the withdrawal and lists the shares; "Told them" records one
 *    linked entity per recipient.
 * (The same flows on Azurite: test/integration/reminders/followUps.test.ts.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TeamsClient, cardText, newUser, personalChat } from '../support/botHarness';
import { startFakeConnector, type FakeConnector } from '../support/fakeConnector';
import { executeActions, install, postedCard, shareWithoutConsent, TestClock } from '../integration/reminders/support';
import { say, startFeatureBot, type FeatureBot } from './support';

describe('feature: follow-ups', () => {
  let connector: FakeConnector;
  let bot: FeatureBot;
  const clock = new TestClock();

  before(async () => {
    connector = await startFakeConnector();
    bot = await startFeatureBot(
      { FOLLOW_UP_REMINDER_HOURS: '72' },
      {
        now: clock.now,
        reminders: {
          // The test drives the ticks itself.
          settings: {
            enabled: true,
            scheduler: { tickCron: '0 0 0 1 1 *', discoveryIntervalMs: 0, leaseTtlMs: 2_000 },
            limits: { baseBackoffMs: 50 },
          },
        },
      },
    );
  });
  after(async () => {
    await bot?.stop();
    await connector?.stop();
  });

  it('the person not yet told: reminded after the interval; "They have been told" records one linked follow-up and stops the reminders', async () => {
    const practitioner = newUser('Pat Practitioner');
    const personal = personalChat();
    const dm = new TeamsClient(bot.baseUrl, practitioner, personal, connector.serviceUrl);
    await install(dm);
    const decision = (
      await bot.stores.decisions.record(
        shareWithoutConsent({ user: practitioner, conversation: personal, caseReference: 'CSC-FEAT-FU' }),
      )
    ).record;
    const id = decision.id;
    connector.reset();

    clock.advanceHours(71);
    await bot.app.reminders.scheduler.tick();
    assert.equal(connector.posts.length, 0, 'nothing before FOLLOW_UP_REMINDER_HOURS');
    clock.advanceHours(2);
    await bot.app.reminders.scheduler.tick();
    assert.equal(connector.postsTo(personal.id).length, 1, 'the practitioner is reminded in personal chat');
    const reminder = postedCard(connector.postsTo(personal.id)[0]!.activity)!;
    assert.ok(cardText(reminder).includes('CSC-FEAT-FU'), 'the personal card names the case');

    const told = executeActions(reminder).find((a) => a.title === 'They have been told')!;
    const res = await dm.execute(told.verb, told.data);
    assert.match(cardText(res.value), /Follow-up recorded/);
    assert.match(cardText((await dm.execute(told.verb, told.data)).value), /already recorded/);
    const followUps = (await bot.stores.decisions.byCase(personal.tenantId, 'CSC-FEAT-FU')).filter(
      (r) => r.kind === 'follow_up_subject_informed',
    );
    assert.equal(followUps.length, 1, 'exactly one follow-up entity');
    assert.equal(followUps[0]!.parentId, id);
    assert.equal(followUps[0]!.subjectInformed, 'yes');

    connector.reset();
    clock.advanceHours(48);
    await bot.app.reminders.scheduler.tick();
    assert.equal(connector.posts.length, 0, 'no more reminders once the follow-up is recorded');
    assert.equal((await bot.stores.reminders.getFollowUp(personal.tenantId, id))?.active, false);
  });

  it('"withdraw consent" records the withdrawal, lists the shares, and "Told them" records one linked entity per recipient', async () => {
    const practitioner = newUser('Jo Practitioner');
    const personal = personalChat();
    const dm = new TeamsClient(bot.baseUrl, practitioner, personal, connector.serviceUrl);
    const caseReference = 'CS-FEAT-W1';
    const police = (
      await bot.stores.decisions.record(
        shareWithoutConsent({ user: practitioner, conversation: personal, caseReference, recipientAgency: 'police' }),
      )
    ).record;
    const health = (
      await bot.stores.decisions.record(
        shareWithoutConsent({
          user: practitioner,
          conversation: personal,
          caseReference,
          recipientAgency: 'health',
          decision: 'share_with_consent',
          openFollowUps: [],
        }),
      )
    ).record;

    const card = await say(dm, `withdraw consent ${caseReference}`);
    assert.match(cardText(card), /Consent withdrawn — case CS-FEAT-W1/);
    assert.match(cardText(card), /0 of 2 recipient\(s\) told/);
    const buttons = executeActions(card).filter((a) => a.title === 'Told them');
    assert.equal(buttons.length, 2);
    const withdrawal = await bot.stores.decisions.get(personal.tenantId, String(buttons[0]!.data.w));
    assert.equal(withdrawal?.kind, 'consent_withdrawn');

    const policeButton = buttons.find((b) => b.data.s === police.id)!;
    assert.match(
      cardText((await dm.execute(policeButton.verb, policeButton.data)).value),
      /1 of 2 recipient\(s\) told/,
    );
    await dm.execute(policeButton.verb, policeButton.data); // a double click records nothing more
    const healthButton = buttons.find((b) => b.data.s === health.id)!;
    assert.match(
      cardText((await dm.execute(healthButton.verb, healthButton.data)).value),
      /All 2 recipient\(s\) have been told/,
    );

    const history = await bot.stores.decisions.byCase(personal.tenantId, caseReference);
    const informed = history.filter((r) => r.kind === 'follow_up_party_informed');
    assert.equal(informed.length, 2, 'one linked entity per recipient, none duplicated');
    assert.deepEqual(new Set(informed.map((r) => r.parentId)), new Set([police.id, health.id]));
    assert.equal(history.filter((r) => r.kind === 'consent_withdrawn').length, 1);
  });
});
