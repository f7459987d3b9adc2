/**
 * Which rule pack a tenant decides under, and whether its admins have approved it.
 *
 * The pack is the tenant's choice (tenant settings store) when that pack is installed, else the
 * default. A pack whose status is 'draft' is approved for a tenant only by an approval of its
 * current version: a new version of a draft pack is draft again until an admin approves it. Every
 * card made from a draft pack that is not approved carries the review banner.
 *
 * Question steps must keep working when storage is down, and should not cost a storage read each:
 * settings are remembered per tenant for a few seconds (and at once after this instance changes
 * them). Recording reads them fresh, so a card made under a pack the tenant has since left is never
 * recorded, whichever instance made it.
 */
import type { RulePack } from '../../domain';
import { StorageUnavailableError } from '../../storage/contract';
import type { PackApproval, TenantSettings } from '../../storage/tenantSettingsStore';
import { errorFields } from '../../logger';
import { renderCard, type AdaptiveCard } from '../cards/templates';
import type { BotServices, Turn } from '../features/types';

export interface RulePackCatalogue {
  /** Every installed pack, by id. */
  byId: ReadonlyMap<string, RulePack>;
  /** The pack of a tenant that has not chosen one (the user's 2015 chapter). */
  defaultPack: RulePack;
}

export function rulePackCatalogue(packs: ReadonlyMap<string, RulePack>, defaultId: string): RulePackCatalogue {
  const defaultPack = packs.get(defaultId);
  if (!defaultPack) throw new Error(`the default rule pack "${defaultId}" is not among the installed packs`);
  return { byId: packs, defaultPack };
}

export const REVIEW_BANNER_TITLE = 'Draft — for legal review: not yet approved for your organisation';
const REVIEW_BANNER_TEXT =
  'This answer comes from a rule pack that is still a draft and that your organisation’s admin has not approved. Check it with your safeguarding lead before you rely on it.';

export interface TenantPack {
  pack: RulePack;
  /** False when a fresh read was asked for but storage was down: the pack is the last one known. */
  verified: boolean;
  /** True when the pack is a draft and this version is not approved for the tenant. */
  needsReview: boolean;
  /** The settings as read; undefined when the tenant has none (or they could not be read). */
  settings?: TenantSettings;
}

/** The approval of exactly this version of this pack, if the tenant has one. */
export function approvalOf(
  settings: Pick<TenantSettings, 'approvals'> | undefined,
  pack: RulePack,
): PackApproval | undefined {
  return settings?.approvals.find((a) => a.packId === pack.metadata.id && a.version === pack.metadata.version);
}

/** A draft pack, this version not approved for the tenant: every card made from it carries the banner. */
export function needsReview(settings: Pick<TenantSettings, 'approvals'> | undefined, pack: RulePack): boolean {
  return pack.metadata.status === 'draft' && approvalOf(settings, pack) === undefined;
}

/** The pack a tenant with these settings decides under. */
export function packOf(packs: RulePackCatalogue, settings: TenantSettings | undefined): RulePack {
  return (settings?.rulePackId && packs.byId.get(settings.rulePackId)) || packs.defaultPack;
}

/** How long a read of a tenant's settings is reused for a question step. */
const REMEMBER_MS = 10_000;
const remembered = new WeakMap<object, Map<string, { at: number; settings: TenantSettings | undefined }>>();

function memoOf(services: BotServices): Map<string, { at: number; settings: TenantSettings | undefined }> {
  let memo = remembered.get(services.stores.tenantSettings);
  if (!memo) remembered.set(services.stores.tenantSettings, (memo = new Map()));
  return memo;
}

/** After this instance saved a tenant's settings: later turns here use them at once. */
export function rememberSettings(services: BotServices, tenantId: string, settings: TenantSettings | undefined): void {
  memoOf(services).set(tenantId, { at: services.now().getTime(), settings });
}

/** The settings as read, and whether they are confirmed (read now, or read by this instance a few seconds ago). */
interface SettingsRead {
  settings: TenantSettings | undefined;
  confirmed: boolean;
}

