/**
 * Issue 12, items 7–9, against the real restify server and a real Azurite:
 *
 *   - configured managers and admins act only in the tenant their entry names;
 *   - conversation references keep only what a proactive send needs, and an old row's extra
 *     fields (chat names that may name a child) are never passed on to the connector;
 *   - slow request bodies are cut off, concurrent bodies are capped, memory stays bounded and a
 *     normal user is still answered; in authenticated mode a message without a bearer token is
 *     refused before its body is read.
 *
 * The slow senders are raw TCP sockets, so the test controls exactly when each byte leaves.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, beforeEach, describe, it } from 'node:test';
import { encodeKeyPart } from '../../../src/storage/keys';
import { startAzurite, type AzuriteHandle } from '../../support/azurite';
import {
  TENANT_A,
  TENANT_B,
  TeamsClient,
  cardOf,
  cardText,
  newUser,
  personalChat,
  startBot,
  type BotHarness,
  type TeamsConversation,
} from '../../support/botHarness';
import { startFakeConnector, type FakeConnector } from '../../support/fakeConnector';
import { startOpenIdStandIn, type OpenIdStandIn } from '../../support/openIdStandIn';
import { newRecord } from '../records/support';
import { channelRoot, install, startApp, TestClock, threadIn, type RunningApp } from '../reminders/support';
import { repliesIn, spyOnTurns, storageSnapshot, type TurnSpy } from './support';

let azurite: AzuriteHandle;

before(async () => {
  azurite = await startAzurite();
});
after(async () => {
  await azurite?.stop();
});

async function sayText(client: TeamsClient, text: string): Promise<string> {
  const replies = await client.say(text);
  assert.equal(replies.length, 1, `one reply to "${text}"`);
  return cardText(cardOf(replies[0]!));
}

// ---------------------------------------------------------------------------------------------
// Item 7: configured managers and admins are bound to a tenant
// ---------------------------------------------------------------------------------------------

describe('hostile operator: configured managers and admins act only in their own tenant', () => {
  let bot: BotHarness;
  const manager = newUser('Morgan Manager');
  const admin = newUser('Ada Admin');
  const managerOfB = newUser('Blake Manager');
  const practitionerB = newUser('Bo Practitioner');
  let recordInB: { caseReference: string };

  before(async () => {
    bot = await startBot(
      {
        ALLOWED_TENANT_IDS: `${TENANT_A},${TENANT_B}`,
        MANAGER_AAD_OBJECT_IDS: `${TENANT_A}:${manager.aadObjectId},${TENANT_B}:${managerOfB.aadObjectId}`,
        ADMIN_AAD_OBJECT_IDS: `${TENANT_A}:${admin.aadObjectId}`,
      },
      { azurite },
    );
    const stored = await bot.app.stores.decisions.record(
      newRecord({ tenantId: TENANT_B, by: { aadObjectId: practitionerB.aadObjectId, name: practitionerB.name } }),
    );
    recordInB = stored.record;
  });
  after(async () => {
    await bot?.stop();
  });

  it('a tenant A manager is a manager in tenant A (control)', async () => {
    const text = await sayText(new TeamsClient(bot.baseUrl, manager, personalChat(TENANT_A)), 'recent decisions');
    assert.doesNotMatch(text, /Only managers/);
  });

  it('the same object id arriving from tenant B is not a manager there: no list, no case, no export', async () => {
    const inB = new TeamsClient(bot.baseUrl, manager, personalChat(TENANT_B));
    const auditBefore = (await bot.app.stores.audit.list(TENANT_B, 50)).length;
    assert.match(await sayText(inB, 'recent decisions'), /Only managers/);
    const caseText = await sayText(inB, `case ${recordInB.caseReference}`);
    assert.match(caseText, /Only managers/);
    for (const detail of ['duty officer', 'Concerns raised at school', practitionerB.name])
      assert.ok(!caseText.includes(detail), `the refusal reveals "${detail}"`);
    assert.match(await sayText(inB, 'export'), /Only managers/);
    assert.equal(
      (await bot.app.stores.audit.list(TENANT_B, 50)).length,
      auditBefore,
      'nothing was queried in tenant B',
    );
    // Tenant B's own configured manager is one there (control for the binding, not a blanket refusal).
    assert.doesNotMatch(
      await sayText(new TeamsClient(bot.baseUrl, managerOfB, personalChat(TENANT_B)), 'recent decisions'),
      /Only managers/,
    );
    assert.match(
      await sayText(new TeamsClient(bot.baseUrl, managerOfB, personalChat(TENANT_A)), 'recent decisions'),
      /Only managers/,
    );
  });

  it('a tenant A admin cannot list, grant or revoke managers in tenant B', async () => {
    const inB = new TeamsClient(bot.baseUrl, admin, personalChat(TENANT_B));
    const target = randomUUID();
    assert.match(await sayText(inB, 'list managers'), /Only administrators/);
    assert.match(await sayText(inB, `grant manager ${target}`), /Only administrators/);
    assert.equal(await bot.app.stores.roles.getRole(TENANT_B, target), undefined, 'no role was granted in tenant B');
    assert.match(await sayText(inB, `revoke manager ${managerOfB.aadObjectId}`), /Only administrators/);
  });

  it('in tenant A the admin lists only tenant A’s configured managers', async () => {
    const text = await sayText(new TeamsClient(bot.baseUrl, admin, personalChat(TENANT_A)), 'list managers');
    assert.ok(text.includes(manager.aadObjectId), text);
    assert.ok(!text.includes(managerOfB.aadObjectId), 'another tenant’s configured manager is not shown');
  });
});

// ---------------------------------------------------------------------------------------------
// Item 8: conversation references keep only what a proactive send needs
// ---------------------------------------------------------------------------------------------

describe('hostile operator: conversation references hold no names, and old rows pass none on', () => {
  let connector: FakeConnector;
  let bot: RunningApp;
  const clock = new TestClock(new Date('2026-03-01T12:00:00Z')); // a Sunday
  const user = newUser('Sam Practitioner');
  const CHILD = 'Jamie Smith';

  /** An activity as Teams might send it in a chat named after a child. */
  const named = (client: TeamsClient, extra: Record<string, unknown>) => {
    const activity = client.activity(extra);
    const conversation = activity.conversation as Record<string, unknown>;
    const channelData = activity.channelData as Record<string, Record<string, unknown> | undefined>;
    return {
      ...activity,
      locale: 'en-GB',
      conversation: {
        ...conversation,
        name: `${CHILD} core group`,
        isGroup: conversation.conversationType !== 'personal',
        properties: { topic: CHILD },
      },
      recipient: { id: '28:bot', name: 'Can I share?' },
      channelData: {
        ...channelData,
        ...(channelData.team ? { team: { ...channelData.team, name: `${CHILD} team` } } : {}),
        ...(channelData.channel ? { channel: { ...channelData.channel, name: `${CHILD} channel` } } : {}),
      },
    };
  };

  before(async () => {
    connector = await startFakeConnector();
    bot = await startApp(azurite, { clock });
  });
  after(async () => {
    await bot?.stop();
    await connector?.stop();
  });

  const rawRow = (tenantId: string, conversationId: string) =>
    bot.app.tables.conversations.getEntity<Record<string, unknown>>(
      encodeKeyPart(tenantId),
      encodeKeyPart(conversationId),
    );

  it('a group chat named after a child: the stored row holds no name, only the fields a proactive send needs', async () => {
    const chat: TeamsConversation = {
      id: `19:${randomUUID().replace(/-/g, '')}@thread.v2`,
      conversationType: 'groupChat',
      tenantId: TENANT_A,
    };
    const client = new TeamsClient(bot.baseUrl, user, chat, connector.serviceUrl);
    const res = await client.post(named(client, { type: 'installationUpdate', action: 'add' }));
    assert.ok(res.status < 300, `installationUpdate got ${res.status}`);
    const row = await rawRow(TENANT_A, chat.id);
    assert.ok(!JSON.stringify(row).includes(CHILD), `the row names the child: ${JSON.stringify(row)}`);
    assert.ok(!JSON.stringify(row).includes(user.name), 'no display name is stored');
    assert.deepEqual(JSON.parse(String(row.reference)), {
      serviceUrl: connector.serviceUrl,
      channelId: 'msteams',
      conversation: { id: chat.id, tenantId: TENANT_A, conversationType: 'groupChat', isGroup: true },
      bot: { id: '28:bot' },
      locale: 'en-GB',
    });
  });

  it('a personal chat keeps whose chat it is (ids only), for follow-up reminders', async () => {
    const chat = personalChat(TENANT_A);
    const client = new TeamsClient(bot.baseUrl, user, chat, connector.serviceUrl);
    await client.post(named(client, { type: 'installationUpdate', action: 'add' }));
    const reference = JSON.parse(String((await rawRow(TENANT_A, chat.id)).reference)) as Record<string, unknown>;
    assert.deepEqual(reference.user, { id: user.id, aadObjectId: user.aadObjectId });
  });

  it('a channel row saved before this rule, with names and unknown fields: the reminder still goes out, and none of them reach the connector', async () => {
    const channel = channelRoot();
    const inThread = new TeamsClient(bot.baseUrl, user, threadIn(channel), connector.serviceUrl);
    await install(new TeamsClient(bot.baseUrl, user, channel, connector.serviceUrl));
    const created = await sayText(inThread, 'remind practice verify-callers weekly mon 09:00');
    assert.match(created, /Set up R-/);
    // Overwrite the row the way an earlier version stored it: the activity's objects spread in whole.
    const current = await rawRow(TENANT_A, channel.channelId);
    const old = JSON.parse(String(current.reference)) as Record<string, unknown>;
    await bot.app.tables.conversations.upsertEntity(
      {
        ...current,
        partitionKey: encodeKeyPart(TENANT_A),
        rowKey: encodeKeyPart(channel.channelId),
        name: `${CHILD} channel`,
        reference: JSON.stringify({
          ...old,
          activityId: 'old-activity-id',
          conversation: { ...(old.conversation as object), name: `${CHILD} channel`, properties: { topic: CHILD } },
          bot: { id: '28:bot', name: 'Can I share?' },
          user: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
          relatesTo: { note: CHILD },
        }),
      },
      'Replace',
    );
    connector.reset();
    clock.current = new Date('2026-03-02T09:00:30Z'); // Monday 09:00 London (GMT)
    await bot.app.reminders.scheduler.tick();
    await connector.waitFor(() => connector.postsTo(channel.channelId).length === 1, 10_000, 'the reminder');
    const sent = connector.postsTo(channel.channelId)[0]!.activity;
    assert.ok(
      !JSON.stringify(sent).includes(CHILD),
      `the send carries the old row's names: ${JSON.stringify(sent.conversation)}`,
    );
    assert.ok(!JSON.stringify(sent).includes(user.name), 'no display name is sent on');
    assert.equal((sent.conversation as Record<string, unknown>).id, channel.channelId);
    const read = await bot.app.stores.conversations.get(TENANT_A, channel.channelId);
    assert.ok(read && !JSON.stringify(read).includes(CHILD), 'the store does not hand the extras back either');
  });
});

