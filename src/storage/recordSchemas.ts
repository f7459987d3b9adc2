/**
 * zod schemas mirroring the storage contract's record types.
 *
 * Used twice: to check what the bot hands us (InvalidRecordError) and to check every entity read
 * back (CorruptEntityError), so a hand-edited or half-migrated row never becomes a bad object.
 */
import { z } from 'zod';
import { DECISIONS } from '../domain/contract';
import type { CorrectableField, NewRecord, StoredRecord } from './contract';

/** Free text is bounded so a record always fits one 64 KiB entity property (32K UTF-16 chars). */
const freeText = z.string().max(4000);
const shortCode = z.string().min(1).max(200);

export const RECORD_KINDS = [
  'decision',
  'follow_up_subject_informed',
  'consent_withdrawn',
  'follow_up_party_informed',
  'correction',
  'urgent_share',
] as const;

export const SHARING_PURPOSES = [
  'safeguarding_child',
  's17_s47_check',
  'prevent_detect_crime',
  'disclosure_scheme',
  'continuity_of_care',
  'other',
] as const;

export const DECIDER_ROLES = [
  'designated_safeguarding_lead',
  'social_worker',
  'teacher',
  'health_visitor',
  'school_nurse',
  'gp_or_health_professional',
  'police_officer',
  'early_help_worker',
  'other',
] as const;

/** Fields a correction may carry new values for (contract.ts CorrectableField). */
export const CORRECTABLE_FIELDS = [
  'consentStatus',
  'reasonsWithoutConsent',
  'recipientAgency',
  'recipientRole',
  'channel',
  'informationOutline',
  'subjectInformed',
  'subjectNotInformedReason',
  'purpose',
  'purposeDetail',
  'riskOfNotSharing',
  'reasonForNotSharing',
  'deciderRole',
  'reviewBy',
] as const satisfies readonly CorrectableField[];

export const RECIPIENT_AGENCIES = [
  'childrens_social_care',
  'police',
  'health',
  'school_or_education',
  'adult_social_care',
  'probation',
  'housing',
  'voluntary_sector',
  'same_organisation',
  'other',
] as const;

export const newRecordSchema = z.object({
  idempotencyKey: z.string().min(1).max(200),
  kind: z.enum(RECORD_KINDS),
  parentId: shortCode.optional(),
  scope: z.object({
    tenantId: shortCode,
    conversationId: z.string().min(1).max(500),
    conversationKind: z.enum(['personal', 'groupChat', 'channel']),
    teamId: z.string().min(1).max(500).optional(),
    channelId: z.string().min(1).max(500).optional(),
  }),
  decidedBy: z.object({ aadObjectId: shortCode, name: z.string().max(500) }),
  rulePackId: shortCode.optional(),
  rulePackVersion: shortCode,
  ruleId: shortCode,
  decision: z.enum(DECISIONS),
  answers: z.record(z.string().max(200), z.string().max(200)),
  consentStatus: z.enum(['sought_obtained', 'sought_refused', 'not_sought', 'withdrawn']),
  reasonsWithoutConsent: freeText.optional(),
  recipientAgency: z.enum(RECIPIENT_AGENCIES).optional(),
  recipientRole: z.string().max(500).optional(),
  channel: z.string().max(100).optional(),
  informationOutline: freeText.optional(),
  subjectInformed: z.enum(['yes', 'will_inform', 'not_informing', 'not_applicable']),
  subjectNotInformedReason: freeText.optional(),
  // Must contain something other than whitespace: the case index is keyed on it.
  caseReference: z.string().max(200).regex(/\S/u, 'must not be blank'),
  purpose: z.enum(SHARING_PURPOSES).optional(),
  purposeDetail: z.string().max(500).optional(),
  riskOfNotSharing: freeText.optional(),
  reasonForNotSharing: freeText.optional(),
  deciderRole: z.enum(DECIDER_ROLES).optional(),
  reviewBy: z.iso.date().optional(),
  correctionReason: freeText.optional(),
  correctedFields: z.array(z.enum(CORRECTABLE_FIELDS)).max(CORRECTABLE_FIELDS.length).optional(),
  openFollowUps: z.array(z.enum(['inform_subject_later', 'inform_all_parties_consent_withdrawn'])).max(20),
  urgentEntryId: shortCode.optional(),
});

/** record()'s options: the idempotency scope is stored on the marker, so it is bounded like a key. */
export const recordOptionsSchema = z.object({ idempotencyScope: z.string().min(1).max(200).optional() });

export const storedRecordSchema = newRecordSchema.extend({
  id: shortCode,
  recordedAt: z.iso.datetime(),
});

// Compile-time guard: the schemas must produce exactly the contract's types (both directions).
type Equals<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _newRecordMatches: Equals<z.infer<typeof newRecordSchema>, NewRecord> = true;
const _storedRecordMatches: Equals<z.infer<typeof storedRecordSchema>, StoredRecord> = true;
void _newRecordMatches;
void _storedRecordMatches;

/** "scope.tenantId: Too small…; decision: Invalid option…" — paths and rule names only, never values. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}
