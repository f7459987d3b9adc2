/**
 * Browser e2e: "share now, record after" in the Agents Playground (headless Chromium) against the
 * real bot and an in-memory Azurite. One click on the welcome card (or on the first question card)
 * reaches the 999 line and the cited steps; the urgent entry is stored; "Record the decision now"
 * runs the questionnaire and the recorded decision carries the entry's id. Run alone with:
 *   node --import tsx --test test/e2e/urgent.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { rulePack } from '../../src/domain';
import { startE2eStack, type E2eStack } from '../support/playground';
import {
  PLAYGROUND_USER_AAD_ID,
  SHARE_WITHOUT_CONSENT_PATH,
  answerPath,
  assertNoPlaygroundWarnings,
  expectDecision,
  fillAndRecord,
  firstQuestionText,
  openPersonalChat,
  readRecord,
  startQuestionnaire,
} from './flows';

const URGENT = 'A child is at immediate risk — I need to share now';
const ENTRY_ID = /Urgent entry (D-\d{8}-[0-9A-Z]{6}) saved/;

describe('urgent path in the Teams Playground', () => {
  let stack: E2eStack;
  before(async () => {
    stack = await startE2eStack('urgent');
  });
  after(async () => {
    await stack?.stop();
  });

  test('welcome → one click → 999 and the cited steps; the entry is stored; its decision is recorded linked to it', async () => {
    const pg = stack.playground;
    await openPersonalChat(pg);
    await pg.clickOnCard(URGENT);
    const card = await pg.waitForCardText('Share now, record after');
    await pg.waitForCardText(ENTRY_ID, { card });
    const text = await card.innerText();
    assert.ok(text.includes(rulePack.urgentShare.immediateDanger), 'the 999 line is shown');
    for (const step of rulePack.urgentShare.steps) assert.ok(text.includes(step.text), `step "${step.id}" is shown`);
    assert.match(text, /§4 Confidentiality of Exchanges of Information/, 'the steps cite their sections');
    await pg.screenshot('urgent-card');

    const entryId = ENTRY_ID.exec(text)?.[1];
    assert.ok(entryId);
    const entry = await readRecord(stack.connectionString, entryId);
    assert.equal(entry.kind, 'urgent_share');
    assert.equal(entry.decidedBy.aadObjectId, PLAYGROUND_USER_AAD_ID);
    assert.equal(entry.decidedBy.name, '', 'no name on the urgent entry');
    assert.equal(entry.scope.conversationKind, 'personal');

    await pg.clickOnCard('Record the decision now');
    await pg.waitForCardText(firstQuestionText());
    assert.equal(
      await pg.latestCard().getByRole('button', { name: URGENT, exact: true }).count(),
      0,
      'the linked questionnaire does not offer a second urgent share',
    );
    const answers = await answerPath(pg, SHARE_WITHOUT_CONSENT_PATH);
    const outcome = expectDecision(answers, 'share_without_consent_justified');
    await pg.waitForCardText(outcome.title);
    const recordId = await fillAndRecord(pg, 'CSC-2026-00077');
    await pg.waitForCardText(`${entryId} (its follow-up is closed)`);
    await pg.screenshot('urgent-decision-recorded');
    const decision = await readRecord(stack.connectionString, recordId);
    assert.equal(decision.kind, 'decision');
    assert.equal(decision.urgentEntryId, entryId);

    await assertNoPlaygroundWarnings(pg);
  });

  test('from the first question card, the same one click', async () => {
    const pg = stack.playground;
    await openPersonalChat(pg);
    await startQuestionnaire(pg);
    await pg.clickOnCard(URGENT);
    const card = await pg.waitForCardText('Share now, record after');
    await pg.waitForCardText(ENTRY_ID, { card });
    assert.ok((await card.innerText()).includes(rulePack.urgentShare.immediateDanger));
    await pg.screenshot('urgent-from-first-question');
    await assertNoPlaygroundWarnings(pg);
  });
});
