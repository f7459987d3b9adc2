/**
 * Channel reminders end to end: conversation references captured from Teams events, reminders set
 * up by typing in a channel, sent by the scheduler to the right conversations through a fake
 * connector — including 429 with Retry-After (retried, nothing lost) and 403 (deactivated).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startAzurite, type AzuriteHandle } from '../../support/azurite';
import { cardOf, cardText, newUser, personalChat, TeamsClient, type TeamsConversation } from '../../support/botHarness';
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

describe('channel reminders', () => {
  let azurite: AzuriteHandle;
  let connector: FakeConnector;
  let bot: RunningApp;
  const clock = new TestClock(new Date('2026-03-01T12:00:00Z')); // a Sunday
  const user = newUser('Sam Practitioner');

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

  const channel0 = channelRoot();
  /** The one digest posted to this channel since the last reset (follow-up reminders may be posted beside it). */
  const digestIn = (channelId: string) => {
    const digests = connector
      .postsTo(channelId)
      .map((p) => postedCard(p.activity))
      .filter((c) => c !== undefined && /Weekly digest: open follow-ups/.test(cardText(c)));
    assert.equal(digests.length, 1);
    return digests[0]!;
  };
  const client = (conversation: TeamsConversation) =>
    new TeamsClient(bot.baseUrl, user, conversation, connector.serviceUrl);

  it('stores a reference for personal chats and channels on install, and deactivates on removal', async () => {
    const personal = personalChat();
    await install(client(personal));
    const channel = channelRoot();
    await install(client(channel));
    const stores = bot.app.stores.conversations;
    const p = await stores.get(personal.tenantId, personal.id);
    assert.equal(p?.kind, 'personal');
    assert.equal(p?.reference.user?.aadObjectId, user.aadObjectId);
    assert.equal(p?.reference.serviceUrl, connector.serviceUrl);
    const c = await stores.get(channel.tenantId, channel.channelId);
    assert.equal(c?.kind, 'channel');
    assert.equal(c?.teamId, channel.teamId);
    assert.equal(c?.reference.conversation.id, channel.channelId, 'channels are stored under their root id');

    // The bot is removed from the team: every channel of that team goes inactive.
    const removed = await client(channel).post(
      client(channel).activity({ type: 'conversationUpdate', membersRemoved: [{ id: '28:bot' }] }),
    );
    assert.ok(removed.status < 300);
    assert.equal((await stores.get(channel.tenantId, channel.channelId))?.active, false);
    // …and added back.
    await client(channel).post(
      client(channel).activity({ type: 'conversationUpdate', membersAdded: [{ id: '28:bot' }] }),
    );
    assert.equal((await stores.get(channel.tenantId, channel.channelId))?.active, true);
    // Personal app uninstalled.
    await client(personal).post(client(personal).activity({ type: 'installationUpdate', action: 'remove' }));
    const gone = await stores.get(personal.tenantId, personal.id);
    assert.equal(gone?.active, false);
    assert.equal(gone?.inactiveReason, 'uninstalled');
  });

  it('sets up, lists and cancels reminders in a channel, and refuses them elsewhere', async () => {
    const channel = channelRoot();
    const inThread = new TeamsClient(bot.baseUrl, user, threadIn(channel), connector.serviceUrl);
    const [created] = await inThread.say('remind practice verify-callers weekly mon 09:00');
    const createdCard = cardOf(created!);
    assert.deepEqual(cardProblems(createdCard), []);
    assert.match(cardText(createdCard), /Set up R-[0-9A-Z]{5}: Practice: Verify callers/);
    assert.match(cardText(createdCard), /Mon,? 2 Mar 2026,? 09:00/);

    const [bad] = await inThread.say('remind practice verify-callers every minute');
    assert.match(cardText(cardOf(bad!)), /could not read/);
    const [tooOften] = await inThread.say('remind practice secure-email */5 * * * *');
    assert.match(cardText(cardOf(tooOften!)), /at most once an hour/);

    await inThread.say('remind weekly digest weekly fri 16:30');
    const [list] = await inThread.say('reminders');
    const listCard = cardOf(list!);
    const cancels = executeActions(listCard).filter((a) => a.verb === 'reminder.cancel');
    assert.equal(cancels.length, 2);

    // Someone else (not a manager) may not cancel it.
    const other = new TeamsClient(bot.baseUrl, newUser('Other'), threadIn(channel), connector.serviceUrl);
    const refused = await other.execute('reminder.cancel', cancels[0]!.data);
    assert.match(String(refused.value), /Only whoever set up this reminder/);

    const afterCancel = await inThread.execute('reminder.cancel', cancels[0]!.data);
    assert.match(cardText(afterCancel.value), /Cancelled R-/);
    assert.equal(executeActions(afterCancel.value).filter((a) => a.verb === 'reminder.cancel').length, 1);

    const personal = new TeamsClient(bot.baseUrl, user, personalChat(), connector.serviceUrl);
    const [notHere] = await personal.say('remind practice verify-callers daily 09:00');
    assert.match(cardText(cardOf(notHere!)), /set up in a team channel/);
  });

  it('sends due reminders to the right channels (new posts, not thread replies), once per run', async () => {
    const a = channelRoot();
    const b = channelRoot();
    for (const [ch, cmd] of [
      [a, 'remind practice secure-email weekly mon 09:00'],
      [b, 'remind practice record-consent daily 08:00'],
    ] as const) {
      await new TeamsClient(bot.baseUrl, user, threadIn(ch), connector.serviceUrl).say(cmd);
    }
    connector.reset();
    clock.current = new Date('2026-03-02T09:00:30Z'); // Monday 09:00 London (GMT)
    await bot.app.reminders.scheduler.tick();
    assert.equal(connector.postsTo(a.channelId).length, 1);
    assert.equal(connector.postsTo(b.channelId).length, 1);
    const postA = connector.postsTo(a.channelId)[0]!;
    assert.equal(postA.replyToId, undefined, 'a new post in the channel, not a reply');
    const cardA = postedCard(postA.activity);
    assert.deepEqual(cardProblems(cardA), []);
    assert.match(cardText(cardA), /secure electronic system/);
    assert.match(cardText(cardA), /§4/);
    assert.match(cardText(postedCard(connector.postsTo(b.channelId)[0]!.activity)), /Record consent status/);

    // The same tick again (or a second instance) sends nothing more.
    await bot.app.reminders.scheduler.tick();
    assert.equal(connector.delivered().length, 2);

    // Next day 08:00: only the daily one fires.
    clock.current = new Date('2026-03-03T08:00:10Z');
    await bot.app.reminders.scheduler.tick();
    assert.equal(connector.postsTo(a.channelId).length, 1);
    assert.equal(connector.postsTo(b.channelId).length, 2);
  });

  it('retries a 429 after Retry-After and delivers exactly once; 403 deactivates the conversation', async () => {
    const throttled = channelRoot();
    const forbidden = channelRoot();
    const fine = channelRoot();
    for (const ch of [throttled, forbidden, fine]) {
      await new TeamsClient(bot.baseUrl, user, threadIn(ch), connector.serviceUrl).say(
        'remind practice fax-check daily 07:00',
      );
    }
    connector.reset();
    connector.throttle(throttled.channelId, { times: 2, retryAfterSeconds: 1 });
    connector.forbid(forbidden.channelId);
    clock.current = new Date('2026-03-04T07:00:05Z');
    const started = Date.now();
    const result = await bot.app.reminders.scheduler.tick();
    const elapsed = Date.now() - started;

    const attempts = connector.posts.filter((p) => p.conversationId === throttled.channelId);
    assert.deepEqual(
      attempts.map((p) => p.status),
      [429, 429, 201],
      'two 429s, then delivered',
    );
    assert.ok(
      attempts[1]!.at - attempts[0]!.at >= 950,
      `waited for Retry-After (${Math.round(attempts[1]!.at - attempts[0]!.at)} ms)`,
    );
    assert.ok(elapsed >= 1900, 'both Retry-After waits were honoured');
    assert.equal(connector.postsTo(fine.channelId).length, 1);
    assert.equal(connector.postsTo(forbidden.channelId).length, 0);
    assert.equal(
      connector.posts.filter((p) => p.conversationId === forbidden.channelId).length,
      1,
      '403 is not retried',
    );

    const conv = await bot.app.stores.conversations.get(forbidden.tenantId, forbidden.channelId);
    assert.equal(conv?.active, false);
    assert.equal(conv?.inactiveReason, '403_forbidden');
    const gone = result.runs.find((r) => r.counts.gone === 1);
    assert.ok(gone, 'the run reports the conversation as gone');

    // Next day: the throttled channel gets exactly one more; the forbidden one is not tried and its reminder is
    // cancelled.
    connector.reset();
    clock.current = new Date('2026-03-05T07:00:05Z');
    await bot.app.reminders.scheduler.tick();
    assert.equal(connector.postsTo(throttled.channelId).length, 1);
    assert.equal(connector.posts.filter((p) => p.conversationId === forbidden.channelId).length, 0);
    const left = await bot.app.stores.reminders.listSchedules(forbidden.tenantId, forbidden.channelId);
    assert.equal(left.length, 0, 'the reminder of a channel the bot left is cancelled');
  });

  it("the weekly digest lists the team's open follow-ups", async () => {
    const channel = channelRoot();
    const otherTeam = channelRoot();
    const inThread = new TeamsClient(bot.baseUrl, user, threadIn(channel), connector.serviceUrl);
    await inThread.say('remind weekly digest weekly fri 16:30');
    const open = (await bot.app.stores.decisions.record(shareWithoutConsent({ user, conversation: threadIn(channel) })))
      .record;
    const elsewhere = (
      await bot.app.stores.decisions.record(shareWithoutConsent({ user, conversation: threadIn(otherTeam) }))
    ).record;
    await bot.app.reminders.scheduler.discoverFollowUps();
    connector.reset();
    clock.current = new Date('2026-03-06T16:30:05Z'); // Friday
    await bot.app.reminders.scheduler.tick();
    const posts = connector.postsTo(channel.channelId);
    assert.equal(posts.length, 1);
    const digest = postedCard(posts[0]!.activity)!;
    assert.deepEqual(cardProblems(digest), []);
    const text = cardText(digest);
    assert.match(text, /Weekly digest: open follow-ups/);
    assert.ok(text.includes(open.id), 'lists the open follow-up of this team');
    assert.ok(!text.includes(elsewhere.id), "does not list another team's");
    assert.ok(!text.includes(open.caseReference), 'no case references in a channel');
    // Set up by a practitioner (not a manager): the team's figures are never posted.
    assert.doesNotMatch(text, /This team, last 7 days/);
    assert.doesNotMatch(text, /Decisions recorded|Shared without consent/);
  });

  it("a manager's digest carries the team's figures, small counts suppressed; revoked, it carries none", async () => {
    const manager = newUser('Morgan Manager');
    await bot.app.stores.roles.grant(channel0.tenantId, manager.aadObjectId, 'manager');
    const inThread = new TeamsClient(bot.baseUrl, manager, threadIn(channel0), connector.serviceUrl);
    clock.current = new Date('2026-03-07T12:00:00Z'); // Saturday
    await inThread.say('remind weekly digest weekly sat 16:30');
    for (let i = 0; i < 6; i++)
      await bot.app.stores.decisions.record(shareWithoutConsent({ user, conversation: threadIn(channel0) }));
    await bot.app.reminders.scheduler.discoverFollowUps();
    connector.reset();
    clock.current = new Date('2026-03-07T16:30:05Z');
    await bot.app.reminders.scheduler.tick();
    const digest = digestIn(channel0.channelId);
    assert.deepEqual(cardProblems(digest), []);
    const text = cardText(digest);
    assert.match(text, /This team, last 7 days \(2026-03-01 to 2026-03-07\)/);
    // 6 decisions and 6 shared without consent are shown; nothing of the previous week (0) is hidden.
    assert.match(text, /Decisions recorded\n6 · previous 0/);
    assert.match(text, /Shared without consent\n6 \(100%\) · previous 0 \(—\)/);
    // Follow-ups are not yet overdue (0); consents withdrawn 0: zero is shown.
    assert.match(text, /Consents withdrawn\n0 · previous 0/);
    assert.match(text, /fewer than 5/, 'the card says how small counts are shown');

    // One more week with 2 decisions: both counts are "fewer than 5", and no percentage from them.
    clock.current = new Date('2026-03-10T12:00:00Z');
    for (let i = 0; i < 2; i++)
      await bot.app.stores.decisions.record(shareWithoutConsent({ user, conversation: threadIn(channel0) }));
    connector.reset();
    clock.current = new Date('2026-03-14T16:30:05Z');
    await bot.app.reminders.scheduler.tick();
    const second = cardText(digestIn(channel0.channelId));
    assert.match(second, /Decisions recorded\nfewer than 5 · previous 6/);
    assert.match(second, /Shared without consent\nfewer than 5 · previous 6 \(100%\)/);
    assert.doesNotMatch(second, /\b2 \(|\(100%\) · previous/);

    // The role is revoked: the next digest goes out without the figures.
    await bot.app.stores.roles.revoke(channel0.tenantId, manager.aadObjectId);
    connector.reset();
    clock.current = new Date('2026-03-21T16:30:05Z');
    await bot.app.reminders.scheduler.tick();
    const third = cardText(digestIn(channel0.channelId));
    assert.match(third, /Weekly digest: open follow-ups/);
    assert.doesNotMatch(third, /Decisions recorded/);
  });
});
