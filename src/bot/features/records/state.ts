/**
 * What records cards and download links carry, signed (see signing.ts) and checked with zod.
 *
 * Card data is untrusted: the signature proves the bot wrote it, but the tenant and the caller
 * are still taken from the activity, and authorisation is checked again on every click.
 */
import { z } from 'zod';
import { signingSecretOf, type Config } from '../../../config';
import { FilterSchema, MAX_ROWS_PER_CARD, type RecordFilter } from './filters';
import { LinkFields, checkLink, issueLink, sign, verify, type Verified } from '../../kit/signing';

/**
 * How many earlier pages' positions a card remembers for "Previous" (older ones fall back to
 * "First page"). Bounded so that a deep page's card stays well inside Teams' message size limit.
 */
export const MAX_BACK = 10;

const storeToken = z.string().min(1).max(4096);

export const CardStateSchema = z.strictObject({
  v: z.literal(1),
  /** Tenant the list was made for (must equal the activity's tenant). */
  tn: z.string().min(1).max(200),
  /** AAD object id of whoever opened the list (must equal the clicking user). */
  o: z.string().min(1).max(200),
  /** 'manager': any practitioner's records (managers only); 'mine': the owner's own records. */
  m: z.enum(['manager', 'mine']),
  f: FilterSchema,
  n: z.number().int().min(1).max(MAX_ROWS_PER_CARD),
  /** 1-based page number. */
  p: z.number().int().min(1).max(1_000_000),
  /** Store continuation token for this page; absent for the first page. */
  t: storeToken.optional(),
  /** Tokens of the pages before this one ('' = the first page), most recent last. */
  b: z.array(z.string().max(4096)).max(MAX_BACK),
});
export type CardState = z.infer<typeof CardStateSchema>;

export const signState = (config: Config, s: CardState): string =>
  sign(signingSecretOf(config), 'records-card-state-v1', s);
export const verifyState = (config: Config, signed: unknown): Verified<CardState> =>
  verify(signingSecretOf(config), 'records-card-state-v1', signed, CardStateSchema);

/** The state of the page after `s`, given the token the store returned for it. */
export function nextState(s: CardState, token: string): CardState {
  const b = [...s.b, s.t ?? ''];
  return { ...s, p: s.p + 1, t: token, b: b.length > MAX_BACK ? b.slice(b.length - MAX_BACK) : b };
}

/** The state of the page before `s` (the first page when its position has been forgotten). */
export function previousState(s: CardState): { state: CardState; isFirst: boolean } | undefined {
  if (s.p <= 1) return undefined;
  const { t: _current, ...rest } = s;
  if (s.b.length === 0) return { state: { ...rest, p: 1, b: [] }, isFirst: true };
  const token = s.b[s.b.length - 1];
  const earlier = s.b.slice(0, -1);
  return { state: { ...rest, p: s.p - 1, b: earlier, ...(token ? { t: token } : {}) }, isFirst: false };
}

/** The list's query without its position: what Apply and Export need (keeps their action data small). */
export function withoutPosition(s: CardState): CardState {
  const { t: _token, ...rest } = s;
  return { ...rest, p: 1, b: [] };
}

export function firstState(opts: {
  tenantId: string;
  owner: string;
  mode: CardState['m'];
  filter: RecordFilter;
  pageSize: number;
}): CardState {
  return { v: 1, tn: opts.tenantId, o: opts.owner, m: opts.mode, f: opts.filter, n: opts.pageSize, p: 1, b: [] };
}

/** How long a CSV download link works. */
export const DOWNLOAD_TTL_SECONDS = 10 * 60;

export const DownloadTokenSchema = z.strictObject({
  ...LinkFields,
  /** Tenant whose records the link exports (the only tenant it can ever read). */
  tn: z.string().min(1).max(200),
  /** AAD object id of the manager it was issued to (re-checked at download time). */
  a: z.string().min(1).max(200),
  f: FilterSchema,
});
export type DownloadToken = z.infer<typeof DownloadTokenSchema>;

export function issueDownloadToken(
  config: Config,
  opts: { tenantId: string; actor: string; filter: RecordFilter; now: Date },
): { token: string; payload: DownloadToken } {
  return issueLink(
    signingSecretOf(config),
    'records-csv-download-v1',
    { ttlSeconds: DOWNLOAD_TTL_SECONDS, now: opts.now },
    { tn: opts.tenantId, a: opts.actor, f: opts.filter },
  );
}

export type DownloadCheck =
  | { ok: true; token: DownloadToken }
  | { ok: false; reason: 'malformed' | 'bad_signature' | 'bad_contents' | 'expired' };

export function checkDownloadToken(config: Config, token: unknown, now: Date): DownloadCheck {
  const checked = checkLink(signingSecretOf(config), 'records-csv-download-v1', token, DownloadTokenSchema, now);
  return checked.ok ? { ok: true, token: checked.value } : checked;
}
