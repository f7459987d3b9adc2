/**
 * Who may see whose records. Checked on every command, every card action (Next/Previous/Apply/
 * Export) and every CSV download — never remembered in card data, which is untrusted.
 *
 *   manager = <tenant>:<object id> in MANAGER_AAD_OBJECT_IDS, or role 'manager' or 'admin' in the roles table for the
 * tenant
 *   admin   = <tenant>:<object id> in ADMIN_AAD_OBJECT_IDS,   or role 'admin' in the roles table for the tenant
 *
 * Configured entries are bound to their tenant: the same object id arriving from another allowed
 * tenant is nobody special there.
 *
 * Config admins are deliberately not managers by default (separation of duties: the people who
 * grant access need not read safeguarding records); they can grant themselves the role, which is
 * audited like any other grant.
 */
import type { TenantMember } from '../../config';
import type { BotServices, Turn } from '../features/types';
import { normaliseAadId } from './ids';

type AccessServices = Pick<BotServices, 'config' | 'stores'>;

/** True when the list names this person in this tenant (config entries are stored lower-cased). */
export function namesMember(list: readonly TenantMember[], tenantId: string, aadObjectId: string): boolean {
  const tenant = tenantId.trim().toLowerCase();
  const person = normaliseAadId(aadObjectId);
  return list.some((m) => m.tenantId === tenant && m.aadObjectId === person);
}

/** The configured members of one tenant (their object ids). */
export function membersOf(list: readonly TenantMember[], tenantId: string): string[] {
  const tenant = tenantId.trim().toLowerCase();
  return list.filter((m) => m.tenantId === tenant).map((m) => m.aadObjectId);
}

export async function isManager(services: AccessServices, tenantId: string, aadObjectId: string): Promise<boolean> {
  if (namesMember(services.config.MANAGER_AAD_OBJECT_IDS, tenantId, aadObjectId)) return true;
  const role = await services.stores.roles.getRole(tenantId, normaliseAadId(aadObjectId));
  return role === 'manager' || role === 'admin';
}

export async function isAdmin(services: AccessServices, tenantId: string, aadObjectId: string): Promise<boolean> {
  if (namesMember(services.config.ADMIN_AAD_OBJECT_IDS, tenantId, aadObjectId)) return true;
  return (await services.stores.roles.getRole(tenantId, normaliseAadId(aadObjectId))) === 'admin';
}

/** Whether the person taking this turn is a manager in its tenant (looked up now, never from card data). */
export function isManagerHere(turn: Turn): Promise<boolean> {
  return isManager(turn.services, turn.identity.scope.tenantId, turn.identity.user.aadObjectId);
}
