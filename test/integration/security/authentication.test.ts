/**
 * With MICROSOFT_APP_ID configured, every POST /api/messages must carry a valid Bot Framework
 * channel token. Real restify server + real CloudAdapter + real Azurite; the channel's OpenID
 * metadata and signing keys come from a local stand-in (BOT_OPENID_METADATA_URL), and tokens are
 * real RS256 JWTs signed with keys generated for this run.
 *
 * Every refused request is checked for its status AND for having done nothing: no turn entered the
 * adapter pipeline, no reply came back, and no row was written to any table.
 */
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { createAdapter } from '../../../src/bot/adapter';
import { loadConfig } from '../../../src/config';
import {
  TeamsClient,
  cardOf,
  cardText,
  newUser,
  personalChat,
  startBot,
  type BotHarness,
} from '../../support/botHarness';
import { newTestKey, startOpenIdStandIn, type OpenIdStandIn } from '../../support/openIdStandIn';
import { repliesIn, spyOnTurns, storageSnapshot, type TurnSpy } from './support';

const APP_ID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
const OTHER_APP_ID = 'ffffffff-bbbb-4ccc-8ddd-eeeeeeeeeeee';

let idp: OpenIdStandIn;
let bot: BotHarness;
let spy: TurnSpy;
let client: TeamsClient;
/** Published in the JWKS, but endorsed only for another channel. */
const webchatOnlyKey = newTestKey(['webchat']);

const message = (text = 'help') => client.activity({ type: 'message', text, deliveryMode: 'expectReplies' });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const validClaims = () => ({ aud: APP_ID, serviceurl: client.serviceUrl });

/** Posts, then asserts 401, that nothing at all happened, and that the refusal was logged without the token. */
async function assertRefused(body: Record<string, unknown>, headers: Record<string, string>): Promise<unknown> {
  const rowsBefore = await storageSnapshot(bot);
  const logsBefore = bot.logs.length;
  const res = await client.post(body, headers);
  assert.equal(res.status, 401, `expected 401, got ${res.status}: ${JSON.stringify(res.body)}`);
  assert.deepEqual(repliesIn(res.body), [], 'a refused request gets no reply');
  assert.deepEqual(spy.turns, [], 'no turn ran');
  assert.deepEqual(await storageSnapshot(bot), rowsBefore, 'nothing was written to storage');
  const newLogs = bot.logs.slice(logsBefore);
  assert.ok(
    newLogs.some((l) => l.event === 'auth.refused' && l.level === 40),
    `a warning with event auth.refused is logged; got ${JSON.stringify(newLogs)}`,
  );
  const token = headers.authorization?.split(' ')[1];
  if (token && token.length > 20) assert.ok(!JSON.stringify(newLogs).includes(token), 'the token is never logged');
  return res.body;
}

