/**
 * Each tenant's rule pack: which pack it decides under, and its admins' approval of a draft pack.
 *
 *   rule pack                 anyone: the pack in use, its version and status, whether approved
 *                             (admins also see every available pack)
 *   use rule pack <id>        admins: switch this tenant to an installed pack
 *   approve rule pack <id>    admins: approve that pack's current version for this tenant
 *
 * The tenant and the actor come from the activity, never from anything typed. Every change is
 * audited first (an entry that cannot be written means no change); the write is ETag-conditional,
 * so an admin whose view is out of date (another admin changed the settings meanwhile) is told so
 * and nothing is overwritten.
 */
import type { RulePack } from '../../../domain';
import { StorageUnavailableError } from '../../../storage/contract';
import { MAX_APPROVALS, type TenantSettings, type TenantSettingsChange } from '../../../storage/tenantSettingsStore';
import { isAdmin } from '../../kit/access';
import { messageCard, type MessageStyle } from '../../kit/messageCard';
import { approvalOf, needsReview, packOf, rememberSettings, tenantSettings } from '../../kit/rulePacks';
import { renderCard } from '../../cards/templates';
import { commandMatcher, type BotFeature, type MessageCommand, type Turn } from '../types';

const ONLY_ADMINS = 'Only administrators can choose or approve the rule pack this organisation decides under.';
const UNAVAILABLE = 'The settings store could not be reached; nothing was changed. Please try again in a moment.';
const CONFLICT =
  'Another administrator changed this organisation’s rule pack settings just now, so nothing was changed. Type **rule pack** to see them, then try again.';

/** A pack id as typed: checked by a linear-time pattern on text the pipeline has already length-limited. */
const PACK_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

const tenantOf = (turn: Turn) => turn.identity.scope.tenantId;
const actorOf = (turn: Turn) => turn.identity.user.aadObjectId;

function reply(turn: Turn, title: string, text: string, style: MessageStyle = 'default'): Promise<void> {
  return turn.reply({ card: messageCard(title, text, { style }) });
}

function statusText(pack: RulePack, settings: TenantSettings | undefined): string {
  if (pack.metadata.status === 'published') return 'published';
  const approval = approvalOf(settings, pack);
  return approval
    ? `draft, approved for this organisation on ${approval.approvedAt.slice(0, 10)} by ${approval.approvedBy}`
    : 'draft — for legal review: not yet approved for this organisation';
}

const packLine = (pack: RulePack) => `**${pack.metadata.id}** (version ${pack.metadata.version})`;

/** The settings, fresh; undefined with the refusal sent when storage is down. */
async function freshSettings(turn: Turn): Promise<{ settings: TenantSettings | undefined } | undefined> {
  try {
    return { settings: await tenantSettings(turn.services, tenantOf(turn), { fresh: true }) };
  } catch (err) {
    if (!(err instanceof StorageUnavailableError)) throw err;
    await reply(turn, 'Rule pack', 'The settings store could not be reached. Please try again in a moment.', 'warning');
    return undefined;
  }
}

/** Audits the change, then makes it (ETag-conditional); tells the admin the outcome. True when saved. */
async function change(
  turn: Turn,
  title: string,
  action: string,
  detail: Record<string, unknown>,
  read: TenantSettings | undefined,
  next: TenantSettingsChange,
): Promise<boolean> {
  const { services } = turn;
  const entry = { tenantId: tenantOf(turn), actorAadObjectId: actorOf(turn), filter: detail, resultCount: 1 };
  try {
    // Audited first: a change that cannot be audited is not made.
    await services.stores.audit.write({ ...entry, action, at: services.now().toISOString() });
    const saved = await services.stores.tenantSettings.save(tenantOf(turn), next, read?.etag);
    if (!saved.ok) {
      // The trail says the change above was not made.
      await services.stores.audit.write({
        ...entry,
        action: `${action}_conflict`,
        resultCount: 0,
        at: services.now().toISOString(),
      });
      services.logger.warn({ event: 'rule_pack.change_conflict', action }, 'tenant settings changed meanwhile');
      await reply(turn, title, CONFLICT, 'warning');
      return false;
    }
    rememberSettings(services, tenantOf(turn), saved.settings);
    services.logger.info({ event: `rule_pack.${action}`, ...detail }, 'tenant rule pack settings changed');
    return true;
  } catch (err) {
    if (!(err instanceof StorageUnavailableError)) throw err;
    services.logger.error({ event: 'rule_pack.change_not_saved', action }, 'tenant settings could not be changed');
    await reply(turn, title, UNAVAILABLE, 'warning');
    return false;
  }
}

/**
 * For the admin commands: the installed pack the admin names, and the settings read fresh, once
 * the caller is known to be an admin; else undefined, with the refusal already sent.
 */
