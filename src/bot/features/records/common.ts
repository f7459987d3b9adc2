/** Small helpers shared by the records commands and actions. */
import { StorageUnavailableError } from '../../../storage/contract';
import { messageCard, type MessageStyle } from '../../kit/messageCard';
import type { CardActionResult, Turn } from '../types';

/** The tenant and the actor always come from the activity, never from card data. */
export const tenantOf = (turn: Turn) => turn.identity.scope.tenantId;
export const actorOf = (turn: Turn) => turn.identity.user.aadObjectId;

export const ONLY_MANAGERS =
  'Only managers can look at other people’s decisions. You can see your own with **my decisions**. If you need manager access, ask your Teams administrator.';
export const ONLY_ADMINS = 'Only administrators can change who is a manager.';

export function message(title: string, text: string, style: MessageStyle = 'default'): CardActionResult {
  return { card: messageCard(title, text, { style }) };
}

/** Writes an audit entry; false when storage is down (the caller then shows nothing). */
export async function audit(
  turn: Turn,
  action: string,
  filter: Record<string, unknown>,
  resultCount: number,
): Promise<boolean> {
  try {
    await turn.services.stores.audit.write({
      tenantId: tenantOf(turn),
      actorAadObjectId: actorOf(turn),
      action,
      filter,
      resultCount,
      at: turn.services.now().toISOString(),
    });
    return true;
  } catch (err) {
    if (!(err instanceof StorageUnavailableError)) throw err;
    turn.services.logger.error({ event: 'records.audit_failed', action }, 'audit entry could not be written');
    return false;
  }
}
