/**
 * The team summary follows the real flows, on in-memory stores over HTTP: an urgent share made
 * from the welcome card is counted "not yet recorded" until the practitioner records its decision
 * from "Record the decision now"; that decision is then counted, without consent, with its review
 * date ahead (not overdue). (Figures against seeded records, the chart link and retention:
 * test/integration/summary/teamSummary.test.ts.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TENANT_A, TeamsClient, cardText, findAction, newUser, personalChat, type Card } from '../support/botHarness';
import { RECORD_FORM, SHARE_WITHOUT_ASKING } from '../support/scenarios';
import { answerAll, say, startFeatureBot, type FeatureBot } from './support';

const URGENT = 'A child is at immediate risk — I need to share now';

/** "3 · previous 0" → 3, for the fact with this title on a summary card. */
function current(card: Card, title: string): number {
  const text = cardText(card);
  const m = new RegExp(`${title.replace(/[()]/g, '\\$&')}\\n(\\d+)(?: \\([^)]*\\))? · previous \\d+`).exec(text);
  assert.ok(m, `"${title}" on the summary: ${text.slice(0, 400)}`);
  return Number(m[1]);
}

describe('feature: team summary follows the urgent path and the questionnaire', () => {
  let bot: FeatureBot;
  const manager = newUser('Mona Manager');
  const practitioner = newUser('Pat Practitioner');

  before(async () => {
    bot = await startFeatureBot({ MANAGER_AAD_OBJECT_IDS: `${TENANT_A}:${manager.aadObjectId}` });
  });
  after(async () => {
    await bot?.stop();
  });

  it('an urgent share is "not yet recorded" until its decision is recorded, which then counts', async () => {
    const boss = new TeamsClient(bot.baseUrl, manager, personalChat());
    const dm = new TeamsClient(bot.baseUrl, practitioner, personalChat());
    const empty = await say(boss, 'team summary');
    assert.equal(current(empty, 'Decisions recorded'), 0);
    assert.equal(current(empty, 'Urgent shares not yet recorded'), 0);

    const urgent = await dm.click(await say(dm, 'help'), URGENT);
    assert.match(cardText(urgent), /Urgent entry \*\*D-/);
    const pending = await say(boss, 'team summary');
    assert.equal(current(pending, 'Urgent shares not yet recorded'), 1);
    assert.equal(current(pending, 'Decisions recorded'), 0, 'an urgent entry is not a decision');

    const question = await dm.click(urgent, 'Record the decision now');
    const { card: outcome } = await answerAll(dm, question, SHARE_WITHOUT_ASKING);
    const recorded = await dm.click(outcome, 'Record this decision', RECORD_FORM);
    assert.match(cardText(recorded), /its follow-up is closed/);
    findAction(recorded, 'Correct this record'); // the recorded card, not an error

    const after = await say(boss, 'team summary');
    assert.equal(current(after, 'Urgent shares not yet recorded'), 0);
    assert.equal(current(after, 'Decisions recorded'), 1);
    assert.equal(current(after, 'Shared without consent'), 1);
    assert.equal(current(after, 'Follow-ups overdue (person not yet told)'), 0, 'its review date is ahead');
  });
});
