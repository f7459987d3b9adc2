/**
 * Questionnaire state travels in each card's Action.Execute data, not in process memory or storage,
 * so any bot instance can serve the next step and a restart loses nothing the user can see.
 *
 * It is untrusted input: zod checks its shape here and the engine checks that every answer lies on
 * a valid path through the rule pack (a forged or skipped step is refused there).
 */
import { z } from 'zod';
import { UrgentEntryIdSchema } from '../../kit/urgentEntries';

const code = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9_.-]+$/i);

/** A questionnaire has far fewer questions than this; more answers mean a forged card. */
const MAX_ANSWERS = 60;
/** Far more than the largest real state (60 answers of 64-character codes, and the ids). */
const MAX_STATE_CHARS = 16_384;

/**
 * True for a plain object with at most `limit` own keys — counted without looking past the limit,
 * so a forged card with tens of thousands of keys costs no more than one with `limit + 1`.
 */
function hasAtMostKeys(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  let n = 0;
  for (const key in value) if (Object.hasOwn(value, key) && ++n > limit) return false;
  return true;
}

/** The state's size when serialised, refusing (not measuring) anything cyclic or too deep. */
function serialisedLength(value: unknown): number {
  try {
    return JSON.stringify(value)?.length ?? 0;
  } catch {
    return Infinity;
  }
}

/**
 * The cheap checks run first (z.custom, before any per-key schema): otherwise zod would check every
 * key of a forged `a` and build one issue per bad key before the answer limit applied — one card
 * submission then held the event loop for hundreds of milliseconds.
 */
const boundedState = z.custom<Record<string, unknown>>(
  (v) =>
    hasAtMostKeys(v, 16) &&
    hasAtMostKeys((v as { a?: unknown }).a ?? {}, MAX_ANSWERS) &&
    serialisedLength(v) <= MAX_STATE_CHARS,
  'questionnaire state too large',
);

const stateShape = z.object({
  /** Rule pack the answers were given under (absent on cards made before tenants chose packs: the 2015 pack). */
  p: z
    .string()
    .max(64)
    .regex(/^[a-z0-9]+(?:[_-][a-z0-9]+)*$/)
    .optional(),
  /** Rule-pack version the answers were given under: a pack version ('2015.10-r2'), nothing else. */
  v: z
    .string()
    .max(40)
    .regex(/^\d{4}\.\d{2}-r\d{1,6}$/),
  /** Answers so far: question id → option code. */
  a: z.record(code, code),
  /** AAD object id of the practitioner who started this questionnaire. */
  o: z.string().min(1).max(64),
  /** This questionnaire's id: a newer questionnaire by the same user supersedes this card. */
  i: z.uuid(),
  /**
   * When this questionnaire started (ms since the epoch). If storage was down then, its start was
   * never written, and recording compares this with the stored row instead (sessions.ts).
   * Optional: cards sent before it existed still work.
   */
  t: z.number().int().min(0).max(8.64e15).optional(),
  /** The practitioner's urgent entry this questionnaire records the decision for (checked again on record). */
  u: UrgentEntryIdSchema.optional(),
});

export const QuestionnaireStateSchema = boundedState.pipe(stateShape);
export type QuestionnaireState = z.infer<typeof stateShape>;

/** Data on the "Next" action, plus the answer Teams merges in from the ChoiceSet input. */
export const AnswerSubmissionSchema = z.object({
  s: QuestionnaireStateSchema,
  /** The question this card asked (so an answer can't be applied to a different question). */
  q: code,
  answer: code,
});

export const StateOnlySubmissionSchema = z.object({ s: QuestionnaireStateSchema });

/** Data on "Record this decision": state, idempotency key, and the form's inputs. */
export const RecordSubmissionSchema = z.object({
  s: QuestionnaireStateSchema,
  k: z.uuid(),
});

/**
 * Longer than any record-form field may be (the longest allows 1000 characters). Inputs are cut
 * to this before anything else: still too long, so recordForm.ts refuses them by length, and a
 * refused form echoes back at most this much per field instead of a whole request body.
 */
export const MAX_FORM_INPUT = 1001;
const formInput = z
  .string()
  .transform((s) => (s.length > MAX_FORM_INPUT ? s.slice(0, MAX_FORM_INPUT) : s))
  .optional();

/** The record form's inputs, before the outcome-specific checks in recordForm.ts. */
export const RecordFormInputSchema = z.object({
  caseReference: formInput,
  consentStatus: formInput,
  reasonsWithoutConsent: formInput,
  recipientAgency: formInput,
  recipientRole: formInput,
  channel: formInput,
  informationOutline: formInput,
  subjectInformed: formInput,
  subjectNotInformedReason: formInput,
  purpose: formInput,
  purposeDetail: formInput,
  riskOfNotSharing: formInput,
  reasonForNotSharing: formInput,
  deciderRole: formInput,
  reviewBy: formInput,
});
export type RecordFormInput = z.infer<typeof RecordFormInputSchema>;