async function readSettings(services: BotServices, tenantId: string, fresh: boolean): Promise<SettingsRead> {
  const memo = memoOf(services);
  const known = memo.get(tenantId);
  const now = services.now().getTime();
  if (!fresh && known && now - known.at >= 0 && now - known.at < REMEMBER_MS)
    return { settings: known.settings, confirmed: true };
  try {
    const settings = await services.stores.tenantSettings.get(tenantId);
    rememberSettings(services, tenantId, settings);
    return { settings, confirmed: true };
  } catch (err) {
    if (fresh || !(err instanceof StorageUnavailableError)) throw err;
    services.logger.warn(
      { event: 'tenant_settings.unavailable', err: errorFields(err) },
      'tenant settings could not be read; using the last known rule pack',
    );
    // Last known (or nothing known: the default pack) — not confirmed, so never recorded under.
    return { settings: known?.settings, confirmed: false };
  }
}

/**
 * The tenant's settings: fresh from storage when `fresh` (recording, admin commands; an outage
 * throws), else as remembered for a few seconds. A question step during an outage uses what was
 * last read (or the default pack) rather than failing.
 */
export async function tenantSettings(
  services: BotServices,
  tenantId: string,
  opts: { fresh?: boolean } = {},
): Promise<TenantSettings | undefined> {
  return (await readSettings(services, tenantId, opts.fresh === true)).settings;
}

/**
 * The pack the turn's tenant decides under, and whether its cards need the review banner. When the
 * settings could not be read (fresh or not) the pack is the last known one (or the default) and
 * `verified` is false: nothing may be recorded under it, and its cards say so (withPackNotices).
 */
export async function tenantPack(turn: Turn, opts: { fresh?: boolean } = {}): Promise<TenantPack> {
  const { services } = turn;
  const tenantId = turn.identity.scope.tenantId;
  let read: SettingsRead;
  try {
    read = await readSettings(services, tenantId, opts.fresh === true);
  } catch (err) {
    if (!(err instanceof StorageUnavailableError)) throw err;
    services.logger.warn({ event: 'tenant_settings.unverified', err: errorFields(err) }, 'tenant settings unreadable');
    read = { settings: memoOf(services).get(tenantId)?.settings, confirmed: false };
  }
  const { settings } = read;
  const pack = packOf(services.packs, settings);
  return { pack, verified: read.confirmed, needsReview: needsReview(settings, pack), settings };
}

export const PACK_UNCONFIRMED_TITLE = "Your organisation's rule pack could not be confirmed";
const PACK_UNCONFIRMED_TEXT =
  'Storage could not be reached, so I could not check which rule pack your organisation uses. This card comes from the last pack I knew of (or the default pack), and nothing will be recorded until the pack can be confirmed. Check it with your safeguarding lead before you rely on it.';

/**
 * `card` with the notices the tenant's pack calls for: "could not be confirmed" when its settings
 * could not be read, and the review banner for a draft pack not approved for the tenant.
 */
export function withPackNotices(card: AdaptiveCard, tp: Pick<TenantPack, 'verified' | 'needsReview'>): AdaptiveCard {
  const bannered = withReviewBanner(card, tp.needsReview);
  if (tp.verified) return bannered;
  const notice = renderCard('draft-banner', { title: PACK_UNCONFIRMED_TITLE, text: PACK_UNCONFIRMED_TEXT });
  return { ...bannered, body: [...(notice.body as unknown[]), ...((bannered.body as unknown[] | undefined) ?? [])] };
}

/** `card` with the review banner on top when `show` (a draft pack not approved for the tenant). */
export function withReviewBanner(card: AdaptiveCard, show: boolean): AdaptiveCard {
  if (!show) return card;
  const banner = renderCard('draft-banner', { title: REVIEW_BANNER_TITLE, text: REVIEW_BANNER_TEXT });
  return { ...card, body: [...(banner.body as unknown[]), ...((card.body as unknown[] | undefined) ?? [])] };
}
