/**
 * Reading a case for its follow-ups without trusting the size of the case.
 *
 * `byCase` keeps only the newest entries, so anyone can push a colleague's share out of its
 * window by recording many decisions under the same case reference (or a genuinely long case
 * does it on its own). Deciding entitlement, or listing whom to tell after consent is withdrawn
 * (§1: inform all parties), from that window would silently leave people out. So:
 *
 *  - entitlement is decided from the user's OWN records in the case — one targeted query that
 *    costs the same whether or not the case exists, and is made before any case history is read;
 *  - the shares to tell are listed by paging through the whole case, up to a clear maximum; if a
 *    case is ever longer, the caller says so on the card instead of leaving shares out unseen.
 */
import type { DecisionStore, StoredRecord } from '../../../storage/contract';
import type { Turn } from '../types';
import { isShare, recordedByMe } from './entitlement';

/** The most entries of one case read to list its shares (at most this many / PAGE_SIZE queries). */
export const MAX_CASE_ENTRIES = 5000;
/** The most of the user's own entries in one case looked through for a share of theirs. */
const MAX_OWN_ENTRIES = 1000;
const PAGE_SIZE = 1000;

export interface CaseHistory {
  /** Newest first, as byCase returns them. */
  records: StoredRecord[];
  /** True when the case has more entries than were read (the oldest are missing). */
  capped: boolean;
}

/** Every entry of the case, newest first, up to `limit` (then `capped`). */
export async function readCase(
  decisions: DecisionStore,
  tenantId: string,
  caseReference: string,
  limit = MAX_CASE_ENTRIES,
): Promise<CaseHistory> {
  const records: StoredRecord[] = [];
  let token: string | undefined;
  do {
    const page = await decisions.query({ tenantId, caseReference }, Math.min(PAGE_SIZE, limit - records.length), token);
    records.push(...page.items);
    token = page.continuationToken;
  } while (token && records.length < limit);
  return { records, capped: token !== undefined };
}

/** The shares this user recorded in the case, newest first — read from their own records only. */
export async function mySharesInCase(turn: Turn, caseReference: string): Promise<StoredRecord[]> {
  const { tenantId } = turn.identity.scope;
  const q = { tenantId, decidedBy: turn.identity.user.aadObjectId, caseReference };
  const shares: StoredRecord[] = [];
  let seen = 0;
  let token: string | undefined;
  do {
    const page = await turn.services.stores.decisions.query(q, Math.min(PAGE_SIZE, MAX_OWN_ENTRIES - seen), token);
    seen += page.items.length;
    shares.push(...page.items.filter((r) => isShare(r) && recordedByMe(turn, r)));
    token = page.continuationToken;
  } while (token && seen < MAX_OWN_ENTRIES);
  return shares;
}

/** What the card says when a case was longer than could be read. */
export function cappedNotice(capped: boolean): string | undefined {
  return capped
    ? `This case has more than ${MAX_CASE_ENTRIES} entries and only the newest ${MAX_CASE_ENTRIES} could be read, so older shares may be missing from this list. A manager can see the whole case with **case** <reference>; check it so that no recipient is left untold.`
    : undefined;
}
