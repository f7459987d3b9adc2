/**
 * HMAC-SHA256 signed payloads: the paging state carried in records cards, and short-lived CSV
 * and summary-chart download tokens. Format: base64url(JSON) "." base64url(HMAC).
 *
 * Each use has its own key derived from the app's signing secret, so a card state can never be
 * replayed as a download token (or the other way round). A payload is only parsed after its
 * signature checks out (constant-time comparison), and is then validated with zod as well.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';

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
