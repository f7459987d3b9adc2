/**
 * Admins grant, revoke and list the manager role (kept in the roles table, besides the managers
 * named in MANAGER_AAD_OBJECT_IDS). Every change is audited first: one that cannot be audited is
 * not made.
 */
import { commandMatcher, type MessageCommand, type Turn } from '../types';
import { isAdmin, membersOf, namesMember } from '../../kit/access';
import { normaliseAadId } from '../../kit/ids';
import { ONLY_ADMINS, actorOf, audit, message, tenantOf } from './common';
import { aadObjectIdSchema } from './filters';
import { managersCard } from './views';

/**
 * For grant and revoke: the person the admin names, once the caller is known to be an admin; else
 * undefined, with the refusal already sent.
 */
async function roleTarget(turn: Turn, args: string, title: string, command: string): Promise<string | undefined> {
  if (!(await isAdmin(turn.services, tenantOf(turn), actorOf(turn)))) {
    await turn.reply(message('Admins only', ONLY_ADMINS, 'warning'));
    return undefined;
  }
  const parsed = aadObjectIdSchema.safeParse(args.trim());
  if (parsed.success) return normaliseAadId(parsed.data);
  await turn.reply(
    message(title, `Give the person’s Microsoft Entra object id (a GUID): **${command}** <object id>.`, 'warning'),
  );
  return undefined;
}

export const grantCommand: MessageCommand = {
  usage: 'grant manager <Entra object id>',
  description: 'Admins: let someone see every decision in this organisation.',
  hiddenFromHelp: true,
  match: commandMatcher('grant manager'),
  async handle(turn, args) {
    const { services } = turn;
    const target = await roleTarget(turn, args, 'Grant manager', 'grant manager');
    if (!target) return;
    const current = await services.stores.roles.getRole(tenantOf(turn), target);
    if (current === 'admin')
      return turn.reply(message('Grant manager', `${target} is an admin, which already includes manager access.`));
    // Audited first: a role change that cannot be audited is not made.
    if (!(await audit(turn, 'grant_manager', { target }, 1)))
      return turn.reply(
        message(
          'Grant manager',
          'The records store could not be reached; nothing was changed. Please try again.',
          'warning',
        ),
      );
    await services.stores.roles.grant(tenantOf(turn), target, 'manager', actorOf(turn));
    services.logger.info({ event: 'records.role_granted', target, role: 'manager' }, 'manager role granted');
    await turn.reply(
      message(
        'Manager added',
        `${target} is now a manager and can see every decision recorded in this organisation.`,
        'good',
      ),
    );
  },
};

export const revokeCommand: MessageCommand = {
  usage: 'revoke manager <Entra object id>',
  description: 'Admins: remove someone’s manager access.',
  hiddenFromHelp: true,
  match: commandMatcher('revoke manager'),
  async handle(turn, args) {
    const { services } = turn;
    const target = await roleTarget(turn, args, 'Revoke manager', 'revoke manager');
    if (!target) return;
    const viaConfig = namesMember(services.config.MANAGER_AAD_OBJECT_IDS, tenantOf(turn), target);
    const current = await services.stores.roles.getRole(tenantOf(turn), target);
    if (current !== 'manager') {
      const note = viaConfig
        ? ' They are a manager through the bot’s configuration (MANAGER_AAD_OBJECT_IDS), which only IT can change.'
        : '';
      return turn.reply(message('Revoke manager', `${target} has no manager role to revoke here.${note}`, 'warning'));
    }
    if (!(await audit(turn, 'revoke_manager', { target }, 1)))
      return turn.reply(
        message(
          'Revoke manager',
          'The records store could not be reached; nothing was changed. Please try again.',
          'warning',
        ),
      );
    await services.stores.roles.revoke(tenantOf(turn), target);
    services.logger.info({ event: 'records.role_revoked', target, role: 'manager' }, 'manager role revoked');
    const note = viaConfig
      ? ' They are still a manager through the bot’s configuration (MANAGER_AAD_OBJECT_IDS), which only IT can change.'
      : '';
    await turn.reply(message('Manager removed', `${target} is no longer a manager.${note}`, 'good'));
  },
};

export const listManagersCommand: MessageCommand = {
  usage: 'list managers',
  description: 'Admins: who can see every decision in this organisation.',
  hiddenFromHelp: true,
  match: commandMatcher('list managers'),
  async handle(turn) {
    const { services } = turn;
    if (!(await isAdmin(services, tenantOf(turn), actorOf(turn))))
      return turn.reply(message('Admins only', ONLY_ADMINS, 'warning'));
    const grants = await services.stores.roles.list(tenantOf(turn));
    const rows = new Map<string, string>();
    // Only this tenant's configured managers: another tenant's are none of this admin's business.
    for (const id of membersOf(services.config.MANAGER_AAD_OBJECT_IDS, tenantOf(turn)))
      rows.set(id, 'manager (bot configuration)');
    for (const g of grants) {
      const how = `${g.role} (granted ${g.grantedAt.slice(0, 10)}${g.grantedBy ? ` by ${g.grantedBy}` : ''})`;
      rows.set(g.aadObjectId, rows.has(g.aadObjectId) ? `${rows.get(g.aadObjectId)}; ${how}` : how);
    }
    await audit(turn, 'list_managers', {}, rows.size);
    await turn.reply({ card: managersCard([...rows].map(([id, source]) => ({ id, source }))) });
  },
};