describe('security: Bot Framework authentication on /api/messages', () => {
  before(async () => {
    idp = await startOpenIdStandIn({ keys: [newTestKey(['msteams', 'webchat']), webchatOnlyKey] });
    bot = await startBot({
      MICROSOFT_APP_ID: APP_ID,
      MICROSOFT_APP_PASSWORD: 'test-only-client-secret',
      MICROSOFT_APP_TYPE: 'MultiTenant',
      BOT_OPENID_METADATA_URL: idp.metadataUrl,
    });
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

  it('a valid token: 200, the turn runs authenticated, and the keys came from the configured metadata URL', async () => {
    const res = await client.post(message('help'), bearer(idp.sign(validClaims())));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const replies = repliesIn(res.body);
    assert.equal(replies.length, 1, 'the welcome card comes back in the response (expectReplies)');
    assert.match(cardText(cardOf(replies[0]!)), /start/i);
    assert.deepEqual(spy.turns, [{ type: 'message', authenticated: true, audience: APP_ID }]);
    // The adapter fetched the metadata document and then the JWKS it points at, from the stand-in.
    assert.ok(idp.requests.includes('/.well-known/openid-configuration'), `requests: ${idp.requests.join(', ')}`);
    assert.ok(idp.requests.includes('/keys'), `requests: ${idp.requests.join(', ')}`);
  });

  it('a valid token on a card action (invoke): 200 and the invoke is answered', async () => {
    const invoke = client.activity({
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', id: randomUUID(), verb: 'no.such.verb', data: {} } },
    });
    const res = await client.post(invoke, bearer(idp.sign(validClaims())));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal((res.body as { statusCode: number }).statusCode, 200);
    assert.match(String((res.body as { value: unknown }).value), /not recognised/);
    assert.deepEqual(spy.turns, [{ type: 'invoke', authenticated: true, audience: APP_ID }]);
  });

  it('no Authorization header: 401', async () => {
    await assertRefused(message(), {});
  });

  it('not a Bearer token, or not a JWT: 401', async () => {
    await assertRefused(message(), { authorization: `Basic ${Buffer.from('bot:secret').toString('base64')}` });
    await assertRefused(message(), bearer('not-a-jwt'));
    await assertRefused(message(), { authorization: 'Bearer' });
  });

  it('an expired token: 401', async () => {
    // Past the SDK's 5-minute clock tolerance.
    const body = await assertRefused(message(), bearer(idp.sign(validClaims(), { expiresInSeconds: -600 })));
    assert.match(String(body), /expired/i);
  });

  it('a token for another audience (another bot): 401', async () => {
    const body = await assertRefused(message(), bearer(idp.sign({ ...validClaims(), aud: OTHER_APP_ID })));
    assert.match(String(body), /Invalid AppId/);
  });

  it('a token signed by an unknown key (kid not in the JWKS): 401', async () => {
    const stranger = newTestKey();
    const body = await assertRefused(message(), bearer(idp.sign(validClaims(), { key: stranger })));
    assert.match(String(body), /Signing Key could not be retrieved/);
  });

  // Before the fix in src/bot/adapter.ts these two were answered 500: jsonwebtoken's errors escaped
  // the SDK's validation as plain Errors. (No turn ran even then.)
  it('a token signed by an unknown key that claims a published kid (forged signature): 401', async () => {
    const stranger = newTestKey();
    const body = await assertRefused(
      message(),
      bearer(idp.sign(validClaims(), { key: stranger, kid: idp.keys[0]!.kid })),
    );
    assert.match(String(body), /invalid signature/);
  });

  it('an unsigned token (alg "none") naming a published kid: 401', async () => {
    const body = await assertRefused(message(), bearer(idp.sign(validClaims(), { algorithm: 'none' })));
    assert.match(String(body), /signature is required/);
  });

  it('a token from another issuer: 401', async () => {
    await assertRefused(message(), bearer(idp.sign({ ...validClaims(), iss: 'https://sts.windows.net/attacker/' })));
  });

  it('a token issued for another serviceUrl: 401', async () => {
    const body = await assertRefused(
      message(),
      bearer(idp.sign({ ...validClaims(), serviceurl: 'https://attacker.example/' })),
    );
    assert.match(String(body), /ServiceUrl/i);
  });

  it('a token signed by a published key that is not endorsed for msteams: 401', async () => {
    const body = await assertRefused(message(), bearer(idp.sign(validClaims(), { key: webchatOnlyKey })));
    assert.match(String(body), /endorsement/i);
  });

  it('overriding the metadata URL keeps every other public-cloud endpoint (issuer, login, scope, OAuth)', () => {
    type Inner = Record<string, unknown>;
    const innerOf = (adapter: unknown) =>
      (adapter as { botFrameworkAuthentication: { inner: Inner } }).botFrameworkAuthentication.inner;
    const overridden = innerOf(bot.app.adapter);
    const fields = [
      'validateAuthority',
      'toChannelFromBotLoginUrl',
      'toChannelFromBotOAuthScope',
      'toBotFromChannelTokenIssuer',
      'oAuthUrl',
      'toBotFromEmulatorOpenIdMetadataUrl',
      'callerId',
    ];
    const defaults = innerOf(
      createAdapter(
        loadConfig({ NODE_ENV: 'test', MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'x' }),
        bot.app.logger,
      ),
    );
    for (const f of fields) {
      assert.notEqual(defaults[f], undefined, `default ${f} is set`);
      assert.equal(overridden[f], defaults[f], f);
    }
    assert.equal(overridden.toBotFromChannelOpenIdMetadataUrl, idp.metadataUrl);
    assert.equal(
      defaults.toBotFromChannelOpenIdMetadataUrl,
      'https://login.botframework.com/v1/.well-known/openidconfiguration',
    );
  });

  it('a card action (invoke) without a valid token: 401 and no card', async () => {
    const invoke = client.activity({
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', id: randomUUID(), verb: 'no.such.verb', data: {} } },
    });
    const body = await assertRefused(invoke, bearer(idp.sign({ ...validClaims(), aud: OTHER_APP_ID })));
    assert.doesNotMatch(JSON.stringify(body ?? ''), /application\/vnd\.microsoft\.card\.adaptive/);
  });
});
