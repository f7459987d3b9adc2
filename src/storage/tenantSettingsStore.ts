/**
 * Each tenant's settings: the rule pack it decides under, and which pack versions its admins
 * have approved.
 *
 *   PartitionKey = encoded tenant id, RowKey = 'settings'
 *   → { rulePackId?, approvals (JSON), updatedAt, updatedBy }
 *
 * One row per tenant, written only ETag-conditionally: the first save is a conditional insert (409
 * when another admin saved first), every later one a replace with the ETag that was read (412 when
 * the row changed since). Either way the caller is told "conflict" and nothing is overwritten, so
 * two admins can never silently undo each other's choice.
 */
import { z } from 'zod';
import type { TenantSettingsStore } from './contract';
import { InvalidRecordError } from './errors';
import { decodeKeyPart, encodeKeyPart } from './keys';
import { describeIssues } from './recordSchemas';
import { TableStore, type Entity } from './tableStore';

/** An admin's approval of one version of one pack, for their tenant. */
export interface PackApproval {
  packId: string;
  version: string;
  /** Entra object id of the admin who approved it. */
  approvedBy: string;
  /** ISO-8601 UTC. */
  approvedAt: string;
}

export interface TenantSettings {
  tenantId: string;
  /** The pack the tenant chose; absent: the default pack. */
  rulePackId?: string;
  approvals: PackApproval[];
  /** Entra object id of whoever saved last, and when (ISO-8601 UTC). */
  updatedBy: string;
  updatedAt: string;
  /** Opaque concurrency token: pass it back to save() to change exactly this version of the row. */
  etag: string;
}

/** What save() writes (the store stamps updatedAt). */
export interface TenantSettingsChange {
  rulePackId?: string;
  approvals: PackApproval[];
  updatedBy: string;
}

export type SaveSettingsResult = { ok: true; settings: TenantSettings } | { ok: false; reason: 'conflict' };

const ROW_KEY = 'settings';
/** Far more than a tenant will ever approve (a few packs, a version each review); bounds the JSON column. */
export const MAX_APPROVALS = 200;

const id = z.string().min(1).max(200);
const packId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9-]*$/);

const approvalSchema = z.strictObject({
  packId,
  version: z.string().min(1).max(40),
  approvedBy: id,
  approvedAt: z.iso.datetime(),
});

/** What save() accepts (shared with the in-memory store so both refuse the same changes). */
export const tenantSettingsChangeSchema = z.strictObject({
  tenantId: id,
  rulePackId: packId.optional(),
  approvals: z.array(approvalSchema).max(MAX_APPROVALS),
  updatedBy: id,
});

const settingsEntitySchema = z.object({
  partitionKey: z.string(),
  rowKey: z.literal(ROW_KEY),
  rulePackId: packId.optional(),
  approvals: z.string(),
  updatedBy: id,
  updatedAt: z.iso.datetime(),
  etag: z.string().min(1),
});

/** The change, validated; throws InvalidRecordError naming the fields at fault (never their values). */
export function validatedSettingsChange(tenantId: string, change: TenantSettingsChange): TenantSettingsChange {
  const parsed = tenantSettingsChangeSchema.safeParse({ tenantId, ...change });
  if (!parsed.success) throw new InvalidRecordError(`tenant settings rejected: ${describeIssues(parsed.error)}`);
  const { rulePackId, approvals, updatedBy } = parsed.data;
  return { ...(rulePackId === undefined ? {} : { rulePackId }), approvals, updatedBy };
}

export class TableTenantSettingsStore extends TableStore implements TenantSettingsStore {
  async get(tenantId: string): Promise<TenantSettings | undefined> {
    const row = await this.pointRead(encodeKeyPart(tenantId), ROW_KEY, 'read tenant settings');
    return row && this.toSettings(row);
  }

  async save(
    tenantId: string,
    change: TenantSettingsChange,
    expectedEtag: string | undefined,
  ): Promise<SaveSettingsResult> {
    const valid = validatedSettingsChange(tenantId, change);
    const updatedAt = this.now().toISOString();
    const entity = {
      partitionKey: encodeKeyPart(tenantId),
      rowKey: ROW_KEY,
      // Replace mode: a property left out is removed, so going back to the default clears the choice.
      ...(valid.rulePackId === undefined ? {} : { rulePackId: valid.rulePackId }),
      approvals: JSON.stringify(valid.approvals),
      updatedBy: valid.updatedBy,
      updatedAt,
    };
    const written =
      expectedEtag === undefined
        ? await this.conditional('create tenant settings', [409], (abortSignal) =>
            this.client.createEntity(entity, { abortSignal }),
          )
        : await this.conditional('update tenant settings', [404, 412], (abortSignal) =>
            this.client.updateEntity(entity, 'Replace', { etag: expectedEtag, abortSignal }),
          );
    if (!written.ok) return { ok: false, reason: 'conflict' };
    return {
      ok: true,
      settings: { tenantId, ...valid, updatedAt, etag: written.value.etag ?? '' },
    };
  }

  private toSettings(row: Entity): TenantSettings {
    const { partitionKey, rulePackId, approvals, updatedBy, updatedAt, etag } = this.parsed(settingsEntitySchema, row);
    const list = z.array(approvalSchema).max(MAX_APPROVALS).safeParse(safeJson(approvals));
    if (!list.success) throw this.corrupt(`PartitionKey='${partitionKey}', RowKey='${ROW_KEY}'`, 'approvals: invalid');
    return {
      tenantId: decodeKeyPart(partitionKey),
      ...(rulePackId === undefined ? {} : { rulePackId }),
      approvals: list.data,
      updatedBy,
      updatedAt,
      etag,
    };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
