/**
 * GET /healthz is liveness (no storage call); GET /readyz says whether Table storage answers, so App
 * Service's health check and a load balancer can take an instance out while storage is down —
 * and neither ever describes the storage account or the error.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startAzurite, type AzuriteHandle } from '../../support/azurite';
import { startBot, type BotHarness } from '../../support/botHarness';

describe('readiness: /readyz follows storage, /healthz does not', () => {
  let azurite: AzuriteHandle;
  let bot: BotHarness;

  before(async () => {
    azurite = await startAzurite();
    bot = await startBot({}, { azurite });
  });
  after(async () => {
    await bot?.stop();
    await azurite?.stop();
  });

  test('with storage up, both answer 200', async () => {
    assert.equal((await fetch(`${bot.baseUrl}/healthz`)).status, 200);
    const ready = await fetch(`${bot.baseUrl}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'ready' });
  });

  test('with storage down, /readyz answers 503 without details and /healthz stays 200', async () => {
    await azurite.stop();
    // The last answer is reused for up to 5 s (src/http/readiness.ts); each request is quick meanwhile.
    let ready: Response | undefined;
    const deadline = Date.now() + 10_000;
    for (;;) {
      const started = Date.now();
      ready = await fetch(`${bot.baseUrl}/readyz`);
      assert.ok(Date.now() - started < 2_500, 'a /readyz request never waits longer than the probe timeout');
      if (ready.status !== 200 || Date.now() > deadline) break;
      await ready.text();
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.equal(ready.status, 503);
    const text = await ready.text();
    assert.deepEqual(JSON.parse(text), { status: 'storage unavailable' });
    assert.doesNotMatch(text, /devstoreaccount1|127\.0\.0\.1|ECONNREFUSED|AccountKey/);
    assert.equal((await fetch(`${bot.baseUrl}/healthz`)).status, 200);
  });
});
