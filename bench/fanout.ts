/**
 * Fan-out benchmark: one reminder run to N conversations (default 5,000) through the real delivery
 * engine (bottleneck limits, deliveries table on in-memory Azurite, BotFrameworkSender over
 * CloudAdapter) against a local stand-in for the Teams connector. Two extra runs go to the first
 * 100 conversations at the same time, so those get 3 messages each and the per-conversation limit
 * is exercised too.
 *
 *   npx tsx bench/fanout.ts [--conversations 5000] [--global 50] [--per-conversation 1] [--concurrency 16]
 *
 * Reports total time, sends/s, and the observed maximum rates (sliding 1 s window) globally and per
 * conversation, checked against the configured limits. The stand-in connector runs in its own
 * process, so its arrival times are not distorted by the bot's event loop.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { startAzurite } from '../test/support/azurite';
import { maxInWindow, startFakeConnector, type RecordedPost } from '../test/support/fakeConnector';
import { createLogger } from '../src/logger';
import { DeliveryEngine, type DeliveryTarget } from '../src/reminders/delivery';
import { BotFrameworkSender } from '../src/reminders/botSender';
import { createDeliveriesTableClient, TableDeliveryStore } from '../src/storage/deliveryStore';

export interface FanoutBenchOptions {
  conversations: number;
  globalPerSecond: number;
  perConversationPerSecond: number;
  globalMaxConcurrent: number;
  /** Conversations that also get two extra runs (per-conversation limit check). */
  hotConversations: number;
  /** Artificial connector latency, ms. */
  connectorLatencyMs: number;
}

export interface FanoutBenchResult {
  options: FanoutBenchOptions;
  sends: number;
  totalMs: number;
  sendsPerSecond: number;
  maxGlobalPerSecond: number;
  maxPerConversationPerSecond: number;
  /** Smallest gap between two sends to the same conversation, ms. */
  minGapSameConversationMs: number;
  duplicates: number;
  missing: number;
  withinLimits: boolean;
}

export const DEFAULT_BENCH: FanoutBenchOptions = {
  conversations: 5_000,
  globalPerSecond: 50,
  perConversationPerSecond: 1,
  globalMaxConcurrent: 32,
  hotConversations: 100,
  connectorLatencyMs: 5,
};

export async function runFanoutBench(partial: Partial<FanoutBenchOptions> = {}): Promise<FanoutBenchResult> {
  const options = { ...DEFAULT_BENCH, ...partial };
  const azurite = await startAzurite();
  const connector = await startConnectorProcess(options.connectorLatencyMs);
  try {
    const deliveries = new TableDeliveryStore(createDeliveriesTableClient(azurite.connectionString));
    await deliveries.ensureTable();
    const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
    const engine = new DeliveryEngine({
      sender: new BotFrameworkSender(adapter, ''),
      deliveries,
      logger: createLogger('warn'),
      owner: 'bench',
      limits: {
        globalPerSecond: options.globalPerSecond,
        perConversationPerSecond: options.perConversationPerSecond,
        globalMaxConcurrent: options.globalMaxConcurrent,
      },
    });
    const tenantId = '11111111-1111-4111-8111-111111111111';
    const targets: DeliveryTarget[] = Array.from({ length: options.conversations }, (_, i) => {
      const conversationId = `19:bench${i}-${randomUUID().slice(0, 8)}@thread.tacv2`;
      return {
        tenantId,
        conversationId,
        reference: {
          serviceUrl: connector.serviceUrl,
          channelId: 'msteams',
          conversation: { id: conversationId, conversationType: 'channel', tenantId },
          bot: { id: '28:bot', name: 'Can I share?' },
        },
        message: { text: 'Practice reminder: verify callers by calling their agency back (§4).' },
      };
    });
    const hot = targets.slice(0, options.hotConversations);
    const started = performance.now();
    const results = await Promise.all([
      engine.deliverRun(`bench|${randomUUID()}`, targets),
      engine.deliverRun(`bench-extra-1|${randomUUID()}`, hot),
      engine.deliverRun(`bench-extra-2|${randomUUID()}`, hot),
    ]);
    const totalMs = performance.now() - started;
    await engine.stop();

    const posts = (await connector.collect()).filter((p) => p.status < 300);
    const byConversation = new Map<string, number[]>();
    for (const p of posts) {
      const list = byConversation.get(p.conversationId) ?? [];
      list.push(p.at);
      byConversation.set(p.conversationId, list);
    }
    let maxPerConversation = 0;
    let minGap = Infinity;
    for (const times of byConversation.values()) {
      maxPerConversation = Math.max(maxPerConversation, maxInWindow(times, 1000));
      const sorted = [...times].sort((a, b) => a - b);
      for (let i = 1; i < sorted.length; i++) minGap = Math.min(minGap, sorted[i]! - sorted[i - 1]!);
    }
    const expected = options.conversations + 2 * hot.length;
    const maxGlobal = maxInWindow(
      posts.map((p) => p.at),
      1000,
    );
    const sent = results.reduce((n, r) => n + r.counts.sent, 0);
    return {
      options,
      sends: posts.length,
      totalMs: Math.round(totalMs),
      sendsPerSecond: Math.round((posts.length / totalMs) * 1000 * 10) / 10,
      maxGlobalPerSecond: maxGlobal,
      maxPerConversationPerSecond: maxPerConversation,
      minGapSameConversationMs: Number.isFinite(minGap) ? Math.round(minGap) : 0,
      duplicates: posts.length - sent,
      missing: expected - posts.length,
      withinLimits:
        maxGlobal <= Math.floor(options.globalPerSecond) &&
        maxPerConversation <= Math.max(1, Math.floor(options.perConversationPerSecond)),
    };
  } finally {
    connector.stop();
    await azurite.stop();
  }
}