// ---------------------------------------------------------------------------------------------
// Item 9: slow and concurrent request bodies
// ---------------------------------------------------------------------------------------------

interface RawResponse {
  /** HTTP status, or undefined when the connection closed without one. */
  status?: number;
  /** ms from connect until the server closed the connection (or the response arrived, for refusals). */
  closedAfterMs: number;
  text: string;
}

interface SlowSender {
  /** Resolves when the server closes the connection. */
  done: Promise<RawResponse>;
  /** ms from connect until the first response byte, if any. */
  answeredAfterMs(): number | undefined;
  /** What the server has sent so far. */
  text(): string;
  destroy(): void;
}

/**
 * Opens a connection, sends the headers and `first` body bytes at once, then one more byte every
 * `dripMs` — never finishing the declared Content-Length — until the server closes it.
 */
function slowSender(
  port: number,
  o: { contentLength: number; first?: string; dripMs?: number; headers?: Record<string, string> },
): SlowSender {
  const started = performance.now();
  let answeredAt: number | undefined;
  let text = '';
  const socket = net.connect(port, '127.0.0.1');
  socket.on('error', () => {
    /* the server may reset a refused connection */
  });
  let drip: NodeJS.Timeout | undefined;
  const done = new Promise<RawResponse>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      answeredAt ??= performance.now() - started;
      text += chunk.toString('latin1');
    });
    socket.once('close', () => {
      clearInterval(drip);
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      resolve({ ...(status ? { status: Number(status) } : {}), closedAfterMs: performance.now() - started, text });
    });
  });
  socket.once('connect', () => {
    const headers = {
      host: '127.0.0.1',
      'content-type': 'application/json',
      'content-length': String(o.contentLength),
      ...o.headers,
    };
    const head = `POST /api/messages HTTP/1.1\r\n${Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')}\r\n`;
    socket.write(head + (o.first ?? ''));
    if (o.dripMs) {
      drip = setInterval(() => {
        if (!socket.destroyed) socket.write('x');
      }, o.dripMs);
      drip.unref();
    }
  });
  return { done, answeredAfterMs: () => answeredAt, text: () => text, destroy: () => socket.destroy() };
}

