/**
 * Browser e2e: a manager opens the team summary in the Agents Playground's personal chat — the
 * figures beside the previous period, and the chart, loaded by the browser from the bot's signed
 * link — and switches to 90 days. A practitioner without the role gets no figures. Run alone with:
 *   node --import tsx --test test/e2e/teamSummary.test.ts
 *
 * The bot's PUBLIC_BASE_URL must be known before it starts, and its port is chosen on start: the
 * links name a placeholder loopback origin, and the browser's requests to it are passed on to the
 * bot's real port (the request itself — path, token — is the card's, untouched).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startE2eStack, STEP_TIMEOUT_MS, type E2eStack } from '../support/playground';
import {
  PLAYGROUND_USER_AAD_ID,
  assertNoPlaygroundWarnings,
  grantManagerRole,
  openPersonalChat,
  readRecord,
  recordShareWithoutConsent,
  startQuestionnaire,
} from './flows';

const PLACEHOLDER_ORIGIN = 'http://localhost:9';
/** The parts of an <img> element read here (the project's TypeScript has no DOM types). */
type LoadedImage = { complete: boolean; naturalWidth: number };

describe('team summary in the Teams Playground', () => {
  let stack: E2eStack;
  const chartRequests: number[] = [];
  before(async () => {
    stack = await startE2eStack('team-summary', { botEnv: { PUBLIC_BASE_URL: PLACEHOLDER_ORIGIN } });
    await stack.playground.page.route(`${PLACEHOLDER_ORIGIN}/downloads/**`, async (route) => {
      const url = new URL(route.request().url());
      const response = await route.fetch({ url: `http://127.0.0.1:${stack.botPort}${url.pathname}${url.search}` });
      chartRequests.push(response.status());
      await route.fulfill({ response });
    });
  });
  after(async () => {
    await stack?.stop();
  });

  test('a manager opens the summary: figures, the chart, and another period', async () => {
    const pg = stack.playground;
    await openPersonalChat(pg);
    await startQuestionnaire(pg);
    const recordId = await recordShareWithoutConsent(pg, 'CSC-2026-01616');

    await pg.sendMessage('team summary');
    await pg.waitForCardText('Only managers can see the team summary');

    const record = await readRecord(stack.connectionString, recordId);
    assert.equal(record.decidedBy.aadObjectId, PLAYGROUND_USER_AAD_ID);
    await grantManagerRole(stack.connectionString, record.scope.tenantId, record.decidedBy.aadObjectId);

    await pg.sendMessage('team summary');
    const card = await pg.waitForCardText('Team summary: last 30 days');
    await pg.waitForCardText('Decisions recorded', { card });
    await pg.waitForCardText('1 · previous 0', { card });
    await pg.waitForCardText('Shared without consent', { card });
    await pg.waitForCardText('1 (100%) · previous 0 (—)', { card });
    await pg.waitForCardText('Share without consent — justified', { card });

    // The chart: an image with alternative text, which the browser loaded from the signed link.
    const image = card.getByRole('img', { name: /Bar chart of 1 decisions/ });
    await image.waitFor({ timeout: STEP_TIMEOUT_MS });
    await pg.waitUntil(
      () =>
        image.evaluate(
          (el) => (el as unknown as LoadedImage).complete && (el as unknown as LoadedImage).naturalWidth > 0,
        ),
      'the chart image to load',
    );
    assert.ok(chartRequests.includes(200), `the chart was served (statuses: ${chartRequests.join(', ')})`);
    assert.equal(await image.evaluate((el) => (el as unknown as LoadedImage).naturalWidth), 480);
    await pg.screenshot('manager-team-summary');

    await pg.clickOnCard('90 days');
    const longer = await pg.waitForCardText('Team summary: last 90 days');
    await pg.waitForCardText('1 · previous 0', { card: longer });
    await pg.screenshot('manager-team-summary-90-days');

    await assertNoPlaygroundWarnings(pg);
  });
});
