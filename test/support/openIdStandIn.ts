/**
 * A local stand-in for the Bot Framework channel's OpenID endpoints, so the real CloudAdapter
 * validates real RS256 tokens without network access.
 *
 *   const idp = await startOpenIdStandIn();
 *   // BOT_OPENID_METADATA_URL = idp.metadataUrl
 *   const token = idp.sign({ aud: APP_ID, serviceurl: activity.serviceUrl });
 *   await client.post(activity, { authorization: `Bearer ${token}` });
 *
 * It serves `/.well-known/openid-configuration` (issuer + `jwks_uri`) and `/keys` (a JWKS), the
 * same shape as login.botframework.com: RSA keys with `kid`, `n`, `e` and an `endorsements` list
 * naming the channels each key may sign for (the SDK rejects a token whose key is not endorsed for
 * the activity's channelId). Key pairs are generated at start-up; nothing is read from disk.
 */
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';

/** The issuer Bot Framework channel tokens carry (public cloud). */
export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

export interface TestKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** Channels the key is endorsed for, as published in the JWKS. */
  endorsements: string[];
}

export interface TokenClaims {
  /** The bot's app id (audience). */
  aud: string;
  /** Must equal the activity's serviceUrl. */
  serviceurl?: string;
  iss?: string;
  [claim: string]: unknown;
}

export interface SignOptions {
  /** Sign with this key instead of the first published one. */
  key?: TestKey;
  /** kid in the header (default: the signing key's own kid). */
  kid?: string;
  /** Seconds from now; negative = already expired. Default 300. */
  expiresInSeconds?: number;
  algorithm?: jwt.Algorithm;
}

export interface OpenIdStandIn {
  /** Value for BOT_OPENID_METADATA_URL. */
  metadataUrl: string;
  /** The keys published in the JWKS (the first is the default signing key). */
  keys: TestKey[];
  /** Paths requested so far, to prove the adapter really fetched metadata and keys from here. */
  requests: string[];
  sign(claims: TokenClaims, options?: SignOptions): string;
  stop(): Promise<void>;
}

/** A fresh RSA key pair that is NOT published anywhere (for "unknown key" tokens). */
export function newTestKey(endorsements: string[] = ['msteams'], kid = `test-${randomUUID()}`): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey, endorsements };
}

function jwkOf(key: TestKey): Record<string, unknown> {
  const { n, e } = key.publicKey.export({ format: 'jwk' });
  return { kty: 'RSA', use: 'sig', kid: key.kid, n, e, endorsements: key.endorsements };
}

/**
 * Starts the stand-in on a free 127.0.0.1 port. Each instance has its own URL, which matters:
 * botframework-connector caches metadata per URL for the life of the process.
 */
export async function startOpenIdStandIn(opts: { keys?: TestKey[] } = {}): Promise<OpenIdStandIn> {
  const keys = opts.keys ?? [newTestKey()];
  const requests: string[] = [];
  let base = '';
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push(path);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && path === '/.well-known/openid-configuration') {
      json(200, {
        issuer: BOT_FRAMEWORK_ISSUER,
        authorization_endpoint: `${base}/authorize`,
        jwks_uri: `${base}/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      });
    } else if (req.method === 'GET' && path === '/keys') {
      json(200, { keys: keys.map(jwkOf) });
    } else {
      json(404, { error: 'not found' });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    metadataUrl: `${base}/.well-known/openid-configuration`,
    keys,
    requests,
    sign(claims, options = {}) {
      const key = options.key ?? keys[0];
      if (!key) throw new Error('the stand-in has no keys to sign with');
      const now = Math.floor(Date.now() / 1000);
      const expiresIn = options.expiresInSeconds ?? 300;
      const payload = {
        iss: BOT_FRAMEWORK_ISSUER,
        // An expired token must also be older than the SDK's 5-minute clock tolerance to fail.
        nbf: Math.min(now, now + expiresIn) - 60,
        iat: Math.min(now, now + expiresIn) - 60,
        exp: now + expiresIn,
        ...claims,
      };
      const algorithm = options.algorithm ?? 'RS256';
      if (algorithm === 'none') return jwt.sign(payload, null, { algorithm: 'none', keyid: options.kid ?? key.kid });
      return jwt.sign(payload, key.privateKey.export({ format: 'pem', type: 'pkcs1' }), {
        algorithm,
        keyid: options.kid ?? key.kid,
      });
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
