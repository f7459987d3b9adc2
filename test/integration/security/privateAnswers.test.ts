/**
 * Answers that show records only one person should see never reach the whole of a group chat or
 * channel (red-team finding: the Action.Submit fallback answers with a new message that everyone
 * in the conversation sees, and the withdrawal card lists who a case was shared with):
 *  - records lists (`records.page` / `records.apply` / `records.export`) answer an Action.Execute in
 *    a shared conversation (Teams shows it to the asker alone) but refuse the fallback there;
 *  - the withdrawal card's verbs (`followUp.withdrawalStatus`, `followUp.partyInformed`) answer in a
 *    personal chat only, like the `withdraw consent` command itself.
 * Real restify, real Azurite, Teams-shaped activities.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  TENANT_A,
  TeamsClient,
  cardOf,
  cardText,
  newUser,
  personalChat,
  startBot,
  type BotHarness,
  type TeamsConversation,
} from '../../support/botHarness';
import { executeActions, shareWithoutConsent } from '../reminders/support';

let bot: BotHarness;
const manager = newUser('Morgan Manager');
const sharer = newUser('Sam Sharer');
const group: TeamsConversation = {
  id: `19:${randomUUID()}@thread.v2`,
  conversationType: 'groupChat',
  tenantId: TENANT_A,
};
const CASE = 'PRIV-0001';
const ROLE = 'duty social worker';

/** The replies to an Action.Submit fallback message (value carries the verb), as JSON text. */
async function fallback(client: TeamsClient, verb: string, data: Record<string, unknown>): Promise<string> {
  const res = await client.post(
    client.activity({ type: 'message', value: { ...data, verb }, deliveryMode: 'expectReplies' }),
  );
  assert.equal(res.status, 200);
  return JSON.stringify((res.body as { activities?: unknown[] }).activities ?? []);
}

/** The refresh (user-specific view) data of a private-view card posted in a shared conversation. */
function refreshDataOf(card: Record<string, unknown>): Record<string, unknown> {
  const refresh = card.refresh as { action?: { data?: Record<string, unknown> } } | undefined;
  assert.ok(refresh?.action?.data, 'the card in a shared conversation is a user-specific view');
  return refresh.action.data;
}

describe('security: private answers stay private in shared conversations', () => {
  let recordId: string;

  before(async () => {
    bot = await startBot();
    await bot.app.stores.roles.grant(TENANT_A, manager.aadObjectId, 'manager');
    const share = await bot.app.stores.decisions.record({
      ...shareWithoutConsent({ user: sharer, conversation: personalChat(), caseReference: CASE }),
      recipientRole: ROLE,
    });
    recordId = share.record.id;
  });
  after(async () => bot?.stop());

  it('a records list reaches a group chat only as a user-specific view: the fallback is refused there, with nothing listed', async () => {
    const inGroup = new TeamsClient(bot.baseUrl, manager, group);
    const [reply] = await inGroup.say('recent decisions');
    const data = refreshDataOf(cardOf(reply!));
    assert.doesNotMatch(JSON.stringify(reply), new RegExp(recordId), 'the posted card itself lists nothing');

    // Action.Execute (what Teams sends for the refresh): the asker's own view, so the list is shown.
    const invoke = await inGroup.execute(String(data.verb), data);
    assert.match(JSON.stringify(invoke.value), new RegExp(recordId));

    // The Action.Submit fallback would post the list as a new message to everyone: refused.
    for (const verb of ['records.page', 'records.apply', 'records.export']) {
      const answer = await fallback(inGroup, verb, data);
      assert.match(answer, /personal chat/, verb);
      assert.doesNotMatch(
        answer,
        new RegExp(`${recordId}|${CASE}|${ROLE}`),
        `${verb} must list nothing in the group chat`,
      );
    }
  });

  it('the fallback still shows the list in a personal chat', async () => {
    const personal = new TeamsClient(bot.baseUrl, manager, personalChat());
    const [reply] = await personal.say('recent decisions');
    const card = cardOf(reply!);
    const next = executeActions(card).find((a) => a.verb === 'records.apply' || a.verb === 'records.page');
    assert.ok(next, 'the list card has a records action');
    const answer = await fallback(personal, next.verb, next.data);
    assert.match(answer, new RegExp(recordId));
  });

  it('the withdrawal card’s verbs answer only in a personal chat, by invoke and by fallback alike', async () => {
    const personal = new TeamsClient(bot.baseUrl, sharer, personalChat());
    const [reply] = await personal.say(`withdraw consent ${CASE}`);
    const card = cardOf(reply!);
    assert.match(cardText(card), new RegExp(ROLE), 'the sharer sees their recipient in the personal chat');
    const actions = executeActions(card).filter(
      (a) => a.verb === 'followUp.partyInformed' || a.verb === 'followUp.withdrawalStatus',
    );
    assert.ok(actions.length > 0, 'the withdrawal card has follow-up actions');

    const inGroup = new TeamsClient(bot.baseUrl, sharer, group);
    const before = (await bot.app.stores.decisions.byCase(TENANT_A, CASE)).length;
    for (const action of actions) {
      const invoke = JSON.stringify((await inGroup.execute(action.verb, action.data)).value);
      assert.match(invoke, /personal chat/, `${action.verb} by invoke`);
      assert.doesNotMatch(invoke, new RegExp(ROLE), `${action.verb} by invoke shows no recipient`);
      const submitted = await fallback(inGroup, action.verb, action.data);
      assert.match(submitted, /personal chat/, `${action.verb} by fallback`);
      assert.doesNotMatch(submitted, new RegExp(ROLE), `${action.verb} by fallback shows no recipient`);
    }
    assert.equal(
      (await bot.app.stores.decisions.byCase(TENANT_A, CASE)).length,
      before,
      'nothing was written from the group chat',
    );

    // In the personal chat the same actions still work.
    const status = actions.find((a) => a.verb === 'followUp.withdrawalStatus') ?? actions[0]!;
    const again = JSON.stringify((await personal.execute(status.verb, status.data)).value);
    assert.doesNotMatch(again, /Please do this in a personal chat/);
  });
});
