/**
 * Browser e2e: a tenant switches its rule pack in the Agents Playground (headless Chromium),
 * against the real bot (with the draft fixture pack installed) and an in-memory Azurite. One
 * questionnaire is completed on each pack; the draft pack's cards carry the review banner until an
 * admin approves it, and each record keeps the pack it was decided under. Run alone with:
 *   node --import tsx --test test/e2e/tenantRulePacks.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TableClient } from '@azure/data-tables';
import { normaliseAadId } from '../../src/bot/kit/ids';
import { REVIEW_BANNER_TITLE } from '../../src/bot/kit/rulePacks';
import { RULE_PACK_VERSION } from '../../src/domain';
import { TableRoleStore } from '../../src/storage/roleStore';
import { startE2eStack, type E2eStack } from '../support/playground';
import { DRAFT_PACK_ID, DRAFT_PACK_VERSION, DRAFT_SAFETY_LINE } from '../support/fixturePacks';
import {
  assertNoPlaygroundWarnings,
  firstQuestionText,
  openPersonalChat,
  readRecord,
  recordShareWithoutConsent,
  startQuestionnaire,
} from './flows';

/** Makes the Playground's user an admin of its tenant, as a "grant" by IT would leave the roles table. */
async function grantAdminRole(connectionString: string, tenantId: string, aadObjectId: string): Promise<void> {
  const roles = new TableRoleStore(
    TableClient.fromConnectionString(connectionString, 'roles', { allowInsecureConnection: true }),
  );
  await roles.grant(tenantId, normaliseAadId(aadObjectId), 'admin');
}

describe('a tenant switches rule pack in the Teams Playground', () => {
  let stack: E2eStack;
  before(async () => {
    stack = await startE2eStack('tenant-rule-packs', { botEntry: 'test/support/fixturePackBot.ts' });
  });
  after(async () => {
    await stack?.stop();
  });

  test('one questionnaire on the 2015 pack, the switch, one on the draft pack with its banner, then approval', async () => {
    const pg = stack.playground;
    await openPersonalChat(pg);

    // On the default pack: no banner, and the record keeps the 2015 pack.
    await startQuestionnaire(pg);
    const firstCard = await pg.waitForCardText(firstQuestionText());
    assert.doesNotMatch(await firstCard.innerText(), new RegExp(REVIEW_BANNER_TITLE));
    const before2015 = await readRecord(stack.connectionString, await recordShareWithoutConsent(pg, 'CSC-2015-0001'));
    assert.equal(before2015.rulePackId, '2015-local');
    assert.equal(before2015.rulePackVersion, RULE_PACK_VERSION);
    await pg.screenshot('tenant-packs-1-recorded-on-2015');

    // The Playground's user is made an admin of its tenant; a practitioner could not do what follows.
    await pg.sendMessage(`use rule pack ${DRAFT_PACK_ID}`);
    await pg.waitForCardText('Admins only');
    await grantAdminRole(stack.connectionString, before2015.scope.tenantId, before2015.decidedBy.aadObjectId);

    await pg.sendMessage('rule pack');
    const packs = await pg.waitForCardText('Available rule packs');
    assert.match(await packs.innerText(), new RegExp(`${DRAFT_PACK_ID}[\\s\\S]*not yet approved`));
    await pg.screenshot('tenant-packs-2-available', { card: packs });

    await pg.sendMessage(`use rule pack ${DRAFT_PACK_ID}`);
    await pg.waitForCardText('Rule pack changed');
    await pg.screenshot('tenant-packs-3-switched');

    // On the draft pack: every card says it is a draft, the outcome carries the pack's own safety line.
    await startQuestionnaire(pg);
    const draftQuestion = await pg.waitForCardText(firstQuestionText());
    await pg.waitForCardText(REVIEW_BANNER_TITLE, { card: draftQuestion });
    await pg.screenshot('tenant-packs-4-draft-question');
    const onDraft = await readRecord(stack.connectionString, await recordShareWithoutConsent(pg, 'CSC-2024-0002'));
    const recorded = await pg.waitForCardText('Decision recorded');
    await pg.waitForCardText(REVIEW_BANNER_TITLE, { card: recorded });
    // The safety line is the pack's own, not the bot's.
    await pg.waitForCardText(DRAFT_SAFETY_LINE, { card: recorded });
    await pg.screenshot('tenant-packs-5-recorded-on-draft', { card: recorded });
    assert.equal(onDraft.rulePackId, DRAFT_PACK_ID);
    assert.equal(onDraft.rulePackVersion, DRAFT_PACK_VERSION);
    assert.equal(onDraft.decision, 'share_without_consent_justified');

    // Approved: the banner is gone from the next questionnaire.
    await pg.sendMessage(`approve rule pack ${DRAFT_PACK_ID}`);
    await pg.waitForCardText('Rule pack approved');
    await startQuestionnaire(pg);
    const approvedQuestion = await pg.waitForCardText(firstQuestionText());
    assert.doesNotMatch(await approvedQuestion.innerText(), new RegExp(REVIEW_BANNER_TITLE));
    assert.doesNotMatch(await approvedQuestion.innerText(), /TEST DRAFT PACK/);
    await pg.screenshot('tenant-packs-6-approved-no-banner');

    await assertNoPlaygroundWarnings(pg);
  });
});
