/**
 * ALLOWED_TENANT_IDS: an activity from any other tenant gets no data — a message gets only "not
 * available to your organisation", a card action gets no card, an install gets no welcome, and every
 * other activity type (uninstall, members added or removed, typing, other invokes) goes through the
 * same check — nothing is written, and a warning names the tenant id but carries no personal data.
 * Real restify + real Azurite; authentication is off here (no app id) so the tenant check alone is
 * what refuses.
 */
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
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
} from '../../support/botHarness';
import { repliesIn, spyOnTurns, storageSnapshot, type TurnSpy } from './support';

const REFUSAL = 'This bot is not available to your organisation.';
const CARD = 'application/vnd.microsoft.card.adaptive';

let bot: BotHarness;
let spy: TurnSpy;
const outsider = newUser('Olivia Outsider');
const insider = newUser('Ian Insider');
let outsiderClient: TeamsClient;
let insiderClient: TeamsClient;

/** Every string in the outsider's activities that is about a person or what they typed. */
function personalStrings(activity: Record<string, unknown>): string[] {
  const conversation = activity.conversation as { id: string };
  return [outsider.name, outsider.aadObjectId, outsider.id, conversation.id, String(activity.text ?? '')].filter(
    (s) => s.length > 3,
  );
}

/** Sends, then checks the refusal was logged once with the tenant id and nothing personal. */
async function sendRefused(
  activity: Record<string, unknown>,
  expectedTenant: string | null,
): Promise<{ status: number; body: unknown }> {
  const rowsBefore = await storageSnapshot(bot);
  const logsBefore = bot.logs.length;
  const res = await outsiderClient.post(activity);
  assert.deepEqual(await storageSnapshot(bot), rowsBefore, 'nothing was written to storage');
  const newLogs = bot.logs.slice(logsBefore);
  const warnings = newLogs.filter((l) => l.event === 'tenant.refused');
  assert.equal(warnings.length, 1, `one tenant.refused line; got ${JSON.stringify(newLogs)}`);
  assert.equal(warnings[0]!.level, 40, 'logged as a warning');
  assert.equal(warnings[0]!.tenantId, expectedTenant);
  const logged = JSON.stringify(newLogs);
  for (const s of personalStrings(activity))
    assert.ok(!logged.includes(s), `the log must not contain ${JSON.stringify(s)}: ${logged}`);
  return res;
}

describe('security: tenant allow-list', () => {
  before(async () => {
    bot = await startBot({ ALLOWED_TENANT_IDS: TENANT_A });
    spy = spyOnTurns(bot);
    outsiderClient = new TeamsClient(bot.baseUrl, outsider, personalChat(TENANT_B));
    insiderClient = new TeamsClient(bot.baseUrl, insider, personalChat(TENANT_A));
  });

  after(async () => {
    await bot?.stop();
  });

  beforeEach(() => {
    spy.turns.length = 0;
  });

  it('a message from an allowed tenant is served (control)', async () => {
    const replies = await insiderClient.say('help');
    assert.equal(replies.length, 1);
    assert.match(cardText(cardOf(replies[0]!)), /start/i);
  });

  for (const text of [
    'help',
    'start',
    'my decisions',
    'recent decisions',
    'case ABC123 about Jane Doe',
    'export',
    'reminders',
  ]) {
    it(`a message "${text}" from another tenant gets only the refusal`, async () => {
      const activity = outsiderClient.activity({ type: 'message', text, deliveryMode: 'expectReplies' });
      const res = await sendRefused(activity, TENANT_B);
      assert.equal(res.status, 200);
      const replies = repliesIn(res.body);
      assert.equal(replies.length, 1, JSON.stringify(replies));
      assert.equal(replies[0]!.text, REFUSAL);
      assert.equal(replies[0]!.attachments, undefined, 'no card or file');
    });
  }

  it('a card action (invoke) from another tenant gets no card, only the refusal', async () => {
    const invoke = outsiderClient.activity({
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', id: randomUUID(), verb: 'records.mine', data: {} } },
    });
    const res = await sendRefused(invoke, TENANT_B);
    assert.equal(res.status, 200);
    const body = res.body as { statusCode: number; type: string; value: unknown };
    assert.notEqual(body.type, CARD);
    assert.doesNotMatch(JSON.stringify(body), new RegExp(CARD.replace(/[./]/g, '\\$&')));
    assert.equal(body.value, REFUSAL);
  });

  it('a message in a team channel of another tenant gets only the refusal', async () => {
    const channelClient = new TeamsClient(bot.baseUrl, outsider, teamChannel('19:other-team@thread.tacv2', TENANT_B));
    const activity = channelClient.activity({
      type: 'message',
      text: '<at>Can I share?</at> recent decisions',
      deliveryMode: 'expectReplies',
    });
    const res = await sendRefused(activity, TENANT_B);
    assert.deepEqual(
      repliesIn(res.body).map((a) => a.text),
      [REFUSAL],
    );
  });

  it('installing the app in another tenant sends no welcome card', async () => {
    const install = outsiderClient.activity({
      type: 'installationUpdate',
      action: 'add',
      deliveryMode: 'expectReplies',
    });
    const res = await sendRefused(install, TENANT_B);
    assert.equal(res.status, 200);
    assert.deepEqual(repliesIn(res.body), []);
  });

  // Every activity type goes through the same tenant check, not only the ones that answer.
  for (const [what, fields] of [
    ['uninstalling the app', { type: 'installationUpdate', action: 'remove' }],
    ['adding the bot to a conversation', { type: 'conversationUpdate', membersAdded: [{ id: '28:bot' }] }],
    ['removing the bot from a conversation', { type: 'conversationUpdate', membersRemoved: [{ id: '28:bot' }] }],
    ['a typing indicator', { type: 'typing' }],
  ] as const) {
    it(`${what} in another tenant is refused and changes nothing`, async () => {
      const res = await sendRefused(outsiderClient.activity({ ...fields, deliveryMode: 'expectReplies' }), TENANT_B);
      assert.equal(res.status, 200);
      assert.deepEqual(repliesIn(res.body), []);
    });
  }

  it('an invoke other than a card action from another tenant is refused without a body', async () => {
    const res = await sendRefused(outsiderClient.activity({ type: 'invoke', name: 'task/fetch', value: {} }), TENANT_B);
    assert.equal(res.status, 403);
  });

  it('an activity that names no tenant at all is refused too', async () => {
    const activity = outsiderClient.activity({ type: 'message', text: 'my decisions', deliveryMode: 'expectReplies' });
    delete (activity.conversation as Record<string, unknown>).tenantId;
    activity.channelData = {};
    const res = await sendRefused(activity, null);
    assert.deepEqual(
      repliesIn(res.body).map((a) => a.text),
      [REFUSAL],
    );
  });
});
