/**
 * Browser e2e: a tenant switches its rule pack in the Agents Playground (headless Chromium),
 * against the real bot (src/index.ts, the packs installed under rulepacks/) and an in-memory
 * Azurite. One questionnaire is completed on each pack — the default 2015 chapter, then the draft
 * national pack england-2024 — each recorded and read back from Azurite with the pack it was
 * decided under; the draft pack's cards carry the review banner until an admin approves it. Run
 * alone with:
 *   node --import tsx --test test/e2e/tenantRulePacks.test.ts
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { TableClient } from '@azure/data-tables';
import { normaliseAadId } from '../../src/bot/kit/ids';
import { REVIEW_BANNER_TITLE } from '../../src/bot/kit/rulePacks';
import { RULE_PACK_VERSION, evaluate, rulePack, rulePackById, type RulePack } from '../../src/domain';
import { TableRoleStore } from '../../src/storage/roleStore';
import { startE2eStack, type E2eStack } from '../support/playground';
import {
  assertNoPlaygroundWarnings,
  firstQuestionText,
  openPersonalChat,
  outcomeFor,
  readRecord,
  recordShareWithoutConsent,
  shareWithoutConsentPath,
  startQuestionnaire,
} from './flows';

const NATIONAL_PACK_ID = 'england-2024';

/** Makes the Playground's user an admin of its tenant, as a "grant" by IT would leave the roles table. */
async function grantAdminRole(connectionString: string, tenantId: string, aadObjectId: string): Promise<void> {
  const roles = new TableRoleStore(
    TableClient.fromConnectionString(connectionString, 'roles', { allowInsecureConnection: true }),
  );
  await roles.grant(tenantId, normaliseAadId(aadObjectId), 'admin');
}

/**
 * True when `answers` are not a complete path of the default pack: an option it lacks, or a
 * question it would still ask.
 */
function notADefaultPackPath(answers: Readonly<Record<string, string>>): boolean {
  try {
    return evaluate(rulePack, answers).kind !== 'outcome';
  } catch {
    return true;
  }
}

describe('a tenant switches rule pack in the Teams Playground', () => {
  let national: RulePack;
  let nationalPath: Record<string, string>;
  let stack: E2eStack;
  before(async () => {
    const installed = rulePackById(NATIONAL_PACK_ID);
    assert.ok(installed, `${NATIONAL_PACK_ID} is installed under rulepacks/`);
    assert.equal(installed.metadata.status, 'draft');
    national = installed;
    // A share without consent that only the national pack can reach: the questionnaire below could
    // not be completed on the 2015 pack, so its cards must come from england-2024.
    nationalPath = shareWithoutConsentPath(national, notADefaultPackPath);
    stack = await startE2eStack('tenant-rule-packs');
  });
  after(async () => {
    await stack?.stop();
  });

  test('one questionnaire on the 2015 pack, the switch, one on england-2024 with its banner, then approval', async () => {
    const pg = stack.playground;
    await openPersonalChat(pg);

    // On the default pack: no banner, and the record keeps the 2015 pack.
    await startQuestionnaire(pg);
    const firstCard = await pg.waitForCardText(firstQuestionText());
    assert.doesNotMatch(await firstCard.innerText(), new RegExp(REVIEW_BANNER_TITLE));
    const on2015 = await readRecord(stack.connectionString, await recordShareWithoutConsent(pg, 'CSC-2015-0001'));
    assert.equal(on2015.rulePackId, '2015-local');
    assert.equal(on2015.rulePackVersion, RULE_PACK_VERSION);
    assert.equal(on2015.decision, 'share_without_consent_justified');
    await pg.screenshot('tenant-packs-1-recorded-on-2015');

    // A practitioner cannot switch the pack; once the Playground's user is an admin of its tenant, they can.
    await pg.sendMessage(`use rule pack ${NATIONAL_PACK_ID}`);
    await pg.waitForCardText('Admins only');
    await grantAdminRole(stack.connectionString, on2015.scope.tenantId, on2015.decidedBy.aadObjectId);

    await pg.sendMessage('rule pack');
    const packs = await pg.waitForCardText('Available rule packs');
    assert.match(await packs.innerText(), new RegExp(`${NATIONAL_PACK_ID}[\\s\\S]*not yet approved`));
    await pg.screenshot('tenant-packs-2-available', { card: packs });

    await pg.sendMessage(`use rule pack ${NATIONAL_PACK_ID}`);
    await pg.waitForCardText('Rule pack changed');
    await pg.screenshot('tenant-packs-3-switched');

    // On england-2024: every card says it is a draft for legal review.
    await startQuestionnaire(pg, national);
    const draftQuestion = await pg.waitForCardText(firstQuestionText(national));
    await pg.waitForCardText(REVIEW_BANNER_TITLE, { card: draftQuestion });
    await pg.screenshot('tenant-packs-4-draft-question');
    const recordId = await recordShareWithoutConsent(pg, 'CSC-2024-0002', { pack: national, path: nationalPath });
    const recorded = await pg.waitForCardText('Decision recorded');
    await pg.waitForCardText(REVIEW_BANNER_TITLE, { card: recorded });
    // The safety line is the national pack's own, not the 2015 chapter's.
    const [nationalSafetyLine] = national.safetyLines;
    assert.ok(nationalSafetyLine && !rulePack.safetyLines.includes(nationalSafetyLine));
    await pg.waitForCardText(nationalSafetyLine, { card: recorded });
    await pg.screenshot('tenant-packs-5-recorded-on-england-2024', { card: recorded });
    const onNational = await readRecord(stack.connectionString, recordId);
    assert.equal(onNational.rulePackId, NATIONAL_PACK_ID);
    assert.equal(onNational.rulePackVersion, national.metadata.version);
    assert.equal(onNational.decision, 'share_without_consent_justified');
    assert.equal(onNational.ruleId, outcomeFor(nationalPath, national).ruleId);
    assert.deepEqual(onNational.answers, nationalPath);

    // Approved: the banner is gone from the next questionnaire.
    await pg.sendMessage(`approve rule pack ${NATIONAL_PACK_ID}`);
    await pg.waitForCardText('Rule pack approved');
    await startQuestionnaire(pg, national);
    const approvedQuestion = await pg.waitForCardText(firstQuestionText(national));
    assert.doesNotMatch(await approvedQuestion.innerText(), new RegExp(REVIEW_BANNER_TITLE));
    await pg.screenshot('tenant-packs-6-approved-no-banner');

    await assertNoPlaygroundWarnings(pg);
  });
});
