/**
 * Our own opaque paging token: base64url JSON, validated with zod when it comes back.
 *
 * It records where the previous page stopped (`after`: the last RowKey returned, or `server`: the
 * SDK's token when a page ran out of round trips mid-scan) plus a fingerprint of the query, so a
 * token replayed against a different query or tenant is refused instead of silently mis-paging.
 * Tampering cannot widen access: every scan is still pinned to the caller's PartitionKey.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { InvalidContinuationTokenError } from './errors';

const tokenSchema = z.union([
  z.strictObject({ v: z.literal(1), f: z.string().length(22), after: z.string().min(1).max(1024) }),
  z.strictObject({ v: z.literal(1), f: z.string().length(22), server: z.string().min(1).max(4096) }),
]);

export type ResumePoint = { after: string } | { server: string };

/** Short, stable digest of everything that defines the result set (not the page size). */
export function queryFingerprint(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 22);
}

export function encodeToken(fingerprint: string, resume: ResumePoint): string {
  return Buffer.from(JSON.stringify({ v: 1, f: fingerprint, ...resume }), 'utf8').toString('base64url');
}

export function decodeToken(token: string, fingerprint: string): ResumePoint {
  if (token.length > 8192 || !/^[A-Za-z0-9_-]+$/.test(token)) {
    throw new InvalidContinuationTokenError('not a token issued by this store');
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidContinuationTokenError('not a token issued by this store');
  }
  const parsed = tokenSchema.safeParse(json);
  if (!parsed.success) throw new InvalidContinuationTokenError('unexpected contents');
  if (parsed.data.f !== fingerprint) {
    throw new InvalidContinuationTokenError('it was issued for a different query; start again without a token');
  }
  return 'after' in parsed.data ? { after: parsed.data.after } : { server: parsed.data.server };
}
