/**
 * One TableClient per table the app uses, all built from a single connection string.
 *
 * Retries are deliberately short: the bot answers a person in a Teams chat, so an outage should
 * surface as "not saved, try again" within ~2–3 s rather than after the SDK's default ~minute.
 */
import { TableClient, type TableServiceClientOptions } from '@azure/data-tables';
import { guarded, statusOf } from './errors';

/** Table names: letters and digits only (Azure rejects hyphens and underscores). */
export const TABLE_NAMES = {
  decisions: 'decisions',
  audit: 'audit',
  roles: 'roles',
  conversations: 'conversations',
  reminders: 'reminders',
  leases: 'leases',
  sessions: 'sessions',
  tenantSettings: 'tenantsettings',
} as const;

export type TableName = keyof typeof TABLE_NAMES;
export type Tables = Record<TableName, TableClient>;

/** Two quick retries (~0.2 s then ~0.4 s, capped at 1 s) absorb a blip or a dropped keep-alive socket. */
export const DEFAULT_RETRY_OPTIONS = { maxRetries: 2, retryDelayInMs: 200, maxRetryDelayInMs: 1000 } as const;

/** Upper bound for one SDK call including its retries; stores pass it as an abort signal. */
export const DEFAULT_CALL_TIMEOUT_MS = 3000;

export function createTableClient(
  connectionString: string,
  tableName: string,
  options: TableServiceClientOptions = {},
): TableClient {
  return TableClient.fromConnectionString(connectionString, tableName, {
    // Only the local emulator is plain http; production connection strings are https.
    allowInsecureConnection: connectionString.includes('http://'),
    retryOptions: DEFAULT_RETRY_OPTIONS,
    ...options,
  });
}

export function createTables(connectionString: string, options: TableServiceClientOptions = {}): Tables {
  const entries = Object.entries(TABLE_NAMES).map(
    ([key, name]) => [key, createTableClient(connectionString, name, options)] as const,
  );
  return Object.fromEntries(entries) as Tables;
}

/** Creates every table; an existing table is fine (idempotent, safe to run at every start-up). */
export async function ensureTables(tables: Tables): Promise<void> {
  for (const client of Object.values(tables)) {
    await guarded(`create table ${client.tableName}`, async () => {
      try {
        await client.createTable();
      } catch (err) {
        if (statusOf(err) !== 409) throw err;
      }
    });
  }
}