const portOf = (baseUrl: string) => Number(new URL(baseUrl).port);
const waitUntil = async (predicate: () => boolean, timeoutMs: number, what: string) => {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};
const mb = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;

describe('hostile operator: slow and concurrent request bodies (unauthenticated mode)', () => {
  // Long enough for the flood below to be sent and refused while the held bodies are still held.
  const BODY_TIMEOUT_MS = 4_000;
  const MAX_BODIES_IN_FLIGHT = 40;
  let bot: BotHarness;
  let spy: TurnSpy;
  let client: TeamsClient;

  before(async () => {
    bot = await startBot(
      { BODY_TIMEOUT_MS: String(BODY_TIMEOUT_MS), MAX_BODIES_IN_FLIGHT: String(MAX_BODIES_IN_FLIGHT) },
      { azurite },
    );
    spy = spyOnTurns(bot);
    client = new TeamsClient(bot.baseUrl, newUser('Norma Normal'), personalChat());
  });
  after(async () => {
    await bot?.stop();
  });
  beforeEach(() => {
    spy.turns.length = 0;
  });

  /** A normal message, answered in full; returns the elapsed ms. */
  async function normalUserAnswered(): Promise<number> {
    const t0 = performance.now();
    const res = await client.post(client.activity({ type: 'message', text: 'help', deliveryMode: 'expectReplies' }));
    const ms = performance.now() - t0;
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(repliesIn(res.body).length, 1, 'the welcome card came back');
    return ms;
  }

  it(
    'a slow-loris body (one byte every 200 ms) is cut off with 408 after BODY_TIMEOUT_MS, and no turn runs',
    { timeout: 20_000 },
    async () => {
      const rowsBefore = await storageSnapshot(bot);
      const slow = slowSender(portOf(bot.baseUrl), {
        contentLength: 50_000,
        first: '{"type":"message","text":"',
        dripMs: 200,
      });
      const res = await slow.done;
      console.log(
        `# slow-loris body: answered ${res.status} and closed after ${Math.round(res.closedAfterMs)} ms (limit ${BODY_TIMEOUT_MS} ms)`,
      );
      assert.equal(res.status, 408, res.text.slice(0, 200));
      assert.ok(res.closedAfterMs >= BODY_TIMEOUT_MS - 50, `closed after ${res.closedAfterMs} ms`);
      assert.ok(res.closedAfterMs < BODY_TIMEOUT_MS + 2_000, `closed after ${res.closedAfterMs} ms`);
      assert.deepEqual(spy.turns, []);
      assert.deepEqual(await storageSnapshot(bot), rowsBefore);
      assert.ok(
        bot.logs.some((l) => l.event === 'http.body_timeout'),
        'the cut-off is logged',
      );
    },
  );

  it(
    'a complete activity whose declared length is never reached is cut off and NOT acted on',
    { timeout: 20_000 },
    async () => {
      const json = JSON.stringify(client.activity({ type: 'message', text: 'help', deliveryMode: 'expectReplies' }));
      const slow = slowSender(portOf(bot.baseUrl), { contentLength: Buffer.byteLength(json) + 10, first: json });
      const res = await slow.done;
      assert.equal(res.status, 408, res.text.slice(0, 200));
      assert.deepEqual(spy.turns, [], 'the partial body was not parsed into a turn');
    },
  );

  it(
    'beyond MAX_BODIES_IN_FLIGHT slow bodies are refused at once with 503; a normal user is answered meanwhile',
    { timeout: 60_000 },
    async () => {
      const port = portOf(bot.baseUrl);
      const first = '{"type":"message","text":"';
      // Fill all but one slot with slow bodies that never finish.
      const held = Array.from({ length: MAX_BODIES_IN_FLIGHT - 1 }, () =>
        slowSender(port, { contentLength: 200_000, first, dripMs: 250 }),
      );
      await new Promise((r) => setTimeout(r, 300));
      assert.ok(
        held.every((s) => s.answeredAfterMs() === undefined),
        'the slow bodies are being held, not refused',
      );
      const normalMs = await normalUserAnswered();
      console.log(`# normal user answered in ${Math.round(normalMs)} ms with ${held.length} slow bodies in flight`);
      assert.ok(normalMs < 1_000, `normal user waited ${normalMs} ms`);
      assert.deepEqual(
        spy.turns.map((t) => t.type),
        ['message'],
        'only the normal user ran a turn',
      );

      // 200 more: one takes the last slot, every other is refused without its body being read.
      const flood = Array.from({ length: 200 }, () => slowSender(port, { contentLength: 200_000, first, dripMs: 250 }));
      await waitUntil(
        () => flood.filter((s) => s.answeredAfterMs() !== undefined).length >= flood.length - 1,
        10_000,
        'the refusals',
      );
      const accepted = flood.filter((s) => s.answeredAfterMs() === undefined);
      assert.equal(accepted.length, 1, 'exactly one of the flood took the last slot');
      const refused = await Promise.all(flood.filter((s) => s.answeredAfterMs() !== undefined).map((s) => s.done));
      assert.deepEqual([...new Set(refused.map((r) => r.status))], [503]);
      assert.ok(
        refused.every((r) => /retry-after: 2/i.test(r.text)),
        'refusals say when to retry',
      );
      const slowestRefusal = Math.max(...refused.map((r) => r.closedAfterMs));
      console.log(
        `# ${refused.length} slow bodies beyond the cap of ${MAX_BODIES_IN_FLIGHT}: 503 within ${Math.round(slowestRefusal)} ms`,
      );
      assert.ok(slowestRefusal < BODY_TIMEOUT_MS, 'refused without waiting for the body');

      // Every held body is cut off by the timeout; no slow body ever ran a turn; the slots are free again.
      const cut = await Promise.all([...held, ...accepted].map((s) => s.done));
      assert.deepEqual([...new Set(cut.map((r) => r.status))], [408]);
      assert.deepEqual(
        spy.turns.map((t) => t.type),
        ['message'],
        'no slow body ever ran a turn',
      );
      assert.ok((await normalUserAnswered()) < 1_000);
    },
  );

  it(
    'slow headers (one header line every 500 ms, never finished) are cut off by Node’s 10 s headers timeout',
    { timeout: 20_000 },
    async () => {
      const started = performance.now();
      const socket = net.connect(portOf(bot.baseUrl), '127.0.0.1', () =>
        socket.write('POST /api/messages HTTP/1.1\r\nhost: 127.0.0.1\r\n'),
      );
      let text = '';
      socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
      socket.on('error', () => {});
      const drip = setInterval(() => socket.write('x-padding: 1\r\n'), 500);
      await new Promise((r) => socket.once('close', r));
      clearInterval(drip);
      const ms = performance.now() - started;
      console.log(`# slow headers: closed after ${Math.round(ms)} ms`);
      assert.match(text, /^HTTP\/1\.1 408/);
      assert.ok(ms < 12_500, `closed after ${ms} ms (Node's default would be 60 s, checked every 30 s)`);
      assert.deepEqual(spy.turns, []);
    },
  );

  it(
    'a body declared larger than MAX_BODY_BYTES is refused with 413 before it is sent',
    { timeout: 10_000 },
    async () => {
      const slow = slowSender(portOf(bot.baseUrl), { contentLength: 100 * 1024 * 1024 });
      const res = await slow.done;
      assert.equal(res.status, 413);
      assert.ok(res.closedAfterMs < 1_000, `answered after ${res.closedAfterMs} ms`);
    },
  );
});

