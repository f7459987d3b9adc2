/**
 * Who may act on a case's follow-ups. Card data (record ids) and typed case references are
 * untrusted and visible to everyone in a group chat, so every check is made against the *target*
 * records, re-read from storage in the user's own tenant, on every action:
 *
 *  - a follow-up on a record ("the person has been told", "this recipient has been told") — the
 *    practitioner who recorded that record, or a manager of the tenant;
 *  - recording or viewing a consent withdrawal for a case — someone who recorded a share in that
 *    case, or a manager. A withdrawal (§1) exists so that the people who shared tell their
 *    recipients; someone with no share in the case has no one to tell, and must not learn through
 *    it who the case was shared with.
 *
 * Anyone else gets exactly the answer given for a record or case that does not exist, so the bot
 * never confirms that a case or record exists to someone with no part in it.
 */
import type { StoredRecord } from '../../../storage/contract';
import { sameId } from '../../kit/ids';
import type { Turn } from '../types';

/** A share: a decision that records information going to someone. */
export function isShare(r: StoredRecord): boolean {
  return r.kind === 'decision' && (r.decision.startsWith('share_') || r.recipientAgency !== undefined);
}

export function recordedByMe(turn: Turn, r: StoredRecord): boolean {
  return sameId(r.decidedBy.aadObjectId, turn.identity.user.aadObjectId);
}

/**
 * May record a follow-up on `target`: its own practitioner, or a manager. The caller looks the role
 * up before it knows whether the target exists, so "missing" and "not yours" cost the same reads.
 */
export function mayFollowUp(turn: Turn, target: StoredRecord, manager: boolean): boolean {
  return manager || recordedByMe(turn, target);
}

/**
 * May record or view a withdrawal for a case, given the shares this user recorded in it (read from
 * their own records, caseHistory.ts — never from a window of the case that others can flood).
 */
export function mayHandleWithdrawal(mySharesInCase: readonly StoredRecord[], manager: boolean): boolean {
  return manager || mySharesInCase.length > 0;
}
