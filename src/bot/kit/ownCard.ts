/**
 * Whether a clicked card is the clicking user's own current card. In a group chat or channel an
 * answer to Action.Execute replaces the clicked card for everyone, so a feature replaces only the
 * user's own card and answers anything else with a new message.
 */
import { StorageUnavailableError } from '../../storage/contract';
import type { Turn } from '../features/types';

/**
 * `claimed` (the clicked card's activity id) when it is the card of the user's current
 * questionnaire in this conversation, else undefined (someone else's card, an old one, or storage
 * down: then it is treated as not the user's own).
 */
export async function ownCardId(turn: Turn, claimed: string | undefined): Promise<string | undefined> {
  if (!claimed) return undefined;
  let current;
  try {
    current = await turn.services.stores.sessions.current(turn.identity.scope.tenantId, turn.identity.user.aadObjectId);
  } catch (err) {
    if (!(err instanceof StorageUnavailableError)) throw err;
    return undefined;
  }
  const card = current?.card;
  return card && card.conversationId === turn.ctx.activity.conversation?.id && card.activityId === claimed
    ? claimed
    : undefined;
}
