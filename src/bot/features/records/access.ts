/**
 * Who may see whose records. Checked on every command, every card action (Next/Previous/Apply/
 * Export) and every CSV download — never remembered in card data, which is untrusted.
 *
 *   manager = in MANAGER_AAD_OBJECT_IDS, or role 'manager' or 'admin' in the roles table for the tenant
 *   admin   = in ADMIN_AAD_OBJECT_IDS,   or role 'admin' in the roles table for the tenant
 *
 * Config admins are deliberately not managers by default (separation of duties: the people who
 * grant access need not read safeguarding records); they can grant themselves the role, which is
 * audited like any other grant.
 */
import type { BotServices } from '../types';

const sameId = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** AAD object ids are GUIDs; roles are stored under the lower-case form. */
export const normaliseAadId = (id: string) => id.trim().toLowerCase();

type AccessServices = Pick<BotServices, 'config' | 'stores'>;

export async function isManager(services: AccessServices, tenantId: string, aadObjectId: string): Promise<boolean> {
  if (services.config.MANAGER_AAD_OBJECT_IDS.some((id) => sameId(id, aadObjectId))) return true;
  const role = await services.stores.roles.getRole(tenantId, normaliseAadId(aadObjectId));
  return role === 'manager' || role === 'admin';
}

export async function isAdmin(services: AccessServices, tenantId: string, aadObjectId: string): Promise<boolean> {
  if (services.config.ADMIN_AAD_OBJECT_IDS.some((id) => sameId(id, aadObjectId))) return true;
  return (await services.stores.roles.getRole(tenantId, normaliseAadId(aadObjectId))) === 'admin';
}

export const ONLY_MANAGERS =
  'Only managers can look at other people’s decisions. You can see your own with **my decisions**. If you need manager access, ask your Teams administrator.';
export const ONLY_ADMINS = 'Only administrators can change who is a manager.';
