/**
 * The "Record this decision" form: what §4 (Recording of Information Sought and Shared) requires,
 * checked against the outcome it records. Free text is short, and text that looks like contact
 * details is refused, because the record must hold the decision and not the person's identity.
 */
import { z } from 'zod';
import type { Outcome, RecordFieldCode } from '../../../domain/contract';
import type { RecordFormInput } from './state';
import {
  CHANNEL_CHOICES,
  CONSENT_STATUS_CHOICES,
  DECIDER_ROLE_CHOICES,
  PURPOSE_CHOICES,
  RECIPIENT_AGENCY_CHOICES,
  SUBJECT_INFORMED_CHOICES,
} from '../../kit/choices';
import { CASE_REFERENCE_PATTERN } from '../../kit/ids';
import { findContactDetail } from '../../contactDetails';
import { userTextSchema } from '../../userText';

const values = <T extends { value: string }>(choices: ReadonlyArray<T>) =>
  choices.map((c) => c.value) as [T['value'], ...T['value'][]];

/**
 * A free-text field: the length limit first (on the text as received, before any pattern runs),
 * then the shared sanitiser (userText.ts), then the contact-details check.
 */
export const freeText = (label: string, max: number, multiline = true) =>
  userTextSchema(max, { multiline, tooLong: `${label}: use at most ${max} characters.` }).superRefine((s, ctx) => {
    const found = findContactDetail(s);
    if (found)
      ctx.addIssue({
        code: 'custom',
        message: `${label}: remove the ${found} — record no contact or identifying details.`,
      });
  });

export const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** The review of "not told" must be soon enough to mean something, and never already past. */
export const MAX_REVIEW_DAYS = 90;

/** A calendar day (YYYY-MM-DD) that exists; the window is checked against the bot's clock below. */
const reviewDate = z.iso.date({ error: 'Review date: use a real date (YYYY-MM-DD).' });

/** The UTC day `days` after `now`, as YYYY-MM-DD. */
export function dayAfter(now: Date, days: number): string {
  const d = new Date(now.getTime());
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export const FormSchema = z.object({
  caseReference: z
    .string({ error: 'Case reference: enter your agency’s case reference.' })
    .trim()
    .regex(CASE_REFERENCE_PATTERN, 'Case reference: use 2 to 40 letters, digits and - / . _ only (no names).'),
  consentStatus: z.enum(values(CONSENT_STATUS_CHOICES), { error: 'Consent: choose one of the options.' }),
  reasonsWithoutConsent: z.preprocess(blankToUndefined, freeText('Reasons', 1000).optional()),
  recipientAgency: z.preprocess(
    blankToUndefined,
    z.enum(values(RECIPIENT_AGENCY_CHOICES), { error: 'Recipient: choose an agency.' }).optional(),
  ),
  recipientRole: z.preprocess(blankToUndefined, freeText('Role', 80, false).optional()),
  channel: z.preprocess(
    blankToUndefined,
    z.enum(values(CHANNEL_CHOICES), { error: 'Channel: choose how it is shared.' }).optional(),
  ),
  informationOutline: z.preprocess(blankToUndefined, freeText('Outline', 500).optional()),
  subjectInformed: z.enum(values(SUBJECT_INFORMED_CHOICES), {
    error: 'Say whether the person has been, or will be, told.',
  }),
  subjectNotInformedReason: z.preprocess(blankToUndefined, freeText('Why not told', 500).optional()),
  purpose: z.preprocess(
    blankToUndefined,
    z.enum(values(PURPOSE_CHOICES), { error: 'Purpose: choose one of the options.' }).optional(),
  ),
  purposeDetail: z.preprocess(blankToUndefined, freeText('Purpose', 200, false).optional()),
  riskOfNotSharing: z.preprocess(blankToUndefined, freeText('Risk of not sharing', 1000).optional()),
  reasonForNotSharing: z.preprocess(blankToUndefined, freeText('Reason for not sharing', 1000).optional()),
  deciderRole: z.preprocess(
    blankToUndefined,
    z.enum(values(DECIDER_ROLE_CHOICES), { error: 'Your role: choose one of the options.' }).optional(),
  ),
  reviewBy: z.preprocess(blankToUndefined, reviewDate.optional()),
});
export type RecordForm = z.infer<typeof FormSchema>;

export type FormResult = { ok: true; form: RecordForm } | { ok: false; problems: string[] };

/** A share without consent: its reasons are required, and so is the risk of not sharing. */
export function isShareWithoutConsent(outcome: Outcome, consentStatus: string | undefined): boolean {
  if (outcome.decision === 'share_without_consent_justified') return true;
  return outcome.mustRecord.some((r) => r.field === 'reasonsWithoutConsent') && consentStatus !== 'sought_obtained';
}

/** The person has not been told (yet, or at all): when that is reviewed must be recorded. */
export const NOT_TOLD = new Set<string>(['will_inform', 'not_informing']);

/**
 * Validates the submitted form against what this outcome requires to be recorded. `now` is the
 * bot's clock: a review date must lie from today to MAX_REVIEW_DAYS ahead (UTC days).
 */
export function validateRecordForm(input: RecordFormInput, outcome: Outcome, now: Date = new Date()): FormResult {
  const parsed = FormSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problems: [...new Set(parsed.error.issues.map((i) => i.message))] };
  const form = parsed.data;
  const required = new Set<RecordFieldCode>(outcome.mustRecord.map((r) => r.field));
  const problems: string[] = [];
  if (required.has('reasonsWithoutConsent') && form.consentStatus !== 'sought_obtained' && !form.reasonsWithoutConsent)
    problems.push('Reasons: the guidance requires the reasons for sharing without consent to be recorded.');
  if (required.has('recipient') && !form.recipientAgency)
    problems.push('Recipient: choose the agency that receives the information.');
  if (required.has('channel') && !form.channel) problems.push('Channel: choose how the information is shared.');
  if (required.has('informationOutline') && !form.informationOutline)
    problems.push('Outline: say in outline what is shared (no names).');
  if (form.subjectInformed === 'not_informing' && !form.subjectNotInformedReason)
    problems.push('Why not told: say why the person will not be told.');
  if (isShareWithoutConsent(outcome, form.consentStatus) && !form.riskOfNotSharing)
    problems.push('Risk of not sharing: say what the risk would be if the information were not shared.');
  if (outcome.decision === 'do_not_share' && !form.reasonForNotSharing)
    problems.push('Reason for not sharing: say why it is not shared.');
  if (form.purpose === 'other' && !form.purposeDetail)
    problems.push('Purpose: say in a few words what the purpose is.');
  if (NOT_TOLD.has(form.subjectInformed)) {
    if (!form.reviewBy) problems.push('Review date: say when not telling the person will be reviewed.');
    else if (form.reviewBy < dayAfter(now, 0) || form.reviewBy > dayAfter(now, MAX_REVIEW_DAYS))
      problems.push(`Review date: choose a date from today to ${MAX_REVIEW_DAYS} days ahead.`);
  }
  return problems.length ? { ok: false, problems } : { ok: true, form };
}
