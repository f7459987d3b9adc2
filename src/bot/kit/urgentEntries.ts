/**
 * "Share now, record after": what the urgent feature (which records the urgent entry) and the
 * questionnaire (which records the decision linked to it) both need. An entry id arrives in card
 * data, so it is untrusted: only the practitioner's own 'urgent_share' entry is ever found.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { StoredRecord } from '../../storage/contract';
import type { Turn } from '../features/types';
import { sameId } from './ids';
import { VERBS } from './verbs';

/** The data of an "I need to share now" button: a fresh key, so a double click saves one entry. */
export const urgentOpenData = (): Record<string, unknown> => ({ verb: VERBS.urgentOpen, k: randomUUID() });

/** A record id as newRecordId makes it ('D-20261126-7F3KQ2'). */
export const UrgentEntryIdSchema = z
  .string()
  .max(20)
  .regex(/^D-\d{8}-[0-9A-Z]{6}$/);

/** One answer for "no such entry" and "someone else's": the bot never confirms another practitioner's entry. */
export const URGENT_ENTRY_NOT_FOUND =
  'That urgent entry could not be found. Only the practitioner who pressed "I need to share now" can record its decision.';

/**
 * The clicking practitioner's own urgent entry with this id, in their tenant; undefined for any
 * other record (someone else's, another kind, another tenant's, none). Storage errors propagate.
 */
export async function ownUrgentEntry(turn: Turn, entryId: string): Promise<StoredRecord | undefined> {
  const entry = await turn.services.stores.decisions.get(turn.identity.scope.tenantId, entryId);
  return entry?.kind === 'urgent_share' && sameId(entry.decidedBy.aadObjectId, turn.identity.user.aadObjectId)
    ? entry
    : undefined;
}

/** How many pages of the practitioner's records (since the entry) are searched for a linked decision. */
const LINK_PAGES = 5;

/**
 * The decision the practitioner has recorded for their urgent entry (a 'decision' carrying its id
 * in urgentEntryId), if any. One urgent entry has one decision: a change to it is a correction.
 * Storage errors propagate.
 */
export async function linkedDecision(turn: Turn, entry: StoredRecord): Promise<StoredRecord | undefined> {
  let token: string | undefined;
  for (let page = 0; page < LINK_PAGES; page++) {
    const result = await turn.services.stores.decisions.query(
      { tenantId: entry.scope.tenantId, decidedBy: entry.decidedBy.aadObjectId, from: entry.recordedAt },
      200,
      token,
    );
    const found = result.items.find((r) => r.kind === 'decision' && r.urgentEntryId === entry.id);
    if (found) return found;
    token = result.continuationToken;
    if (!token) return undefined;
  }
  return undefined;
}

/** The card text for an urgent entry whose decision is already recorded (`decisionId`, when known). */
export const urgentAlreadyRecorded = (entryId: string, decisionId: string | undefined): string =>
  `The decision for urgent entry ${entryId} is already recorded${decisionId ? ` (record ${decisionId})` : ''}; its follow-up is closed and no reminder will come. One urgent entry has one decision: to change it, type **my decisions**, open that record and record a correction.`;
