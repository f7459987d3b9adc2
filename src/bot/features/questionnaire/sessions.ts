/**
 * A practitioner's current questionnaire. Starting one records it (with the message that shows
 * it) and closes the card it supersedes in the same conversation, so an old card scrolled up in
 * the chat says "out of date" instead of inviting answers. Recording checks it again, so a
 * superseded card can never be recorded — even one the bot could not close (another
 * conversation, or a message id it never learnt).
 *
 * Decision support must not depend on the records store: if storage is down, questions still
 * work, and recording then says "not saved".
 */
import { randomUUID } from 'node:crypto';
import type { RulePack } from '../../../domain';
import { StorageUnavailableError } from '../../../storage/contract';
import type { Turn } from '../types';
import { adaptiveAttachment } from '../../cards/attachment';
import type { QuestionnaireState } from './state';
import { messageCard } from './views';
import { errorFields } from '../../../logger';

export const STALE_TITLE = 'This card is out of date';
export const SUPERSEDED_TEXT =
  'You have started a newer questionnaire since this card, so it no longer counts and nothing on it was recorded. Carry on with your newest card.';

/** A new questionnaire under `pack` (the tenant's). */
export function newQuestionnaire(turn: Turn, pack: RulePack): QuestionnaireState {
  return {
    p: pack.metadata.id,
    v: pack.version,
    a: {},
    o: turn.identity.user.aadObjectId,
    i: randomUUID(),
    t: turn.services.now().getTime(),
  };
}

/** When `s` started, as the session row records it (a card from before `t` existed: now). */
const startOf = (turn: Turn, s: QuestionnaireState): Date => (s.t === undefined ? turn.services.now() : new Date(s.t));

/** A card's start time a little ahead of the clock (instances' clocks differ) is believed; further is forged. */
const CLOCK_SKEW_MS = 60_000;

/** Makes `s` the user's current questionnaire, shown on message `cardActivityId`, and closes the previous card. */
export async function makeCurrent(
  turn: Turn,
  s: QuestionnaireState,
  cardActivityId: string | undefined,
): Promise<void> {
  const conversationId = turn.ctx.activity.conversation?.id;
  const card = cardActivityId && conversationId ? { conversationId, activityId: cardActivityId } : undefined;
  let previous;
  try {
    previous = await turn.services.stores.sessions.replace(
      turn.identity.scope.tenantId,
      s.o,
      { sessionId: s.i, card },
      startOf(turn, s),
    );
  } catch (err) {
    if (!(err instanceof StorageUnavailableError)) throw err;
    turn.services.logger.warn(
      { event: 'questionnaire.session_not_saved' },
      'could not record the current questionnaire',
    );
    return;
  }
  const old = previous?.card;
  // Only a card in this conversation can be updated from this turn; one replaced in place (Start
  // over on the same message) needs nothing.
  if (!old || previous?.sessionId === s.i || old.conversationId !== conversationId || old.activityId === cardActivityId)
    return;
  try {
    await turn.ctx.updateActivity({
      id: old.activityId,
      type: 'message',
      attachments: [adaptiveAttachment(messageCard(STALE_TITLE, SUPERSEDED_TEXT, { style: 'warning' }))],
    });
  } catch (err) {
    // The card stays as it was; recording from it is still refused.
    turn.services.logger.warn(
      { event: 'questionnaire.close_old_card_failed', err: errorFields(err) },
      'could not close the superseded card',
    );
  }
}

/**
 * The message a clicked card's invoke names (replyToId), kept only when the bot itself recorded
 * that message as this user's current card in this conversation — an id it learnt from its own
 * send. replyToId is whatever the client sends: stored unchecked, a forged one would make the bot
 * later overwrite someone else's message with "out of date". A card the bot never learnt the id
 * of is simply not closed later; recording from it is refused all the same.
 */
export { ownCardId } from '../../kit/ownCard';

/**
 * True when the user has since started a newer questionnaire than the one on this card.
 *
 * A questionnaire started while storage was down has no row of its own: the row still names the
 * one before it (or none). Such a card is current when the row is older than the card's start —
 * and it becomes the current one now, so a card it superseded while unrecorded stays unrecordable.
 * A questionnaire started after it wrote a later row, so the older card is still refused.
 */
export async function isSuperseded(turn: Turn, s: QuestionnaireState): Promise<boolean> {
  const { sessions } = turn.services.stores;
  const tenantId = turn.identity.scope.tenantId;
  const current = await sessions.current(tenantId, s.o);
  if (current?.sessionId === s.i) return false;
  if (current !== undefined && !startedBefore(current.startedAt, turn, s)) return true;
  if (s.t !== undefined) await sessions.replace(tenantId, s.o, { sessionId: s.i }, new Date(s.t));
  return false;
}

/** True when a stored start time is strictly earlier than card `s`'s (whose start is not in the future). */
function startedBefore(storedStart: string | undefined, turn: Turn, s: QuestionnaireState): boolean {
  const stored = storedStart === undefined ? NaN : Date.parse(storedStart);
  if (s.t === undefined || Number.isNaN(stored)) return false;
  return stored < s.t && s.t <= turn.services.now().getTime() + CLOCK_SKEW_MS;
}