type Arrival = Pick<RecordedPost, 'conversationId' | 'status' | 'at'>;

/** The fake connector in a child process (this same file, run with --connector-child). */
async function startConnectorProcess(
  latencyMs: number,
): Promise<{ serviceUrl: string; collect(): Promise<Arrival[]>; stop(): void }> {
  const child: ChildProcess = fork(__filename, ['--connector-child', String(latencyMs)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const serviceUrl = await new Promise<string>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { serviceUrl: string }).serviceUrl));
    child.once('exit', (code) => reject(new Error(`connector process exited (${code})`)));
  });
  return {
    serviceUrl,
    collect: () =>
      new Promise<Arrival[]>((resolve) => {
        child.once('message', (m) => resolve((m as { posts: Arrival[] }).posts));
        child.send('collect');
      }),
    stop: () => void child.kill(),
  };
}

async function connectorChild(latencyMs: number): Promise<void> {
  const connector = await startFakeConnector({ latencyMs, keepBodies: false });
  process.on('message', (m) => {
    if (m === 'collect')
      process.send?.({
        posts: connector.posts.map(({ conversationId, status, at }) => ({
          conversationId,
          status,
          at: performance.timeOrigin + at,
        })),
      });
  });
  process.send?.({ serviceUrl: connector.serviceUrl });
}

function argValue(name: string): number | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i === -1) return undefined;
  const n = Number(process.argv[i + 1]);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

if (require.main === module && process.argv[2] === '--connector-child') {
  void connectorChild(Number(process.argv[3] ?? '0'));
} else if (require.main === module) {
  const partial: Partial<FanoutBenchOptions> = {};
  const set = <K extends keyof FanoutBenchOptions>(key: K, v: number | undefined) => {
    if (v !== undefined) partial[key] = v as FanoutBenchOptions[K];
  };
  set('conversations', argValue('conversations'));
  set('globalPerSecond', argValue('global'));
  set('perConversationPerSecond', argValue('per-conversation'));
  set('globalMaxConcurrent', argValue('concurrency'));
  set('connectorLatencyMs', argValue('latency'));
  runFanoutBench(partial)
    .then((r) => {
      console.log(JSON.stringify(r, null, 2));
      console.log(
        `\n${r.sends} sends in ${(r.totalMs / 1000).toFixed(1)} s = ${r.sendsPerSecond}/s; ` +
          `max ${r.maxGlobalPerSecond} in any 1 s (limit ${r.options.globalPerSecond}/s); ` +
          `max ${r.maxPerConversationPerSecond} per conversation in any 1 s (limit ${r.options.perConversationPerSecond}/s); ` +
          `duplicates ${r.duplicates}, missing ${r.missing}; ${r.withinLimits ? 'within limits' : 'LIMITS EXCEEDED'}`,
      );
      process.exit(r.withinLimits && r.duplicates === 0 && r.missing === 0 ? 0 : 1);
    })
    .catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
}
