/**
 * Reasons and conditions several rules share. Data-protection texts keep the 2015 meaning (DPA 1998
 * Schedules 2 and 3) and point to the legal notes for today's UK GDPR / DPA 2018 equivalents, so a
 * later pack can restate them deliberately rather than by accident.
 */
import { any, is, S, SENSITIVE } from './common';
import type { RulePackInput } from './schema';

type CitedTextInput = RulePackInput['rules'][number]['reasons'][number];

// --- Why sharing without consent is justified (§2 DfE Guidance, §4, §2 ECHR) ---
export const GROUNDS_REASONS: CitedTextInput[] = [
  {
    id: 'grounds-significant-harm',
    text: 'Sharing confidential information without consent is normally justified in the public interest where there is evidence, or reasonable cause to believe, that a child is suffering or is likely to suffer significant harm.',
    citations: [S.dfe, S.commonLaw],
    appliesWhen: is('grounds', 'significant_harm_evidence', 'significant_harm_reasonable_cause'),
  },
  {
    id: 'grounds-prevent-serious-harm',
    text: 'Sharing without consent is normally justified to prevent significant harm to a child or serious harm to an adult.',
    citations: [S.dfe],
    appliesWhen: any(is('grounds', 'prevent_serious_harm'), is('adult_grounds', 'serious_harm_adult')),
  },
  {
    id: 'grounds-serious-crime',
    text: 'Sharing without consent is normally justified where it could reasonably help to prevent, detect or prosecute serious crime.',
    citations: [S.dfe, S.practice],
    appliesWhen: any(is('grounds', 'serious_crime'), is('adult_grounds', 'serious_crime')),
  },
  {
    id: 'grounds-vital-interests',
    text: 'Workers may share without consent to protect a person’s vital interests.',
    citations: [S.practice, S.dpa],
    appliesWhen: any(is('grounds', 'vital_interests'), is('adult_grounds', 'vital_interests')),
  },
  {
    id: 'article-8-not-absolute',
    text: 'The right to respect for private and family life (Article 8) is not absolute. It allows sharing without consent to safeguard a child, protect health, protect the rights and freedoms of others, or prevent disorder or crime.',
    citations: [S.echr],
  },
];

// --- Conditions that go with any exchange (applied by the pack's crossCutting list) ---
export const PROPORTIONATE: CitedTextInput = {
  id: 'proportionate',
  text: 'Share no more than is necessary, with as few people as necessary, for the purpose (e.g. to protect the child). The disclosure must be a proportionate response.',
  citations: [S.commonLaw, S.echr],
};

export const CALLER_VERIFIED_FIRST: CitedTextInput = {
  id: 'caller-verified-first',
  text: 'Say nothing about the case — not even whether you know the family — until you have checked the caller’s identity by ringing their agency back.',
  citations: [S.exchanges],
  appliesWhen: is('caller_verified', 'not_verified'),
};

export const NOT_ANONYMOUSLY: CitedTextInput = {
  id: 'not-anonymously',
  text: 'Pass it on in your own name and agency, not anonymously: each worker is responsible for their own referrals.',
  citations: [S.practice],
  appliesWhen: is('anonymous', 'wants_anonymous'),
};

// --- Data protection, 2015 wording (§2 Data Protection Act 1998) ---
export const DPA_WITHOUT_CONSENT: CitedTextInput[] = [
  {
    id: 'dpa-schedule-2',
    text: 'Data protection (2015 wording): a Schedule 2 condition must be met. Here that is usually that sharing is necessary to protect someone’s vital interests, to carry out a statutory or public function (e.g. a s.17 assessment or s.47 enquiries), or to prevent or detect crime. Today these are UK GDPR Article 6 lawful bases; see the legal notes.',
    citations: [S.dpa],
  },
  {
    id: 'dpa-schedule-3',
    text: 'Because it includes sensitive personal data, a Schedule 3 condition must also be met. Examples: it is necessary to protect someone’s vital interests where consent cannot be given, is unreasonably withheld or cannot reasonably be obtained; it is necessary for a statutory function; or it is in the substantial public interest to prevent or detect an unlawful act and asking would prejudice that. Today: UK GDPR Article 9 with DPA 2018 Schedule 1 paragraph 18, “safeguarding of children and of individuals at risk”; see the legal notes.',
    citations: [S.dpa],
    appliesWhen: SENSITIVE,
  },
];

export const DPA_WITH_CONSENT: CitedTextInput[] = [
  {
    id: 'dpa-schedule-2-consent',
    text: 'Data protection (2015 wording): the person’s consent is a Schedule 2 condition for sharing. Today: UK GDPR Article 6; see the legal notes.',
    citations: [S.dpa],
  },
  {
    id: 'dpa-schedule-3-explicit-consent',
    text: 'For sensitive personal data the consent must be explicit (Schedule 3). Make sure it clearly covered the sensitive parts. Today: UK GDPR Article 9(2)(a); see the legal notes.',
    citations: [S.dpa, S.context],
    appliesWhen: SENSITIVE,
  },
];

export const DPA_LEGAL_OBLIGATION: CitedTextInput = {
  id: 'dpa-legal-obligation',
  text: 'Data protection (2015 wording): “necessary to comply with a legal obligation” is a Schedule 2 condition. For sensitive data, Schedule 3 allows sharing that is necessary to establish, exercise or defend legal rights, or for a statutory function. Today: UK GDPR Articles 6 and 9; see the legal notes.',
  citations: [S.dpa],
};

export const DPA_STILL_APPLIES: CitedTextInput = {
  id: 'dpa-still-applies',
  text: 'Data protection still applies to personal information. The sharing must be fair and lawful and meet a Schedule 2 condition, e.g. necessary for a public function such as a s.17 assessment. Today: UK GDPR Article 6; see the legal notes.',
  citations: [S.dpa],
};

export const DPA_STATUTORY_CHECKS: CitedTextInput = {
  id: 'dpa-statutory-function',
  text: 'Data protection (2015 wording): s.17 assessments and s.47 enquiries are statutory functions, a Schedule 2 condition (and a Schedule 3 condition for sensitive data). Today: UK GDPR Article 6(1)(e), and Article 9 with DPA 2018 Schedule 1; see the legal notes.',
  citations: [S.dpa, S.checks],
};

// --- Consent (§1) ---
export const INFORMED_CONSENT: CitedTextInput = {
  id: 'informed-consent',
  text: 'The consent is informed: they understood what would be shared, with whom, why, and what could follow.',
  citations: [S.context],
};

export const RESPECT_LIMITS: CitedTextInput = {
  id: 'respect-consent-limits',
  text: 'Stay within the limits they set, and make the limits clear when you share.',
  citations: [S.context],
  appliesWhen: is('consent_limits', 'limits_allow_this'),
};

export const CONSENT_CAN_BE_WITHDRAWN: CitedTextInput = {
  id: 'consent-can-be-withdrawn',
  text: 'Consent can be withdrawn at any stage. If it is, stop sharing and tell everyone you have shared with.',
  citations: [S.context],
};
