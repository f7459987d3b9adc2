/**
 * The channel reminder card flow on in-memory stores: set up by typing in a channel, listed,
 * cancelled (only by whoever set it up), refused outside a channel, and sent by the scheduler to
 * the channel once per run. (The same flows on Azurite: test/integration/reminders/channelReminders.test.ts.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TeamsClient, cardText, newUser, personalChat } from '../support/botHarness';
import { startFakeConnector, type FakeConnector } from '../support/fakeConnector';
import {
  channelRoot,
  executeActions,
  install,
  postedCard,
  TestClock,
  threadIn,
} from '../integration/reminders/support';
import { say, startFeatureBot, type FeatureBot } from './support';

describe('feature: channel reminders', () => {
  let connector: FakeConnector;
  let bot: FeatureBot;
  const clock = new TestClock(new Date('2026-03-01T12:00:00Z')); // a Sunday
  const user = newUser('Sam Practitioner');

  before(async () => {
    connector = await startFakeConnector();
    bot = await startFeatureBot(
      {},
      {
        now: clock.now,
        reminders: {
          settings: {
            enabled: true,
            scheduler: { tickCron: '0 0 0 1 1 *', discoveryIntervalMs: 0, leaseTtlMs: 2_000 },
          },
        },
      },
    );
  });
  after(async () => {
    await bot?.stop();
    await connector?.stop();
  });

  it('sets up, lists and cancels reminders in a channel, and refuses them elsewhere', async () => {
    const channel = channelRoot();
    const inThread = new TeamsClient(bot.baseUrl, user, threadIn(channel), connector.serviceUrl);
    const created = await say(inThread, 'remind practice verify-callers weekly mon 09:00');
    assert.match(cardText(created), /Set up R-[0-9A-Z]{5}: Practice: Verify callers/);
    assert.match(cardText(created), /Mon,? 2 Mar 2026,? 09:00/);
    assert.match(cardText(await say(inThread, 'remind practice verify-callers every minute')), /could not read/);

    await say(inThread, 'remind weekly digest weekly fri 16:30');
    const stored = await bot.stores.reminders.listSchedules(channel.tenantId, channel.channelId);
    assert.deepEqual(stored.map((r) => r.kind).sort(), ['practice', 'weekly_digest']);
    const list = await say(inThread, 'reminders');
    const cancels = executeActions(list).filter((a) => a.verb === 'reminder.cancel');
    assert.equal(cancels.length, 2);

    const other = new TeamsClient(bot.baseUrl, newUser('Other'), threadIn(channel), connector.serviceUrl);
    assert.match(
      String((await other.execute('reminder.cancel', cancels[0]!.data)).value),
      /Only whoever set up this reminder/,
    );
    assert.equal(
      (await bot.stores.reminders.listSchedules(channel.tenantId, channel.channelId)).length,
      2,
      'nothing cancelled',
    );

    const afterCancel = await inThread.execute('reminder.cancel', cancels[0]!.data);
    assert.match(cardText(afterCancel.value), /Cancelled R-/);
    assert.equal(executeActions(afterCancel.value).filter((a) => a.verb === 'reminder.cancel').length, 1);
    assert.equal((await bot.stores.reminders.listSchedules(channel.tenantId, channel.channelId)).length, 1);

    const personal = new TeamsClient(bot.baseUrl, user, personalChat(), connector.serviceUrl);
    assert.match(
      cardText(await say(personal, 'remind practice verify-callers daily 09:00')),
      /set up in a team channel/,
    );
  });

  it('the scheduler sends a due reminder to its channel once per run', async () => {
    const channel = channelRoot();
    const inChannel = new TeamsClient(bot.baseUrl, user, channel, connector.serviceUrl);
    await install(inChannel);
    await say(
      new TeamsClient(bot.baseUrl, user, threadIn(channel), connector.serviceUrl),
      'remind practice secure-email weekly mon 09:00',
    );
    connector.reset();
    clock.current = new Date('2026-03-02T09:00:30Z'); // Monday 09:00 London (GMT)
    await bot.app.reminders.scheduler.tick();
    assert.equal(connector.postsTo(channel.channelId).length, 1);
    assert.match(cardText(postedCard(connector.postsTo(channel.channelId)[0]!.activity)), /secure electronic system/);
    await bot.app.reminders.scheduler.tick();
    assert.equal(connector.postsTo(channel.channelId).length, 1, 'the same run is not sent twice');
  });
});
