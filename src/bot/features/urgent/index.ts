/**
 * "Share now, record after" (the ICO's urgent-situation guidance; the 2015 chapter's §4 lines on
 * sharing without consent where asking would put a child at serious risk). One press of "A child is
 * at immediate risk — I need to share now" (welcome card, first question card) shows the 999 line and
 * the pack's cited steps, records an 'urgent_share' entry (no case, no names, no free text) and
 * starts a follow-up tracker that reminds the practitioner in personal chat until a decision linked
 * to the entry (urgentEntryId) is recorded; "Record the decision now" starts that questionnaire.
 *
 * The steps never wait on storage: the card is built from the rule pack, and storage only decides
 * its status line, which always says truthfully what was and was not saved.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { RulePack } from '../../../domain';
import { StorageUnavailableError, type NewRecord, type StoredRecord } from '../../../storage/contract';
import { IdempotencyKeyInUseError } from '../../../storage/errors';
import { errorFields } from '../../../logger';
import { plainCard, renderedOr } from '../../cards/fallback';
import { normaliseAadId, sameId } from '../../kit/ids';
import { tenantPack, withPackNotices } from '../../kit/rulePacks';
import { ownCardId } from '../../kit/ownCard';
import { linkedDecision } from '../../kit/urgentEntries';
import { VERBS } from '../../kit/verbs';
import type { BotFeature, CardActionResult, Turn } from '../types';
import { urgentCard, type UrgentStatus } from './views';

const UrgentOpenSchema = z.object({ k: z.uuid() });

/**
 * The stored idempotency key: the card's key and the presser. Two presses of one card by one
 * practitioner save one entry; a colleague pressing the same card (a group chat) saves their own.
 */
const entryKey = (turn: Turn, k: string) => `urgent:${k}:${normaliseAadId(turn.identity.user.aadObjectId)}`;

function urgentEntry(turn: Turn, k: string, pack: RulePack): NewRecord {
  const key = entryKey(turn, k);
  return {
    idempotencyKey: key,
    kind: 'urgent_share',
    scope: turn.identity.scope,
    // The Entra id says who; no display name is kept on an urgent entry.
    decidedBy: { aadObjectId: turn.identity.user.aadObjectId, name: '' },
    rulePackId: pack.metadata.id,
    rulePackVersion: pack.metadata.version,
    ruleId: 'urgent_share',
    // The store requires these; an urgent share is, by definition, a share now without asking first.
    decision: 'share_without_consent_justified',
    answers: {},
    consentStatus: 'not_sought',
    subjectInformed: 'not_applicable',
    // Not a case (none is asked): a key of its own, so urgent entries never join a real case's history.
    caseReference: key,
    openFollowUps: [],
  };
}

/** At most this many urgent entries per practitioner may await their decision (a flood delays every reminder). */
export const MAX_OPEN_URGENT_ENTRIES = 20;

/** How many of the practitioner's urgent entries await their decision (their follow-up is open). */
async function openUrgentEntries(turn: Turn): Promise<number> {
  const open = await turn.services.stores.reminders.listOpenFollowUps(turn.identity.scope.tenantId);
  const me = turn.identity.user.aadObjectId;
  return open.filter((t) => t.code === 'record_urgent_decision' && sameId(t.practitionerAad, me)).length;
}

