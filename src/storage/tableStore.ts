/**
 * The Table plumbing every store shares, written once: the TableClient, a fresh abort timeout per
 * SDK call, point reads where 404 means "absent", conditional writes whose expected refusals
 * (404, 409, 412) are answers rather than outages, corrupt rows reported as CorruptEntityError
 * (and logged by location, never content), SDK failures wrapped as StorageUnavailableError, and
 * the injected clock.
 *
 * A store extends TableStore, passes its client and options to `super`, and keeps only its own
 * layout and validation.
 */
import type { TableClient } from '@azure/data-tables';
import type { z } from 'zod';
import type { Logger } from '../logger';
import { entityPages } from './entityPages';
import { CorruptEntityError, guarded, statusOf, wrapStorageError } from './errors';
import { silentLogger } from './logger';
import { describeIssues } from './recordSchemas';
import { DEFAULT_CALL_TIMEOUT_MS } from './tableClients';

/** An entity as the SDK hands it back (system properties included). */
export type Entity = Record<string, unknown>;

export interface TableStoreOptions {
  /** The app's logger (src/logger.ts); silent when not given. */
  logger?: Logger;
  /** Upper bound for one SDK call, its retries included. */
  callTimeoutMs?: number;
  /** The clock (injectable for tests and the benchmark). */
  now?: () => Date;
}

/** What a conditional call came to: its value, or the expected status it was refused with. */
export type Conditional<T> = { ok: true; value: T } | { ok: false; status: number };

/** "PartitionKey='…', RowKey='…'": where a row is, for errors and logs (never what it holds). */
export function whereOf(row: Entity): string {
  return `PartitionKey='${String(row.partitionKey)}', RowKey='${String(row.rowKey)}'`;
}

export abstract class TableStore {
  protected readonly logger: Logger;
  protected readonly callTimeoutMs: number;
  protected readonly now: () => Date;

  constructor(
    protected readonly client: TableClient,
    options: TableStoreOptions = {},
  ) {
    this.logger = options.logger ?? silentLogger;
    this.callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    this.now = options.now ?? (() => new Date());
  }

  /** A fresh abort signal for one SDK call: one overall deadline would cut long listings short. */
  protected signal(): AbortSignal {
    return AbortSignal.timeout(this.callTimeoutMs);
  }

  /** One SDK call under its own timeout; outages become StorageUnavailableError. */
  protected call<T>(operation: string, fn: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    return guarded(operation, () => fn(this.signal()));
  }

  /**
   * One SDK call whose refusal with one of `expected` (e.g. 409 on a conditional insert, 412 on an
   * ETag mismatch, 404 on a missing row) is an answer, not an error. Anything else is wrapped.
   */
  protected async conditional<T>(
    operation: string,
    expected: readonly number[],
    fn: (abortSignal: AbortSignal) => Promise<T>,
  ): Promise<Conditional<T>> {
    try {
      return { ok: true, value: await fn(this.signal()) };
    } catch (err) {
      const status = statusOf(err);
      if (status !== undefined && expected.includes(status)) return { ok: false, status };
      throw wrapStorageError(err, operation);
    }
  }

  /** One entity, or undefined when there is none. */
  protected async pointRead(
    partitionKey: string,
    rowKey: string,
    operation: string,
    client = this.client,
  ): Promise<Entity | undefined> {
    const read = await this.conditional(operation, [404], (abortSignal) =>
      client.getEntity<Entity>(partitionKey, rowKey, { abortSignal }),
    );
    return read.ok ? read.value : undefined;
  }

  /** Pages of a query, each page its own SDK call with its own timeout. */
  protected pages(
    filter: string,
    operation: string,
    options: { client?: TableClient; maxPageSize?: number; select?: string[] } = {},
  ): AsyncGenerator<Entity[]> {
    const client = options.client ?? this.client;
    return entityPages(client, filter, () => this.signal(), operation, options.maxPageSize, options.select);
  }

  /** Creates the table if needed (idempotent; safe at every start-up). */
  async ensureTable(): Promise<void> {
    // No per-call timeout: creating a table can take the emulator or service a while at start-up.
    await this.conditional(`create table ${this.client.tableName}`, [409], () => this.client.createTable());
  }

  /**
   * A row that does not match what this code writes: logged (where and why, never its content) so
   * it is seen even when a caller skips it, and returned for the caller to throw.
   */
  protected corrupt(where: string, detail: string, table = this.client.tableName): CorruptEntityError {
    return this.reported(new CorruptEntityError(table, where, detail));
  }

  /** Logs a CorruptEntityError (table, where, why) and returns it. */
  protected reported(err: CorruptEntityError): CorruptEntityError {
    this.logger.error({ table: err.table, where: err.where, detail: err.detail }, 'corrupt entity in Table storage');
    return err;
  }

  /** Runs a reader that throws CorruptEntityError on a bad row (e.g. recordFromEntity), logging it first. */
  protected checked<T>(read: () => T): T {
    try {
      return read();
    } catch (err) {
      throw err instanceof CorruptEntityError ? this.reported(err) : err;
    }
  }

  /** The row parsed with `schema`, or a (logged) CorruptEntityError naming the row and the issues. */
  protected parsed<S extends z.ZodType>(schema: S, row: Entity): z.output<S> {
    const result = schema.safeParse(row);
    if (!result.success) throw this.corrupt(whereOf(row), describeIssues(result.error));
    return result.data;
  }

  /**
   * Rows of a listing that can be read; corrupt ones are skipped (already logged by `corrupt`), so
   * one bad row cannot stop a background job.
   */
  protected async *readable<T>(pages: AsyncIterable<Entity[]>, read: (row: Entity) => T): AsyncGenerator<T> {
    for await (const page of pages) {
      for (const row of page) {
        let item: T;
        try {
          item = read(row);
        } catch (err) {
          if (!(err instanceof CorruptEntityError)) throw err;
          continue;
        }
        yield item;
      }
    }
  }
}
