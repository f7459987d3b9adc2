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
import { RULE_PACK_VERSION } from '../../../domain';
import { StorageUnavailableError } from '../../../storage/contract';
import type { Turn } from '../types';
import { adaptiveAttachment } from '../../cards/attachment';
import type { QuestionnaireState } from './state';
import { messageCard } from './views';
import { errorFields } from '../../../logger';

export const STALE_TITLE = 'This card is out of date';
export const SUPERSEDED_TEXT =
  'You have started a newer questionnaire since this card, so it no longer counts and nothing on it was recorded. Carry on with your newest card.';

export function newQuestionnaire(turn: Turn): QuestionnaireState {
  return { v: RULE_PACK_VERSION, a: {}, o: turn.identity.user.aadObjectId, i: randomUUID() };
}

/** Makes `s` the user's current questionnaire, shown on message `cardActivityId`, and closes the previous card. */
export async function makeCurrent(turn: Turn, s: QuestionnaireState, cardActivityId: string | undefined): Promise<void> {
  const conversationId = turn.ctx.activity.conversation?.id;
  const card = cardActivityId && conversationId ? { conversationId, activityId: cardActivityId } : undefined;
  let previous;
  try {
    previous = await turn.services.stores.sessions.replace(turn.identity.scope.tenantId, s.o, { sessionId: s.i, card }, turn.services.now());
  } catch (err) {
    if (!(err instanceof StorageUnavailableError)) throw err;
    turn.services.logger.warn({ event: 'questionnaire.session_not_saved' }, 'could not record the current questionnaire');
    return;
  }
  const old = previous?.card;
  // Only a card in this conversation can be updated from this turn; one replaced in place (Start
  // over on the same message) needs nothing.
  if (!old || previous?.sessionId === s.i || old.conversationId !== conversationId || old.activityId === cardActivityId) return;
  try {
    await turn.ctx.updateActivity({
      id: old.activityId,
      type: 'message',
      attachments: [adaptiveAttachment(messageCard(STALE_TITLE, SUPERSEDED_TEXT, { style: 'warning' }))],
    });
  } catch (err) {
    // The card stays as it was; recording from it is still refused.
    turn.services.logger.warn({ event: 'questionnaire.close_old_card_failed', err: errorFields(err) }, 'could not close the superseded card');
  }
}

/** True when the user has since started a newer questionnaire than the one on this card. */
export async function isSuperseded(turn: Turn, s: QuestionnaireState): Promise<boolean> {
  const current = await turn.services.stores.sessions.current(turn.identity.scope.tenantId, s.o);
  return current !== undefined && current.sessionId !== s.i;
}