async function adminTarget(
  turn: Turn,
  args: string,
  title: string,
  command: string,
): Promise<{ pack: RulePack; settings: TenantSettings | undefined } | undefined> {
  if (!(await isAdmin(turn.services, tenantOf(turn), actorOf(turn)))) {
    await reply(turn, 'Admins only', ONLY_ADMINS, 'warning');
    return undefined;
  }
  const id = args.trim().toLowerCase();
  const pack = PACK_ID.test(id) ? turn.services.packs.byId.get(id) : undefined;
  if (!pack) {
    const ids = [...turn.services.packs.byId.keys()].map((k) => `**${k}**`).join(', ');
    await reply(
      turn,
      title,
      `Name one of the installed rule packs: **${command}** <id>, where <id> is ${ids}.`,
      'warning',
    );
    return undefined;
  }
  const read = await freshSettings(turn);
  return read && { pack, settings: read.settings };
}

const showCommand: MessageCommand = {
  usage: 'rule pack',
  description: 'Which rule pack (guidance and law) this organisation’s answers come from, and its status.',
  match: commandMatcher('rule pack'),
  async handle(turn) {
    const read = await freshSettings(turn);
    if (!read) return;
    const { packs } = turn.services;
    const pack = packOf(packs, read.settings);
    const admin = await isAdmin(turn.services, tenantOf(turn), actorOf(turn));
    await turn.reply({
      card: renderCard('rule-pack', {
        title: pack.metadata.title,
        facts: [
          { title: 'Pack', value: pack.metadata.id },
          { title: 'Version', value: pack.metadata.version },
          { title: 'Status', value: statusText(pack, read.settings) },
          { title: 'Chosen', value: read.settings?.rulePackId ? 'by this organisation' : 'the default' },
        ],
        isAdmin: admin,
        available: admin
          ? [...packs.byId.values()].map((p) => ({
              line: `${packLine(p)}${p === pack ? ' — in use' : ''}: ${p.metadata.title} — ${statusText(p, read.settings)}`,
            }))
          : [],
      }),
    });
  },
};

const useCommand: MessageCommand = {
  usage: 'use rule pack <id>',
  description: 'Admins: switch this organisation to another rule pack.',
  hiddenFromHelp: true,
  match: commandMatcher('use rule pack'),
  async handle(turn, args) {
    const title = 'Use rule pack';
    const target = await adminTarget(turn, args, title, 'use rule pack');
    if (!target) return;
    const { pack, settings } = target;
    const current = packOf(turn.services.packs, settings);
    if (current === pack && settings?.rulePackId === pack.metadata.id)
      return reply(turn, title, `This organisation already uses ${packLine(pack)}.`);
    const detail = {
      from: current.metadata.id,
      fromVersion: current.metadata.version,
      to: pack.metadata.id,
      toVersion: pack.metadata.version,
    };
    const next = { rulePackId: pack.metadata.id, approvals: settings?.approvals ?? [], updatedBy: actorOf(turn) };
    if (!(await change(turn, title, 'use_rule_pack', detail, settings, next))) return;
    const draft = needsReview(next, pack)
      ? ` It is a draft not yet approved here, so every card made from it says so until an admin types **approve rule pack ${pack.metadata.id}**.`
      : '';
    await reply(
      turn,
      'Rule pack changed',
      `This organisation now decides under ${packLine(pack)}: ${pack.metadata.title} (was ${packLine(current)}). Questionnaires started before the change ask people to start again.${draft}`,
      'good',
    );
  },
};

const approveCommand: MessageCommand = {
  usage: 'approve rule pack <id>',
  description: 'Admins: approve a draft rule pack’s current version for this organisation.',
  hiddenFromHelp: true,
  match: commandMatcher('approve rule pack'),
  async handle(turn, args) {
    const title = 'Approve rule pack';
    const target = await adminTarget(turn, args, title, 'approve rule pack');
    if (!target) return;
    const { pack, settings } = target;
    const existing = approvalOf(settings, pack);
    if (existing)
      return reply(
        turn,
        title,
        `${packLine(pack)} was already approved for this organisation on ${existing.approvedAt.slice(0, 10)} by ${existing.approvedBy}.`,
      );
    const approval = {
      packId: pack.metadata.id,
      version: pack.metadata.version,
      approvedBy: actorOf(turn),
      approvedAt: turn.services.now().toISOString(),
    };
    // Earlier approvals are kept (the history of what was approved), the oldest dropped at the limit.
    const approvals = [...(settings?.approvals ?? []), approval].slice(-MAX_APPROVALS);
    const detail = {
      pack: pack.metadata.id,
      version: pack.metadata.version,
      from: 'not approved',
      to: 'approved',
    };
    const next = {
      ...(settings?.rulePackId === undefined ? {} : { rulePackId: settings.rulePackId }),
      approvals,
      updatedBy: actorOf(turn),
    };
    if (!(await change(turn, title, 'approve_rule_pack', detail, settings, next))) return;
    const inUse = packOf(turn.services.packs, settings) === pack;
    await reply(
      turn,
      'Rule pack approved',
      `${packLine(pack)} is approved for this organisation.${inUse ? ' Cards made from it no longer carry the draft banner.' : ` It is not in use here yet: type **use rule pack ${pack.metadata.id}** to switch to it.`} A later version will need approving again.`,
      'good',
    );
  },
};

export const rulePacksFeature: BotFeature = {
  commands: [useCommand, approveCommand, showCommand],
  actions: [],
};
