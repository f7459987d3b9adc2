/**
 * Display titles for the codes a record holds, and the choice lists the record form offers. The
 * domain owns the codes (src/domain/rulePack/codes.ts); the bot owns only how they are worded, so
 * each list below is derived from the domain's and cannot drift from it.
 */
import {
  CHANNEL_CODES,
  CONSENT_STATUSES,
  RECIPIENT_CODES,
  type ChannelCode,
  type RecipientCode,
} from '../../domain/rulePack/codes';
import type { ConsentStatus } from '../../domain/contract';
import type { CorrectableField, DeciderRole, SharingPurpose, SubjectInformed } from '../../storage/contract';
import { DECIDER_ROLES, SHARING_PURPOSES } from '../../storage/recordSchemas';

export interface Choice<T extends string = string> {
  value: T;
  title: string;
}

const choicesOf = <T extends string>(codes: readonly T[], titles: Record<T, string>): ReadonlyArray<Choice<T>> =>
  codes.map((value) => ({ value, title: titles[value] }));

const CONSENT_STATUS_TITLES: Record<ConsentStatus, string> = {
  sought_obtained: 'Sought and given',
  sought_refused: 'Sought and refused',
  not_sought: 'Not sought',
  withdrawn: 'Given, then withdrawn',
};

const RECIPIENT_TITLES: Record<RecipientCode, string> = {
  childrens_social_care: "Children's social care",
  police: 'Police',
  health: 'Health',
  school_or_education: 'School or education',
  adult_social_care: 'Adult social care',
  probation: 'Probation',
  housing: 'Housing',
  voluntary_sector: 'Voluntary sector',
  same_organisation: 'Someone in my own organisation',
  other: 'Other',
};

const CHANNEL_TITLES: Record<ChannelCode, string> = {
  phone: 'Phone',
  email: 'Email',
  secure_system: 'Secure electronic system',
  fax: 'Fax',
  in_person: 'In person',
  post: 'Post',
};

const SUBJECT_INFORMED_TITLES: Record<SubjectInformed, string> = {
  yes: 'Yes, they have been told',
  will_inform: 'Not yet — they will be told',
  not_informing: 'No — they will not be told (say why)',
  not_applicable: 'Not applicable (nothing is being shared)',
};
const SUBJECT_INFORMED_CODES = [
  'yes',
  'will_inform',
  'not_informing',
  'not_applicable',
] as const satisfies readonly SubjectInformed[];

const PURPOSE_TITLES: Record<SharingPurpose, string> = {
  safeguarding_child: 'Safeguarding a child at risk of harm',
  s17_s47_check: 'A child in need (s.17) or child protection (s.47) check',
  prevent_detect_crime: 'Preventing or detecting crime',
  disclosure_scheme: 'A disclosure scheme request',
  continuity_of_care: 'Continuity of care or coordinating services',
  other: 'Other (say what)',
};

const DECIDER_ROLE_TITLES: Record<DeciderRole, string> = {
  designated_safeguarding_lead: 'Designated safeguarding lead',
  social_worker: 'Social worker',
  teacher: 'Teacher',
  health_visitor: 'Health visitor',
  school_nurse: 'School nurse',
  gp_or_health_professional: 'GP or other health professional',
  police_officer: 'Police officer',
  early_help_worker: 'Early help or family support worker',
  other: 'Other',
};

/** How each field a correction may change is named to people (records list, correction card). */
export const CORRECTABLE_FIELD_TITLES: Record<CorrectableField, string> = {
  consentStatus: 'consent',
  reasonsWithoutConsent: 'reasons without consent',
  recipientAgency: 'recipient agency',
  recipientRole: 'recipient role',
  channel: 'channel',
  informationOutline: 'outline',
  subjectInformed: 'person told',
  subjectNotInformedReason: 'why not told',
  purpose: 'purpose',
  purposeDetail: 'purpose detail',
  riskOfNotSharing: 'risk of not sharing',
  reasonForNotSharing: 'reason for not sharing',
  deciderRole: 'decider’s role',
  reviewBy: 'review date',
};

export const PURPOSE_CHOICES = choicesOf(SHARING_PURPOSES, PURPOSE_TITLES);
export const DECIDER_ROLE_CHOICES = choicesOf(DECIDER_ROLES, DECIDER_ROLE_TITLES);
export const CONSENT_STATUS_CHOICES = choicesOf(CONSENT_STATUSES, CONSENT_STATUS_TITLES);
export const RECIPIENT_AGENCY_CHOICES = choicesOf(RECIPIENT_CODES, RECIPIENT_TITLES);
export const CHANNEL_CHOICES = choicesOf(CHANNEL_CODES, CHANNEL_TITLES);
export const SUBJECT_INFORMED_CHOICES = choicesOf(SUBJECT_INFORMED_CODES, SUBJECT_INFORMED_TITLES);

/**
 * The title of a code in a choice list; a code the list does not know is shown as itself (a record
 * written by a newer version), and no code at all is undefined, so each card says how it shows "none".
 */
export function titleOf(choices: ReadonlyArray<Choice>, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return choices.find((c) => c.value === value)?.title ?? value;
}

/** "Police — duty sergeant": the agency's title and, if recorded, the role. */
export function recipientTitle(record: { recipientAgency?: string; recipientRole?: string }): string | undefined {
  if (!record.recipientAgency) return undefined;
  return `${titleOf(RECIPIENT_AGENCY_CHOICES, record.recipientAgency)}${record.recipientRole ? ` — ${record.recipientRole}` : ''}`;
}
