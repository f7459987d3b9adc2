/**
 * Exactly-once delivery under concurrency and crashes:
 *  - two app instances (two createApp() on one Azurite, each with its own cron-ticking scheduler)
 *    send every due reminder once;
 *  - an instance stopped mid-fan-out, then a fresh instance, send the rest without duplicates;
 *  - the same at engine level for one run with many targets (a resume inside a single run).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { startAzurite, type AzuriteHandle } from '../../support/azurite';
import { TENANT_A } from '../../support/botHarness';
import { maxInWindow, startFakeConnector, type FakeConnector } from '../../support/fakeConnector';
import { createLogger } from '../../../src/logger';
import { DeliveryEngine, type DeliveryTarget } from '../../../src/reminders/delivery';
import { createDeliveriesTableClient, TableDeliveryStore } from '../../../src/storage/deliveryStore';
import type { ProactiveSender } from '../../../src/reminders/sender';
import { channelRoot, referenceFor, startApp, type RunningApp } from './support';
import type { App } from '../../../src/app';

async function seedChannels(app: App, serviceUrl: string, count: number, dueAt: Date): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const ch = channelRoot();
    await app.stores.conversations.upsert(TENANT_A, referenceFor(serviceUrl, ch), {
      kind: 'channel',
      teamId: ch.teamId,
      channelId: ch.channelId,
    });
    await app.stores.reminders.createSchedule({
      tenantId: TENANT_A,
      kind: 'practice',
      topic: 'verify-callers',
      cron: '0 9 * * 1',
      timezone: 'Europe/London',
      scheduleText: 'weekly mon 09:00',
      conversationId: ch.channelId,
      teamId: ch.teamId,
      channelId: ch.channelId,
      createdBy: randomUUID(),
      nextRunAt: dueAt.toISOString(),
    });
    ids.push(ch.channelId);
  }
  return ids;
}

function assertExactlyOnce(connector: FakeConnector, ids: readonly string[]): void {
  const counts = new Map<string, number>();
  for (const p of connector.delivered()) counts.set(p.conversationId, (counts.get(p.conversationId) ?? 0) + 1);
  const dupes = [...counts].filter(([, n]) => n > 1);
  assert.deepEqual(dupes, [], 'no conversation got a run twice');
  const missing = ids.filter((id) => !counts.has(id));
  assert.deepEqual(missing, [], 'every conversation got its reminder');
}

describe('exactly once across instances and restarts', () => {
  let azurite: AzuriteHandle;
  let connector: FakeConnector;
  const running: RunningApp[] = [];

  before(async () => {
    azurite = await startAzurite();
    connector = await startFakeConnector();
  });
  after(async () => {
    for (const r of running) await r.stop().catch(() => undefined);
    await connector?.stop();
    await azurite?.stop();
  });

  it('two instances, each ticking every second, send each reminder once', async () => {
    const options = {
      reminders: { settings: { scheduler: { tickCron: '* * * * * *' }, limits: { globalPerSecond: 40 } } },
    };
    const one = await startApp(azurite, options);
    const two = await startApp(azurite, options);
    running.push(one, two);
    connector.reset();
    const ids = await seedChannels(one.app, connector.serviceUrl, 40, new Date(Date.now() - 60_000));
    await connector.waitFor(() => connector.delivered().length >= ids.length, 20_000, 'all 40 reminders');
    await new Promise((r) => setTimeout(r, 2_500)); // a few more ticks on both instances
    assertExactlyOnce(connector, ids);
    assert.equal(connector.delivered().length, ids.length);
    const runsBy = (r: RunningApp) => r.logs.filter((l) => l.event === 'reminder.run_done').length;
    console.log(`runs completed: instance one ${runsBy(one)}, instance two ${runsBy(two)}`);
    assert.equal(runsBy(one) + runsBy(two), ids.length, 'each run completed by exactly one instance');
    await one.stop();
    await two.stop();
    running.length = 0;
  });

  it('an instance stopped mid-fan-out, then a new instance, send the rest without duplicates', async () => {
    const first = await startApp(azurite, { reminders: { settings: { limits: { globalPerSecond: 20 } } } });
    running.push(first);
    connector.reset();
    const ids = await seedChannels(first.app, connector.serviceUrl, 60, new Date(Date.now() - 60_000));
    let stopping: Promise<void> | undefined;
    connector.onPost = () => {
      if (!stopping && connector.delivered().length >= 15) stopping = first.app.reminders.stop();
    };
    await first.app.reminders.scheduler.tick();
    await stopping;
    connector.onPost = undefined;
    const sentBefore = connector.delivered().length;
    assert.ok(sentBefore >= 15 && sentBefore < ids.length, `stopped part-way (${sentBefore} of ${ids.length})`);
    await first.stop();
    running.length = 0;

    // A fresh instance (new owner id). Runs the first one held are taken over once its leases expire.
    const second = await startApp(azurite);
    running.push(second);
    await second.app.reminders.scheduler.tick();
    if (connector.delivered().length < ids.length) {
      await new Promise((r) => setTimeout(r, 2_100)); // lease TTL in these tests is 2 s
      await second.app.reminders.scheduler.tick();
    }
    assertExactlyOnce(connector, ids);
    assert.equal(connector.delivered().length, ids.length);
    const takeovers = second.logs.filter((l) => l.event === 'reminder.run_takeover').length;
    console.log(
      `first instance sent ${sentBefore} of ${ids.length} before stopping; the second sent the other ${ids.length - sentBefore} (${takeovers} runs taken over)`,
    );
    assert.ok(takeovers >= 1, 'runs the first instance had started were taken over after their leases expired');
  });

  it('one run with many targets resumes after an abort without re-sending (engine level)', async () => {
    const deliveries = new TableDeliveryStore(createDeliveriesTableClient(azurite.connectionString));
    await deliveries.ensureTable();
    const logger = createLogger('silent');
    const sender: ProactiveSender = {
      async send(reference, _message, options) {
        await options?.beforeRequest?.();
        const res = await fetch(
          `${reference.serviceUrl}v3/conversations/${encodeURIComponent(reference.conversation.id)}/activities`,
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ type: 'message', text: 'hi' }),
          },
        );
        return res.ok
          ? { ok: true }
          : { ok: false, status: res.status, retryable: res.status === 429, gone: res.status === 403 };
      },
    };
    connector.reset();
    const targets: DeliveryTarget[] = Array.from({ length: 120 }, (_, i) => {
      const conversationId = `a:bulk-${i}-${randomUUID()}`;
      return {
        tenantId: TENANT_A,
        conversationId,
        reference: referenceFor(connector.serviceUrl, {
          id: conversationId,
          conversationType: 'personal',
          tenantId: TENANT_A,
        }),
        message: { text: 'reminder' },
      };
    });
    const runId = `bulk|${randomUUID()}`;
    const limits = { globalPerSecond: 100, globalMaxConcurrent: 8, perConversationPerSecond: 1 };
    const engineA = new DeliveryEngine({ sender, deliveries, logger, owner: 'A', limits });
    const abort = new AbortController();
    connector.onPost = () => {
      if (connector.delivered().length >= 40) abort.abort();
    };
    const first = await engineA.deliverRun(runId, targets, abort.signal);
    connector.onPost = undefined;
    assert.equal(first.complete, false);
    assert.ok(first.counts.sent >= 40 && first.counts.sent < 120, `first pass sent ${first.counts.sent}`);

    const engineB = new DeliveryEngine({ sender, deliveries, logger, owner: 'B', limits });
    const second = await engineB.deliverRun(runId, targets);
    assert.equal(second.complete, true);
    assert.equal(second.counts.sent + first.counts.sent, 120);
    assert.equal(second.counts.already, first.counts.sent);
    assertExactlyOnce(
      connector,
      targets.map((t) => t.conversationId),
    );
    // And the configured global rate held (100/s → at most ~100 in any second).
    const times = connector.delivered().map((p) => p.at);
    assert.ok(maxInWindow(times, 1000) <= 101, `max ${maxInWindow(times, 1000)} sends in 1 s`);
    await engineA.stop();
    await engineB.stop();
  });
});
