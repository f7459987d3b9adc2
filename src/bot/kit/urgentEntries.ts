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
