/** Fixed code lists shared by the schema, the cross-checks and the bot. */
import type { ConsentStatus, FollowUpCode, RecordFieldCode } from '../contract';

/** Channel codes the bot's record form understands. The channel question must offer exactly these. */
export const CHANNEL_CODES = ['phone', 'email', 'secure_system', 'fax', 'in_person', 'post'] as const;
export type ChannelCode = (typeof CHANNEL_CODES)[number];

/**
 * Recipient codes the bot's record form (and the stored record) understand. The recipient question must offer exactly
 * these.
 */
export const RECIPIENT_CODES = [
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
export type RecipientCode = (typeof RECIPIENT_CODES)[number];

export const FOLLOW_UP_CODES = [
  'inform_subject_later',
  'inform_all_parties_consent_withdrawn',
] as const satisfies readonly FollowUpCode[];
export const RECORD_FIELD_CODES = [
  'consentStatus',
  'reasonsWithoutConsent',
  'recipient',
  'channel',
  'informationOutline',
  'subjectInformed',
  'caseReference',
] as const satisfies readonly RecordFieldCode[];
export const CONSENT_STATUSES = [
  'sought_obtained',
  'sought_refused',
  'not_sought',
  'withdrawn',
] as const satisfies readonly ConsentStatus[];

// Compile-time guards: if the contract gains a code, these lists must be updated too.
type Missing<All, Listed> = Exclude<All, Listed> extends never ? true : never;
const _followUpsComplete: Missing<FollowUpCode, (typeof FOLLOW_UP_CODES)[number]> = true;
const _recordFieldsComplete: Missing<RecordFieldCode, (typeof RECORD_FIELD_CODES)[number]> = true;
const _consentStatusesComplete: Missing<ConsentStatus, (typeof CONSENT_STATUSES)[number]> = true;
