/**
 * The urgent card's truthfulness when storage fails part-way, on in-memory stores over HTTP: the
 * records store refusing a write, or the entry saved and its follow-up not. Each time the card
 * shows the 999 line and the steps, says exactly what was and was not saved, and its retry button
 * (same key) saves the entry once and the follow-up with it. Nothing personal is logged.
 * (The whole path on Azurite: test/integration/urgent/urgentShare.test.ts.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rulePack } from '../../src/domain';
import { StorageUnavailableError } from '../../src/storage/contract';
import { TeamsClient, cardText, newUser, personalChat, type Card } from '../support/botHarness';
import { cardProblems } from '../support/cardValidation';
import { say, startFeatureBot, type FeatureBot } from './support';

const URGENT = 'A child is at immediate risk — I need to share now';

function assertStepsShown(card: Card): void {
  assert.deepEqual(cardProblems(card), []);
  const text = cardText(card);
  assert.ok(text.includes(rulePack.urgentShare.immediateDanger));
  for (const step of rulePack.urgentShare.steps) assert.ok(text.includes(step.text), step.id);
}

describe('feature: urgent share when storage fails', () => {
  let bot: FeatureBot;

  before(async () => {
    bot = await startFeatureBot();
  });
  after(async () => {
    await bot?.stop();
  });

  const urgentEntries = async (client: TeamsClient) =>
    (
      await bot.stores.decisions.query(
        { tenantId: client.conversation.tenantId, decidedBy: client.user.aadObjectId },
        50,
      )
    ).items.filter((r) => r.kind === 'urgent_share');

  it('records store down: NOT SAVED with the steps; the retry saves one entry and its follow-up', async () => {
    const user = newUser('Robin Practitioner');
    const dm = new TeamsClient(bot.baseUrl, user, personalChat());
    const welcome = await say(dm, 'help');
    const { decisions } = bot.stores;
    const record = decisions.record.bind(decisions);
    decisions.record = () => Promise.reject(new StorageUnavailableError('injected outage'));
    let down: Card;
    try {
      down = await dm.click(welcome, URGENT);
    } finally {
      decisions.record = record;
    }
    assertStepsShown(down);
    assert.match(cardText(down), /NOT CONFIRMED: .*may not have been saved.*pressing again never saves twice/s);
    assert.equal((await urgentEntries(dm)).length, 0, 'nothing partial');

    const saved = await dm.click(down, 'Try saving again');
    assertStepsShown(saved);
    const id = /Urgent entry \*\*(D-[0-9A-Z-]+)\*\* saved/.exec(cardText(saved))?.[1];
    assert.ok(id);
    assert.equal((await urgentEntries(dm)).length, 1);
    assert.equal((await bot.stores.reminders.getFollowUp(dm.conversation.tenantId, id))?.active, true);
    const again = await dm.click(welcome, URGENT);
    assert.match(cardText(again), /already saved/);
    assert.equal((await urgentEntries(dm)).length, 1, 'the welcome card’s key saved one entry in all');
  });

  it('entry saved, follow-up not: the card says the follow-up was NOT SAVED; the retry saves it without a second entry', async () => {
    const user = newUser('Alex Practitioner');
    const dm = new TeamsClient(bot.baseUrl, user, personalChat());
    const welcome = await say(dm, 'help');
    const { reminders } = bot.stores;
    const ensure = reminders.ensureFollowUp.bind(reminders);
    reminders.ensureFollowUp = () => Promise.reject(new StorageUnavailableError('injected outage'));
    let partial: Card;
    try {
      partial = await dm.click(welcome, URGENT);
    } finally {
      reminders.ensureFollowUp = ensure;
    }
    assertStepsShown(partial);
    const text = cardText(partial);
    assert.match(
      text,
      /Urgent entry \*\*D-[0-9A-Z-]+\*\* saved, but its follow-up to record the decision was NOT SAVED/,
    );
    const [entry] = await urgentEntries(dm);
    assert.ok(entry);
    assert.equal(await reminders.getFollowUp(entry.scope.tenantId, entry.id), undefined, 'no follow-up yet');

    const fixed = await dm.click(partial, 'Save the follow-up again');
    assert.doesNotMatch(cardText(fixed), /NOT SAVED/);
    assert.equal((await urgentEntries(dm)).length, 1, 'still one entry');
    const tracker = await reminders.getFollowUp(entry.scope.tenantId, entry.id);
    assert.equal(tracker?.code, 'record_urgent_decision');
    assert.equal(tracker?.active, true);

    for (const line of bot.logs) assert.ok(!JSON.stringify(line).includes(user.name), 'no name in the logs');
  });
});
