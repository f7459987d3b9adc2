/**
 * Realistic answer sets and record-form values shared by the integration, robustness, e2e tests
 * and the benchmark, so one change to the rule pack is reflected everywhere at once.
 */

/**
 * A practitioner who has evidence of significant harm and must not ask the parent first: the seven
 * questions that decide the answer, then the four that tailor the steps and pre-fill the record.
 */
export const SHARE_WITHOUT_ASKING = {
  route: 'sharing_out',
  about: 'child_health_development_harm',
  exception: 'none',
  consent_from: 'adult_subject',
  consent: 'not_yet_asked',
  grounds: 'significant_harm_evidence',
  why_not_ask: 'would_increase_risk',
  channel: 'secure_system',
  recipient: 'childrens_social_care',
  anonymous: 'named',
  sensitive: 'no',
} as const satisfies Readonly<Record<string, string>>;

/** The same answers, for lookups by a question id only known at run time. */
export const answerFor = (questionId: string): string | undefined =>
  (SHARE_WITHOUT_ASKING as Readonly<Record<string, string>>)[questionId];

/** The UTC day `days` from today (YYYY-MM-DD), as the record form's date input sends it. */
export const dayFromToday = (days: number): string =>
  new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** What §4 Recording requires for that share, as a practitioner would fill it in (no names). */
export const RECORD_FORM: Readonly<Record<string, string>> = {
  purpose: 'safeguarding_child',
  purposeDetail: '',
  riskOfNotSharing: 'The child would stay at risk of significant harm at home without a referral.',
  deciderRole: 'designated_safeguarding_lead',
  // Not told yet: when that is reviewed is required (from today to 90 days ahead).
  reviewBy: dayFromToday(30),
  caseReference: 'CSC-2026-0042',
  consentStatus: 'not_sought',
  reasonsWithoutConsent: 'Asking the parent would put the child at increased risk of significant harm.',
  recipientAgency: 'childrens_social_care',
  recipientRole: 'duty social worker',
  channel: 'secure_system',
  informationOutline: 'Disclosure made in school today and the concerns logged this term.',
  subjectInformed: 'will_inform',
  subjectNotInformedReason: '',
};
