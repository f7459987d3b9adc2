/**
 * Who may see other people's records: managers and admins, per tenant.
 *
 *   PartitionKey = encoded tenant id, RowKey = encoded AAD object id
 *
 * Absence of a row means an ordinary practitioner. Roles are checked on every manager action, so
 * getRole is a single point read.
 */
import { odata, type TableClient } from '@azure/data-tables';
import { entityPages } from './entityPages';
import { z } from 'zod';
import { CorruptEntityError, guarded, InvalidRecordError, statusOf, wrapStorageError } from './errors';
import { decodeKeyPart, encodeKeyPart } from './keys';
import { defaultStorageLogger, type StorageLogger } from './logger';
import { describeIssues } from './recordSchemas';
import { DEFAULT_CALL_TIMEOUT_MS } from './tableClients';

export const ROLES = ['manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface RoleGrant {
  tenantId: string;
  aadObjectId: string;
  role: Role;
  /** AAD object id of whoever granted it (absent for grants made by deployment scripts). */
  grantedBy?: string;
  /** ISO-8601 UTC. */
  grantedAt: string;
}

const roleEntitySchema = z.object({
  partitionKey: z.string(),
  rowKey: z.string(),
  role: z.enum(ROLES),
  grantedBy: z.string().optional(),
  grantedAt: z.iso.datetime(),
});

const idSchema = z.string().min(1).max(200);

export interface RoleStoreOptions {
  logger?: StorageLogger;
  callTimeoutMs?: number;
  now?: () => Date;
}

export class TableRoleStore {
  private readonly logger: StorageLogger;
  private readonly callTimeoutMs: number;
  private readonly now: () => Date;

  constructor(
    private readonly client: TableClient,
    options: RoleStoreOptions = {},
  ) {
    this.logger = options.logger ?? defaultStorageLogger();
    this.callTimeoutMs = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    this.now = options.now ?? (() => new Date());
  }

  async getRole(tenantId: string, aadObjectId: string): Promise<Role | undefined> {
    let entity: Record<string, unknown>;
    try {
      entity = await this.client.getEntity<Record<string, unknown>>(encodeKeyPart(tenantId), encodeKeyPart(aadObjectId), {
        abortSignal: this.signal(),
      });
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw wrapStorageError(err, 'get role');
    }
    return this.toGrant(entity).role;
  }

  /** Grants (or changes) a role; granting again simply overwrites. */
  async grant(tenantId: string, aadObjectId: string, role: Role, grantedBy?: string): Promise<RoleGrant> {
    const checked = z
      .object({ tenantId: idSchema, aadObjectId: idSchema, role: z.enum(ROLES), grantedBy: idSchema.optional() })
      .safeParse({ tenantId, aadObjectId, role, grantedBy });
    if (!checked.success) throw new InvalidRecordError(`role grant rejected: ${describeIssues(checked.error)}`);
    const grant: RoleGrant = { ...checked.data, grantedAt: this.now().toISOString() };
    await guarded('grant role', () =>
      this.client.upsertEntity(
        {
          partitionKey: encodeKeyPart(tenantId),
          rowKey: encodeKeyPart(aadObjectId),
          role,
          grantedAt: grant.grantedAt,
          ...(grantedBy === undefined ? {} : { grantedBy }),
        },
        'Replace',
        { abortSignal: this.signal() },
      ),
    );
    return grant;
  }

  /** Returns false when there was no role to revoke. */
  async revoke(tenantId: string, aadObjectId: string): Promise<boolean> {
    try {
      await this.client.deleteEntity(encodeKeyPart(tenantId), encodeKeyPart(aadObjectId), { abortSignal: this.signal() });
      return true;
    } catch (err) {
      if (statusOf(err) === 404) return false;
      throw wrapStorageError(err, 'revoke role');
    }
  }

  async list(tenantId: string): Promise<RoleGrant[]> {
    const grants: RoleGrant[] = [];
    const filter = odata`PartitionKey eq ${encodeKeyPart(tenantId)}`;
    for await (const page of entityPages(this.client, filter, () => this.signal(), 'list roles')) {
      grants.push(...page.map((row) => this.toGrant(row)));
    }
    return grants;
  }

  private toGrant(row: Record<string, unknown>): RoleGrant {
    const parsed = roleEntitySchema.safeParse(row);
    if (!parsed.success) {
      const where = `PartitionKey='${String(row.partitionKey)}', RowKey='${String(row.rowKey)}'`;
      const err = new CorruptEntityError(this.client.tableName, where, describeIssues(parsed.error));
      this.logger.error({ table: err.table, where, detail: err.detail }, 'corrupt entity in Table storage');
      throw err;
    }
    const { partitionKey, rowKey, role, grantedBy, grantedAt } = parsed.data;
    return {
      tenantId: decodeKeyPart(partitionKey),
      aadObjectId: decodeKeyPart(rowKey),
      role,
      grantedAt,
      ...(grantedBy === undefined ? {} : { grantedBy }),
    };
  }

  private signal(): AbortSignal {
    return AbortSignal.timeout(this.callTimeoutMs);
  }
}
