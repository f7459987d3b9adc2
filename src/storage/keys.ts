/**
 * Key building for Table storage: escaping, inverted timestamps, record ids.
 *
 * PartitionKey/RowKey may not contain / \ # ? or control characters, and we use '|' as the
 * separator inside composite RowKeys, so every caller-supplied id goes through encodeKeyPart.
 */
import { randomBytes } from 'node:crypto';

/** Largest 13-digit number: epoch millis up to the year 2286 invert to a fixed-width 13-digit string. */
const MAX_MILLIS = 9_999_999_999_999;
const INV_WIDTH = 13;

/**
 * Injective, readable escaping for ids used inside keys: [A-Za-z0-9-_.] stay as they are (so a
 * GUID is unchanged), every other UTF-8 byte becomes ~XX. '~' itself is escaped, so two different
 * inputs can never produce the same key part, and the output never contains '|'.
 */
export function encodeKeyPart(value: string): string {
  // Most key parts (GUIDs, record ids, codes) need no escaping: one linear scan, no copy.
  if (SAFE_KEY_PART.test(value)) return value;
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) out += KEY_BYTE[byte];
  return out;
}

const SAFE_KEY_PART = /^[A-Za-z0-9\-_.]*$/;
/** Each byte's encoding: itself for [A-Za-z0-9-_.], else ~XX. */
const KEY_BYTE: readonly string[] = Array.from({ length: 256 }, (_, byte) => {
  const ch = String.fromCharCode(byte);
  return /[A-Za-z0-9\-_.]/.test(ch) ? ch : `~${byte.toString(16).toUpperCase().padStart(2, '0')}`;
});

export function decodeKeyPart(encoded: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < encoded.length; i++) {
    if (encoded[i] === '~') {
      bytes.push(parseInt(encoded.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(encoded.charCodeAt(i));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Newest-first ordering: RowKeys sort ascending, so we store (MAX - millis), fixed width. */
export function invertedMillis(epochMillis: number): string {
  if (!Number.isInteger(epochMillis) || epochMillis < 0 || epochMillis > MAX_MILLIS) {
    throw new RangeError(`time out of range for an inverted key: ${epochMillis}`);
  }
  return String(MAX_MILLIS - epochMillis).padStart(INV_WIDTH, '0');
}

/**
 * Case references are typed by people: "cs 1234", "CS1234 " and "CS1234" are the same case.
 * NFKC folds look-alike characters, then case and all whitespace are dropped.
 */
export function normaliseCaseReference(caseReference: string): string {
  return caseReference.normalize('NFKC').toUpperCase().replace(/\s+/gu, '');
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Crockford base32 (no I, L, O, U): easy to read aloud and to type back. */
export function crockfordRandom(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  // 256 is a multiple of 32, so byte % 32 is unbiased.
  for (const byte of bytes) out += CROCKFORD[byte % 32];
  return out;
}

/** e.g. D-20261126-7F3KQ2: the UTC day it was recorded plus 30 random bits (unique per tenant per day in practice). */
export function newRecordId(at: Date): string {
  const day = at.toISOString().slice(0, 10).replace(/-/g, '');
  return `D-${day}-${crockfordRandom(6)}`;
}

const RECORD_ID_PATTERN = /^D-\d{8}-[0-9A-HJKMNP-TV-Z]{6}$/;

/**
 * Ids are read aloud and retyped: accept lower case and surrounding spaces, and map the letters
 * Crockford base32 never emits (I, L → 1; O → 0) in the random part. Returns undefined when the
 * text cannot be a record id.
 */
export function normaliseRecordId(text: string): string | undefined {
  const upper = text.trim().toUpperCase();
  const match = /^(D-\d{8}-)(.{6})$/.exec(upper);
  if (!match) return undefined;
  const id = match[1] + match[2]!.replace(/[IL]/g, '1').replace(/O/g, '0');
  return RECORD_ID_PATTERN.test(id) ? id : undefined;
}

/** A suffix for append-only logs (audit) where two rows may share a millisecond. */
export function uniqueSuffix(): string {
  return crockfordRandom(8);
}