describe('hostile operator: authenticated mode refuses a message without a bearer token before reading its body', () => {
  const APP_ID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
  let idp: OpenIdStandIn;
  let bot: BotHarness;
  let spy: TurnSpy;
  let client: TeamsClient;

  before(async () => {
    idp = await startOpenIdStandIn();
    bot = await startBot(
      {
        MICROSOFT_APP_ID: APP_ID,
        MICROSOFT_APP_PASSWORD: 'test-only-client-secret',
        MICROSOFT_APP_TYPE: 'MultiTenant',
        BOT_OPENID_METADATA_URL: idp.metadataUrl,
        BODY_TIMEOUT_MS: '5000',
      },
      { azurite },
    );
    spy = spyOnTurns(bot);
    client = new TeamsClient(bot.baseUrl, newUser('Avery Auth'), personalChat());
  });
  after(async () => {
    await bot?.stop();
    await idp?.stop();
  });
  beforeEach(() => {
    spy.turns.length = 0;
  });

  it(
    'no Authorization header, body never sent: 401 at once (not after the body timeout), connection closed, no turn',
    { timeout: 15_000 },
    async () => {
      const slow = slowSender(portOf(bot.baseUrl), { contentLength: 200_000 });
      const res = await slow.done;
      console.log(`# no bearer token: ${res.status} after ${Math.round(res.closedAfterMs)} ms (body timeout 5000 ms)`);
      assert.equal(res.status, 401, res.text.slice(0, 200));
      assert.ok(res.closedAfterMs < 1_000, `answered after ${res.closedAfterMs} ms`);
      assert.match(res.text, /www-authenticate: Bearer/i);
      assert.deepEqual(spy.turns, []);
      assert.ok(bot.logs.some((l) => l.event === 'auth.refused' && l.level === 40));
    },
  );

  it('a Basic (not Bearer) Authorization header: 401 before the body is read', { timeout: 15_000 }, async () => {
    const res = await slowSender(portOf(bot.baseUrl), {
      contentLength: 200_000,
      headers: { authorization: 'Basic Ym90OnNlY3JldA==' },
    }).done;
    assert.equal(res.status, 401);
    assert.ok(res.closedAfterMs < 1_000, `answered after ${res.closedAfterMs} ms`);
  });

  it('a valid bearer token is still served (control)', async () => {
    const token = idp.sign({ aud: APP_ID, serviceurl: client.serviceUrl });
    const res = await client.post(client.activity({ type: 'message', text: 'help', deliveryMode: 'expectReplies' }), {
      authorization: `Bearer ${token}`,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(repliesIn(res.body).length, 1);
    assert.deepEqual(
      spy.turns.map((t) => t.authenticated),
      [true],
    );
  });
});

interface Memory {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
}

/** The real bot in its own process (test/support/botProcess.ts), so its memory can be read alone. */
async function botProcess(
  env: Record<string, string>,
): Promise<{ port: number; memory(): Promise<Memory>; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'test/support/botProcess.ts'], {
    cwd: path.resolve(__dirname, '..', '..', '..'),
    env: { ...process.env, AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString, ...env },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  let waiting: ((line: string) => void) | undefined;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    if (waiting) {
      const w = waiting;
      waiting = undefined;
      w(line);
    } else lines.push(line);
  });
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      const queued = lines.shift();
      if (queued !== undefined) return resolve(queued);
      waiting = resolve;
      child.once('exit', (code) => reject(new Error(`bot process exited ${code}`)));
    });
  const { port } = JSON.parse(await nextLine()) as { port: number };
  return {
    port,
    async memory() {
      child.stdin!.write('memory\n');
      return (JSON.parse(await nextLine()) as { memory: Memory }).memory;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** What the process holds after a full GC: JS heap plus buffers outside it. */
const retained = (m: Memory) => m.heapUsed + m.external;

describe('hostile operator: 1,000 slow uploads do not balloon the bot’s memory', () => {
  /**
   * Opens 1,000 slow uploads of 64 KB each (never finished) and returns what the bot retains while
   * they are open. `cap` is how many the bot may hold: it refuses the rest at once, but on a loaded
   * machine reaching every socket can take it a few seconds, so the count is taken when all but
   * `cap` have their answer (or after 6 s, well inside the 8 s body timeout, whatever has happened).
   */
  async function flood(
    env: Record<string, string>,
    cap: number,
  ): Promise<{ retainedGrowth: number; rssGrowth: number; statuses: Record<string, number> }> {
    const bot = await botProcess({ BODY_TIMEOUT_MS: '8000', ...env });
    try {
      // Warm up (the first requests load code paths), then measure.
      for (let i = 0; i < 3; i++) await fetch(`http://127.0.0.1:${bot.port}/healthz`).then((r) => r.text());
      const before = await bot.memory();
      const first = `{"type":"message","text":"${'a'.repeat(64 * 1024)}`;
      const senders: SlowSender[] = [];
      for (let i = 0; i < 1_000; i++) {
        senders.push(slowSender(bot.port, { contentLength: 200_000, first, dripMs: 500 }));
        if (i % 100 === 99) await new Promise((r) => setTimeout(r, 50));
      }
      const opened = Date.now();
      await new Promise((r) => setTimeout(r, 2_000));
      const answered = () => senders.filter((s) => s.answeredAfterMs() !== undefined).length;
      while (answered() < senders.length - cap && Date.now() - opened < 6_000) {
        await new Promise((r) => setTimeout(r, 100));
      }
      const during = await bot.memory();
      const statuses: Record<string, number> = {};
      for (const s of senders) {
        const key =
          s.answeredAfterMs() === undefined ? 'held' : `${/^HTTP\/1\.1 (\d{3})/.exec(s.text())?.[1] ?? 'closed'}`;
        statuses[key] = (statuses[key] ?? 0) + 1;
      }
      for (const s of senders) s.destroy();
      return { retainedGrowth: retained(during) - retained(before), rssGrowth: during.rss - before.rss, statuses };
    } finally {
      await bot.stop();
    }
  }

  it(
    'with the default cap (100 in flight) the bot retains a few MB; with the cap lifted, every body is held',
    { timeout: 90_000 },
    async () => {
      const capped = await flood({}, 100);
      const uncapped = await flood({ MAX_BODIES_IN_FLIGHT: '10000' }, 10_000);
      console.log(
        `# 1,000 slow 64 KB uploads, retained after GC (heap + external) / RSS growth: ` +
          `default cap 100: +${mb(capped.retainedGrowth)} MB / +${mb(capped.rssGrowth)} MB ${JSON.stringify(capped.statuses)}; ` +
          `cap lifted to 10,000: +${mb(uncapped.retainedGrowth)} MB / +${mb(uncapped.rssGrowth)} MB ${JSON.stringify(uncapped.statuses)}`,
      );
      assert.deepEqual(
        capped.statuses,
        { held: 100, '503': 900 },
        'exactly the cap is held; every other upload was refused at once',
      );
      assert.deepEqual(uncapped.statuses, { held: 1_000 });
      assert.ok(capped.retainedGrowth < 16 * 1_048_576, `capped: retained ${mb(capped.retainedGrowth)} MB more`);
      assert.ok(capped.retainedGrowth * 3 < uncapped.retainedGrowth, 'the cap is what keeps memory down');
    },
  );
});