/** Saves the entry, then its follow-up tracker; the status says exactly which of the two is saved. */
async function saveUrgentShare(turn: Turn, k: string, pack: RulePack): Promise<UrgentStatus> {
  const { stores, logger, config } = turn.services;
  let entry: StoredRecord;
  let again: boolean;
  try {
    // The cap counts only entries still awaiting their decision; a press again of one already
    // saved (its key) is answered with that entry, whatever the count.
    if ((await openUrgentEntries(turn)) >= MAX_OPEN_URGENT_ENTRIES) {
      const key = entryKey(turn, k);
      const existing = (await stores.decisions.byCase(turn.identity.scope.tenantId, key)).find(
        (r) => r.kind === 'urgent_share' && r.idempotencyKey === key,
      );
      if (!existing) {
        logger.warn({ event: 'urgent.too_many_open' }, 'urgent entry refused: too many awaiting their decision');
        return { kind: 'too_many_open', key: k, limit: MAX_OPEN_URGENT_ENTRIES };
      }
    }
    const saved = await stores.decisions.record(urgentEntry(turn, k, pack), { idempotencyScope: 'urgent_share' });
    entry = saved.record;
    again = !saved.created;
  } catch (err) {
    if (!(err instanceof StorageUnavailableError) && !(err instanceof IdempotencyKeyInUseError)) throw err;
    logger.error({ event: 'urgent.not_saved', err: errorFields(err) }, 'urgent entry could not be saved');
    // A key in use (cannot happen for this user's own key) is answered like an outage, with a fresh key.
    return { kind: 'not_saved', key: err instanceof IdempotencyKeyInUseError ? randomUUID() : k };
  }
  const hours = config.URGENT_FOLLOW_UP_REMINDER_HOURS;
  try {
    if (again) {
      // Pressed again: if its decision is recorded, say so (and name it) rather than promise reminders.
      const decision = await linkedDecision(turn, entry);
      const tracker = await stores.reminders.getFollowUp(entry.scope.tenantId, entry.id);
      if (decision || (tracker && !tracker.active)) {
        if (decision && tracker?.active)
          await stores.reminders.closeFollowUp(entry.scope.tenantId, entry.id, 'decision_recorded');
        logger.info({ event: 'urgent.already_recorded', recordId: entry.id }, 'urgent entry already has its decision');
        return { kind: 'already_recorded', entry, decisionId: decision?.id };
      }
    }
    // Idempotent: pressed again after a failed tracker write, this creates it; otherwise a no-op.
    await stores.reminders.ensureFollowUp({
      tenantId: entry.scope.tenantId,
      id: entry.id,
      code: 'record_urgent_decision',
      practitionerAad: entry.decidedBy.aadObjectId,
      conversationId: entry.scope.conversationId,
      conversationKind: entry.scope.conversationKind,
      dueAt: new Date(Date.parse(entry.recordedAt) + hours * 3_600_000).toISOString(),
    });
  } catch (err) {
    if (!(err instanceof StorageUnavailableError)) throw err;
    logger.error(
      { event: 'urgent.follow_up_not_saved', recordId: entry.id, err: errorFields(err) },
      'urgent follow-up could not be saved',
    );
    return { kind: 'follow_up_not_saved', entry, key: k };
  }
  logger.info({ event: 'urgent.recorded', recordId: entry.id, created: !again }, 'urgent share recorded');
  return { kind: 'saved', entry, again, reminderHours: hours };
}

async function onUrgentOpen(turn: Turn, data: Record<string, unknown>): Promise<CardActionResult> {
  const shared = turn.identity.scope.conversationKind !== 'personal';
  const parsed = UrgentOpenSchema.safeParse(data);
  // The tenant's pack read fresh: an entry is saved only under the pack the tenant is confirmed to
  // use. If it cannot be read, the steps still show (last known pack, or the default) and nothing is saved.
  const tp = await tenantPack(turn, { fresh: true });
  const status: UrgentStatus = !parsed.success
    ? { kind: 'unreadable' }
    : !tp.verified
      ? { kind: 'pack_unconfirmed', key: parsed.data.k }
      : await saveUrgentShare(turn, parsed.data.k, tp.pack);
  if (!parsed.success) turn.services.logger.warn({ event: 'urgent.unreadable' }, 'urgent button data refused');
  // Once something is saved, the user is told so with its id even if the card itself fails to render.
  const card = renderedOr(
    turn.services.logger,
    'urgent',
    () => withPackNotices(urgentCard(status, tp.pack, { shared }), tp),
    () =>
      plainCard('If a child is in immediate danger, call 999 now.', [
        status.kind === 'saved' || status.kind === 'follow_up_not_saved'
          ? `Urgent entry **${status.entry.id}** saved${status.kind === 'saved' ? ' with its follow-up' : ', but its follow-up was NOT SAVED'}.`
          : status.kind === 'already_recorded'
            ? `Urgent entry **${status.entry.id}** was already saved and its decision is recorded.`
            : 'NOT CONFIRMED: the urgent entry may not have been saved; pressing again never saves twice.',
      ]),
  );
  // In a group chat or channel the answer replaces the clicked card for everyone: only the
  // presser's own card is replaced; anyone else's (or the welcome card) stays, and the urgent card
  // is a new message. If that send fails, the steps matter more: the clicked card is replaced.
  // (The Action.Submit fallback answers with a new message anyway.)
  const replaces = turn.ctx.activity.type === 'invoke';
  if (shared && replaces && !(await ownCardId(turn, turn.ctx.activity.replyToId))) {
    try {
      await turn.post({ card });
      return { message: 'The urgent steps are in a new message in this conversation.' };
    } catch (err) {
      turn.services.logger.warn(
        { event: 'urgent.post_failed', err: errorFields(err) },
        'urgent card could not be posted; replacing the clicked card',
      );
    }
  }
  return { card };
}

export const urgentFeature: BotFeature = {
  commands: [],
  actions: [{ verb: VERBS.urgentOpen, handle: onUrgentOpen }],
};
