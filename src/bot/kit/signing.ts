/**
 * HMAC-SHA256 signed payloads: the paging state carried in records cards, and short-lived CSV
 * and summary-chart download tokens. Format: base64url(JSON) "." base64url(HMAC).
 *
 * Each use has its own key derived from the app's signing secret, so a card state can never be
 * replayed as a download token (or the other way round). A payload is only parsed after its
 * signature checks out (constant-time comparison), and is then validated with zod as well.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

export type SignPurpose = 'records-card-state-v1' | 'records-csv-download-v1' | 'summary-chart-download-v1';

const MAX_SIGNED_LENGTH = 32_768;

function keyFor(secret: string, purpose: SignPurpose): Buffer {
  return createHmac('sha256', secret).update(purpose).digest();
}

function mac(secret: string, purpose: SignPurpose, payload: string): Buffer {
  return createHmac('sha256', keyFor(secret, purpose)).update(payload).digest();
}

export function sign(secret: string, purpose: SignPurpose, value: unknown): string {
  const payload = Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
  return `${payload}.${mac(secret, purpose, payload).toString('base64url')}`;
}

export type Verified<T> =
  { ok: true; value: T } | { ok: false; reason: 'malformed' | 'bad_signature' | 'bad_contents' };

export function verify<T>(secret: string, purpose: SignPurpose, signed: unknown, schema: z.ZodType<T>): Verified<T> {
  if (typeof signed !== 'string' || signed.length > MAX_SIGNED_LENGTH) return { ok: false, reason: 'malformed' };
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(signed);
  if (!match) return { ok: false, reason: 'malformed' };
  const [, payload, signature] = match as unknown as [string, string, string];
  const expected = mac(secret, purpose, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad_signature' };
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'bad_contents' };
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, reason: 'bad_contents' };
}

/** What every download link carries besides its own fields: a format version, its expiry and a random id. */
export const LinkFields = {
  v: z.literal(1),
  /** Expiry, epoch seconds. */
  exp: z.number().int().positive(),
  /** Random id, so two links are never equal and a download can be traced to its issue in the audit. */
  jti: z.string().min(8).max(64),
};
type LinkStamp = { v: 1; exp: number; jti: string };

/** A signed link payload: `body` stamped with version, expiry `ttlSeconds` after `now`, and a fresh id. */
export function issueLink<T extends object>(
  secret: string,
  purpose: SignPurpose,
  opts: { ttlSeconds: number; now: Date },
  body: T,
): { token: string; payload: T & LinkStamp } {
  const payload = {
    v: 1 as const,
    ...body,
    exp: Math.floor(opts.now.getTime() / 1000) + opts.ttlSeconds,
    jti: randomBytes(12).toString('base64url'),
  };
  return { token: sign(secret, purpose, payload), payload };
}

/** A link's payload when its signature, contents and expiry all check out at `now`. */
export function checkLink<T extends { exp: number }>(
  secret: string,
  purpose: SignPurpose,
  token: unknown,
  schema: z.ZodType<T>,
  now: Date,
): Verified<T> | { ok: false; reason: 'expired' } {
  const verified = verify(secret, purpose, token, schema);
  if (!verified.ok) return verified;
  if (verified.value.exp * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return verified;
}
