/**
 * What reaches the adapter: oversized, malformed and non-activity bodies are refused by the HTTP
 * layer before any turn runs. The bot runs WITHOUT an app id here (authentication off, as in local
 * development), so that a request which got through would certainly run a turn — the refusals
 * below are down to the body checks alone. Real restify + real Azurite.
 */
import { strict as assert } from 'node:assert';
import { readdirSync } from 'node:fs';
import os from 'node:os';
import { gzipSync } from 'node:zlib';
import { after, before, beforeEach, describe, it } from 'node:test';
import { TeamsClient, newUser, personalChat, startBot, type BotHarness } from '../../support/botHarness';
import { repliesIn, spyOnTurns, storageSnapshot, type TurnSpy } from './support';

const MAX_BODY_BYTES = 4096;

let bot: BotHarness;
let spy: TurnSpy;
let client: TeamsClient;

/** A message activity whose JSON is exactly `size` bytes (padding in the text). */
function messageOfSize(size: number): string {
  const base = client.activity({ type: 'message', text: '', deliveryMode: 'expectReplies' });
  const empty = Buffer.byteLength(JSON.stringify(base));
  const json = JSON.stringify({ ...base, text: `help ${'x'.repeat(size - empty - 5)}` });
  assert.equal(Buffer.byteLength(json), size);
  return json;
}

async function rawPost(
  body: string | ReadableStream<Uint8Array>,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  const res = await fetch(`${bot.baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    ...(typeof body === 'string' ? {} : { duplex: 'half' }),
  } as RequestInit);
  return { status: res.status, text: await res.text() };
}

/** Asserts the request did nothing: no turn and no new rows. */
async function assertNoTurn(send: () => Promise<{ status: number }>, status: number): Promise<void> {
  const rowsBefore = await storageSnapshot(bot);
  const res = await send();
  assert.equal(res.status, status);
  assert.deepEqual(spy.turns, [], 'no turn ran');
  assert.deepEqual(await storageSnapshot(bot), rowsBefore, 'nothing was written to storage');
}

describe('security: request bodies', () => {
  before(async () => {
    bot = await startBot({ MAX_BODY_BYTES: String(MAX_BODY_BYTES) });
    spy = spyOnTurns(bot);
    client = new TeamsClient(bot.baseUrl, newUser('Lim Its'), personalChat());
  });

  after(async () => {
    await bot?.stop();
  });

  beforeEach(() => {
    spy.turns.length = 0;
  });

  it('a body of exactly MAX_BODY_BYTES is accepted and runs a turn (control)', async () => {
    const res = await client.post(messageOfSize(MAX_BODY_BYTES));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(repliesIn(res.body).length, 1);
    assert.equal(spy.turns.length, 1);
    // Teams sends a charset parameter; that is still JSON.
    const withCharset = await rawPost(messageOfSize(1024), { 'content-type': 'application/json; charset=utf-8' });
    assert.equal(withCharset.status, 200, withCharset.text);
    assert.equal(spy.turns.length, 2);
  });

  it('a body one byte over MAX_BODY_BYTES: 413 and no turn', async () => {
    await assertNoTurn(() => client.post(messageOfSize(MAX_BODY_BYTES + 1)), 413);
  });

  it('a much larger body: 413 and no turn', async () => {
    await assertNoTurn(() => client.post(messageOfSize(MAX_BODY_BYTES * 64)), 413);
  });

  it('an oversized body sent chunked (no Content-Length): 413 and no turn', async () => {
    const bytes = new TextEncoder().encode(messageOfSize(MAX_BODY_BYTES * 4));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 1024) controller.enqueue(bytes.subarray(i, i + 1024));
        controller.close();
      },
    });
    await assertNoTurn(() => rawPost(stream), 413);
  });

  it('malformed JSON: 400 and no turn', async () => {
    await assertNoTurn(() => rawPost('{"type": "message", "text": "help"'), 400);
  });

  it('a body without "type": 400 and no turn', async () => {
    const { type: _type, ...noType } = client.activity({
      type: 'message',
      text: 'help',
      deliveryMode: 'expectReplies',
    });
    await assertNoTurn(async () => {
      const res = await client.post(noType);
      assert.match(JSON.stringify(res.body), /must be a Bot Framework activity/);
      return res;
    }, 400);
  });

  it('a "type" that is not a string, a JSON array, and JSON null: 400 and no turn', async () => {
    await assertNoTurn(() => client.post(client.activity({ type: 42, text: 'help' })), 400);
    await assertNoTurn(() => rawPost(JSON.stringify([client.activity({ type: 'message', text: 'help' })])), 400);
    await assertNoTurn(() => rawPost('null'), 400);
  });

  it('a body that is not JSON at all (text/plain): 400 and no turn', async () => {
    await assertNoTurn(() => rawPost('type=message&text=help', { 'content-type': 'text/plain' }), 400);
  });

  it('a gzip body that inflates past MAX_BODY_BYTES (a "zip bomb"): refused with 415 and no turn', async () => {
    // restify counts the compressed bytes against maxBodySize, so 1 MB of JSON in ~1 KB of gzip
    // would be inflated and parsed in full, before authentication.
    const inflated = messageOfSize(1024 * 1024);
    const compressed = gzipSync(inflated);
    assert.ok(compressed.length < MAX_BODY_BYTES, `compressed body is ${compressed.length} bytes`);
    await assertNoTurn(() => rawPost(new Blob([compressed]).stream(), { 'content-encoding': 'gzip' }), 415);
  });

  it('a multipart upload is not written to disk, and gets no turn', async () => {
    const before = new Set(readdirSync(os.tmpdir()));
    const form = new FormData();
    form.append('type', 'message');
    form.append('text', 'help');
    form.append('upload', new Blob(['A'.repeat(2000)]), 'upload.txt');
    const rowsBefore = await storageSnapshot(bot);
    const res = await fetch(`${bot.baseUrl}/api/messages`, { method: 'POST', body: form });
    await res.text();
    assert.equal(res.status, 400);
    assert.deepEqual(spy.turns, []);
    assert.deepEqual(await storageSnapshot(bot), rowsBefore);
    const written = readdirSync(os.tmpdir()).filter((f) => !before.has(f) && f.startsWith('upload_'));
    assert.deepEqual(written, [], 'no upload_* file left in the temp folder');
  });

  it('a form-encoded body is not taken for an activity: 400 and no turn', async () => {
    await assertNoTurn(
      () => rawPost('type=message&text=help', { 'content-type': 'application/x-www-form-urlencoded' }),
      400,
    );
  });

  it('the server still serves normal requests afterwards', async () => {
    const res = await client.post(client.activity({ type: 'message', text: 'help', deliveryMode: 'expectReplies' }));
    assert.equal(res.status, 200);
    assert.equal(spy.turns.length, 1);
  });
});
