/**
 * The "Record this decision" form: what §4 (Recording of Information Sought and Shared) requires,
 * checked against the outcome it records. Free text is short, and text that looks like contact
 * details is refused, because the record must hold the decision and not the person's identity.
 */
import { z } from 'zod';
import type { Outcome, RecordFieldCode } from '../../../domain/contract';
import type { RecordFormInput } from './state';
import { CHANNEL_CHOICES, CONSENT_STATUS_CHOICES, RECIPIENT_AGENCY_CHOICES, SUBJECT_INFORMED_CHOICES } from '../../kit/choices';
import { CASE_REFERENCE_PATTERN } from '../../kit/ids';
import { findContactDetail } from '../../contactDetails';
import { userTextSchema } from '../../userText';

const values = <T extends { value: string }>(choices: ReadonlyArray<T>) =>
  choices.map((c) => c.value) as [T['value'], ...T['value'][]];

/**
 * A free-text field: the length limit first (on the text as received, before any pattern runs),
 * then the shared sanitiser (userText.ts), then the contact-details check.
 */
const freeText = (label: string, max: number, multiline = true) =>
  userTextSchema(max, { multiline, tooLong: `${label}: use at most ${max} characters.` }).superRefine((s, ctx) => {
    const found = findContactDetail(s);
    if (found) ctx.addIssue({ code: 'custom', message: `${label}: remove the ${found} — record no contact or identifying details.` });
  });

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const FormSchema = z.object({
  caseReference: z
    .string({ error: 'Case reference: enter your agency’s case reference.' })
    .trim()
    .regex(CASE_REFERENCE_PATTERN, 'Case reference: use 2 to 40 letters, digits and - / . _ only (no names).'),
  consentStatus: z.enum(values(CONSENT_STATUS_CHOICES), { error: 'Consent: choose one of the options.' }),
  reasonsWithoutConsent: z.preprocess(blankToUndefined, freeText('Reasons', 1000).optional()),
  recipientAgency: z.preprocess(blankToUndefined, z.enum(values(RECIPIENT_AGENCY_CHOICES), { error: 'Recipient: choose an agency.' }).optional()),
  recipientRole: z.preprocess(blankToUndefined, freeText('Role', 80, false).optional()),
  channel: z.preprocess(blankToUndefined, z.enum(values(CHANNEL_CHOICES), { error: 'Channel: choose how it is shared.' }).optional()),
  informationOutline: z.preprocess(blankToUndefined, freeText('Outline', 500).optional()),
  subjectInformed: z.enum(values(SUBJECT_INFORMED_CHOICES), { error: 'Say whether the person has been, or will be, told.' }),
  subjectNotInformedReason: z.preprocess(blankToUndefined, freeText('Why not told', 500).optional()),
});
export type RecordForm = z.infer<typeof FormSchema>;

export type FormResult = { ok: true; form: RecordForm } | { ok: false; problems: string[] };

/** Validates the submitted form against what this outcome requires to be recorded. */
export function validateRecordForm(input: RecordFormInput, outcome: Outcome): FormResult {
  const parsed = FormSchema.safeParse(input);
  if (!parsed.success) return { ok: false, problems: [...new Set(parsed.error.issues.map((i) => i.message))] };
  const form = parsed.data;
  const required = new Set<RecordFieldCode>(outcome.mustRecord.map((r) => r.field));
  const problems: string[] = [];
  if (required.has('reasonsWithoutConsent') && form.consentStatus !== 'sought_obtained' && !form.reasonsWithoutConsent)
    problems.push('Reasons: the guidance requires the reasons for sharing without consent to be recorded.');
  if (required.has('recipient') && !form.recipientAgency) problems.push('Recipient: choose the agency that receives the information.');
  if (required.has('channel') && !form.channel) problems.push('Channel: choose how the information is shared.');
  if (required.has('informationOutline') && !form.informationOutline)
    problems.push('Outline: say in outline what is shared (no names).');
  if (form.subjectInformed === 'not_informing' && !form.subjectNotInformedReason)
    problems.push('Why not told: say why the person will not be told.');
  return problems.length ? { ok: false, problems } : { ok: true, form };
}
