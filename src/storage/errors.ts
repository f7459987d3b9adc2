/**
 * Errors the storage layer adds to the contract's StorageUnavailableError.
 *
 * Messages name keys and field paths only, never record content (records are safeguarding data).
 */
import { RestError } from '@azure/data-tables';
import { StorageUnavailableError } from './contract';

/** The caller handed storage something that does not meet the contract (a bug in the caller, not an outage). */
export class InvalidRecordError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidRecordError';
  }
}

/** A query whose filters cannot be interpreted (e.g. a date that is not ISO-8601). */
export class InvalidQueryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidQueryError';
  }
}

/** A continuation token that was not issued by this store for this query (tampered, truncated or reused). */
export class InvalidContinuationTokenError extends Error {
  constructor(message: string) {
    super(`Invalid continuation token: ${message}`);
    this.name = 'InvalidContinuationTokenError';
  }
}

/**
 * The idempotency key was already used by a different submission: another user, or another
 * questionnaire of the same user. The earlier record is not returned (it may be someone else's),
 * and nothing was written; the caller should let the user record again with a fresh key.
 */
export class IdempotencyKeyInUseError extends Error {
  constructor() {
    super('idempotency key already used by a different submission');
    this.name = 'IdempotencyKeyInUseError';
  }
}

/**
 * The decision names an urgent entry that another decision already records: one urgent share has
 * one decision (enforced by a create-only marker row written with the first). Nothing was written.
 */
export class UrgentEntryAlreadyRecordedError extends Error {
  constructor(readonly recordId: string) {
    super('the urgent entry is already recorded by another decision');
    this.name = 'UrgentEntryAlreadyRecordedError';
  }
}

/** An entity read back from a table did not match the shape this code wrote. */
export class CorruptEntityError extends Error {
  constructor(
    readonly table: string,
    /** Which row, e.g. "PartitionKey='t1', RowKey='rec|D-20261126-7F3KQ2'" (never the row's content). */
    readonly where: string,
    readonly detail: string,
  ) {
    super(`Corrupt entity in table '${table}' (${where}): ${detail}`);
    this.name = 'CorruptEntityError';
  }
}

export function isRestError(err: unknown): err is RestError {
  return err instanceof RestError || (err instanceof Error && err.name === 'RestError');
}

export function statusOf(err: unknown): number | undefined {
  return isRestError(err) ? err.statusCode : undefined;
}

/**
 * Maps SDK failures onto StorageUnavailableError so the bot can say "not saved, try again".
 *
 * Every RestError (connection refused/reset, timeouts, 5xx, throttling, auth or missing table)
 * and every abort (our per-call timeout) becomes StorageUnavailableError; the original is kept as
 * `cause` for the logs. Anything else (our own validation errors, programming errors) passes through.
 */
export function wrapStorageError(err: unknown, operation: string): unknown {
  if (err instanceof StorageUnavailableError) return err;
  if (isRestError(err)) {
    const detail = err.statusCode
      ? `HTTP ${err.statusCode}${err.code ? ` ${err.code}` : ''}`
      : (err.code ?? 'network error');
    return new StorageUnavailableError(`Table storage unavailable during ${operation} (${detail})`, { cause: err });
  }
  if (err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError')) {
    return new StorageUnavailableError(`Table storage did not answer in time during ${operation}`, { cause: err });
  }
  return err;
}

/** Runs one storage call, converting outages into StorageUnavailableError. */
export async function guarded<T>(operation: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw wrapStorageError(err, operation);
  }
}
