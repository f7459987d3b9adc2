/**
 * Browser e2e: the questionnaire in the Agents Playground (headless Chromium) against the real bot
 * and an in-memory Azurite. Run alone with:
 *   node --import tsx --test test/e2e/questionnaire.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startE2eStack, type E2eStack } from '../support/playground';
import {
  PLAYGROUND_USER_AAD_ID,
  POLICE_SCHEME_PATH,
  SHARE_WITHOUT_CONSENT_PATH,
  answerPath,
  assertNoPlaygroundWarnings,
  expectDecision,
  fillAndRecord,
  openPersonalChat,
  readRecord,
  startQuestionnaire,
} from './flows';

describe('questionnaire in the Teams Playground', () => {
  let stack: E2eStack;
  before(async () => {
    stack = await startE2eStack('questionnaire');
  });
  after(async () => {
    await stack?.stop();
  });

  test('share without consent: every question, the outcome, and the recorded decision in Table storage', async () => {
    const pg = stack.playground;
    await openPersonalChat(pg);
    await startQuestionnaire(pg);

    const answers = await answerPath(pg, SHARE_WITHOUT_CONSENT_PATH);
    const outcome = expectDecision(answers, 'share_without_consent_justified');
    const card = await pg.waitForCardText(outcome.title);
    await pg.waitForCardText('Record this decision', { card });
    await pg.screenshot('share-without-consent-outcome');

    const recordId = await fillAndRecord(pg, 'CSC-2026-00042', { screenshot: 'share-without-consent-recorded' });

    const record = await readRecord(stack.connectionString, recordId);
    assert.equal(record.decision, 'share_without_consent_justified');
    assert.equal(record.ruleId, outcome.ruleId);
    assert.deepEqual(record.answers, answers);
    assert.equal(record.caseReference, 'CSC-2026-00042');
    assert.equal(record.consentStatus, 'not_sought');
    assert.equal(record.recipientAgency, 'childrens_social_care');
    assert.equal(record.recipientRole, 'duty social worker');
    assert.equal(record.channel, 'secure_system');
    assert.equal(record.subjectInformed, 'will_inform');
    assert.match(record.reasonsWithoutConsent ?? '', /significant harm/);
    assert.equal(record.decidedBy.aadObjectId, PLAYGROUND_USER_AAD_ID);
    assert.equal(record.scope.conversationKind, 'personal');

    await assertNoPlaygroundWarnings(pg);
  });

  test('an offending-history enquiry is pointed to the police disclosure scheme', async () => {
    const pg = stack.playground;
    await openPersonalChat(pg);
    await startQuestionnaire(pg);

    const answers = await answerPath(pg, POLICE_SCHEME_PATH);
    const outcome = expectDecision(answers, 'police_disclosure_scheme');
    const card = await pg.waitForCardText(outcome.title);
    await pg.waitForCardText(/police/i, { card });
    await pg.screenshot('police-disclosure-scheme-outcome');

    await assertNoPlaygroundWarnings(pg);
  });
});
