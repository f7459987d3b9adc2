/**
 * Who may see other people's records: managers and admins, per tenant.
 *
 *   PartitionKey = encoded tenant id, RowKey = encoded AAD object id
 *
 * Absence of a row means an ordinary practitioner. Roles are checked on every manager action, so
 * getRole is a single point read.
 */
import { odata } from '@azure/data-tables';
import { z } from 'zod';
import type { RoleStore } from './contract';
import { InvalidRecordError } from './errors';
import { decodeKeyPart, encodeKeyPart } from './keys';
import { describeIssues } from './recordSchemas';
import { TableStore, type Entity } from './tableStore';

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

/** What grant() accepts (shared with the in-memory store so both refuse the same grants). */
export const roleGrantInputSchema = z.object({
  tenantId: idSchema,
  aadObjectId: idSchema,
  role: z.enum(ROLES),
  grantedBy: idSchema.optional(),
});

export class TableRoleStore extends TableStore implements RoleStore {
  async getRole(tenantId: string, aadObjectId: string): Promise<Role | undefined> {
    const entity = await this.pointRead(encodeKeyPart(tenantId), encodeKeyPart(aadObjectId), 'get role');
    return entity && this.toGrant(entity).role;
  }

  /** Grants (or changes) a role; granting again simply overwrites. */
  async grant(tenantId: string, aadObjectId: string, role: Role, grantedBy?: string): Promise<RoleGrant> {
    const checked = roleGrantInputSchema.safeParse({ tenantId, aadObjectId, role, grantedBy });
    if (!checked.success) throw new InvalidRecordError(`role grant rejected: ${describeIssues(checked.error)}`);
    const grant: RoleGrant = { ...checked.data, grantedAt: this.now().toISOString() };
    await this.call('grant role', (abortSignal) =>
      this.client.upsertEntity(
        {
          partitionKey: encodeKeyPart(tenantId),
          rowKey: encodeKeyPart(aadObjectId),
          role,
          grantedAt: grant.grantedAt,
          ...(grantedBy === undefined ? {} : { grantedBy }),
        },
        'Replace',
        { abortSignal },
      ),
    );
    return grant;
  }

  /** Returns false when there was no role to revoke. */
  async revoke(tenantId: string, aadObjectId: string): Promise<boolean> {
    const deleted = await this.conditional('revoke role', [404], (abortSignal) =>
      this.client.deleteEntity(encodeKeyPart(tenantId), encodeKeyPart(aadObjectId), { abortSignal }),
    );
    return deleted.ok;
  }

  async list(tenantId: string): Promise<RoleGrant[]> {
    const grants: RoleGrant[] = [];
    const filter = odata`PartitionKey eq ${encodeKeyPart(tenantId)}`;
    for await (const page of this.pages(filter, 'list roles')) {
      grants.push(...page.map((row) => this.toGrant(row)));
    }
    return grants;
  }

  private toGrant(row: Entity): RoleGrant {
    const { partitionKey, rowKey, role, grantedBy, grantedAt } = this.parsed(roleEntitySchema, row);
    return {
      tenantId: decodeKeyPart(partitionKey),
      aadObjectId: decodeKeyPart(rowKey),
      role,
      grantedAt,
      ...(grantedBy === undefined ? {} : { grantedBy }),
    };
  }
}
