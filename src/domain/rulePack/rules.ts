/**
 * The rules, in priority order: the first whose `when` holds decides. The order encodes the guidance:
 *  1. the route (SAR/FOI → originating agency; offending-history enquiries → police schemes);
 *  2. things that stop or settle the question before consent (out of scope, anonymity, legal duty,
 *     not confidential, authorised by the confider — §2 Common Law exceptions);
 *  3. sharing without consent where it is justified — before anything about consent, so a refusal or
 *     doubt about competence never blocks sharing to protect a child from significant harm;
 *  4. withdrawal, doubt about competence, consent given, consent refused, consent not yet sought;
 *  5. a catch-all "get advice".
 */
import { ALWAYS, all, ASKING_UNSAFE_OR_IMPOSSIBLE, CHECKS, is, JUSTIFYING_GROUNDS, NO_CONSENT_FOR_THIS, S, SHARING } from './common';
import { RECORD_DECISION_ONLY, RECORD_EXCHANGE, RECORD_WITHOUT_CONSENT } from './recording';
import type { RulePackInput } from './schema';
import {
  CALLER_VERIFIED_FIRST,
  CONSENT_CAN_BE_WITHDRAWN,
  DPA_LEGAL_OBLIGATION,
  DPA_STATUTORY_CHECKS,
  DPA_STILL_APPLIES,
  DPA_WITH_CONSENT,
  DPA_WITHOUT_CONSENT,
  GROUNDS_REASONS,
  INFORMED_CONSENT,
  PROPORTIONATE,
  RESPECT_LIMITS,
} from './texts';

type RuleInput = RulePackInput['rules'][number];

/** How to share safely; each step filters itself by channel, recipient and sensitivity. */
const HOW_TO_SHARE = [
  'verify-caller-before-sharing',
  'share-only-what-is-needed',
  'extra-care-sensitive',
  'same-rules-inside-organisation',
  'record-what-was-said',
  'prefer-secure-system-to-email',
  'police-email-secure-network-only',
  'email-confidentiality-warning',
  'fax-only-if-absolutely-necessary',
  'fax-check-number',
  'fax-confirm-secure-handling',
  'post-check-address',
  'protective-marking',
  'store-securely',
  'record-under-agency-procedure',
];

/** Checks: the practitioner asks, and receives what comes back. */
const HOW_TO_CHECK = [
  'checks-only-relevant-agencies',
  'same-rules-inside-organisation',
  'record-what-was-said',
  'prefer-secure-system-to-email',
  'police-email-secure-network-only',
  'email-confidentiality-warning',
  'fax-only-if-absolutely-necessary',
  'fax-check-number',
  'fax-confirm-secure-handling',
  'post-check-address',
  'protective-marking',
  'store-securely',
  'record-under-agency-procedure',
];

const ASK_FOR_CONSENT = ['ask-adult-subject', 'ask-competent-child', 'ask-person-with-pr', 'explain-consent-can-be-withdrawn', 'consent-in-writing'];
const GET_ADVICE = ['ask-manager-or-legal-adviser', 'ask-caldicott-guardian'];

const SCHEME_STEPS = [
  'scheme-do-not-answer-from-records',
  'csods-apply-to-police',
  'csods-worker-route',
  'csods-who-is-told',
  'csods-in-person-undertaking',
  'csods-use-only-to-protect',
  'dvds-right-to-ask',
  'dvds-right-to-know',
  'dvds-when-police-disclose',
  'dvds-consider-children',
];

const WITHOUT_CONSENT_CONDITIONS = [CALLER_VERIFIED_FIRST, PROPORTIONATE, ...DPA_WITHOUT_CONSENT];

export const rules: RuleInput[] = [
  // ---------------------------------------------------------------- 1. Route
  {
    id: 'sar-foi-information-from-another-agency',
    when: is('originated_elsewhere', 'yes'),
    decision: 'contact_originating_agency',
    title: 'Contact the agency the information came from',
    summary: 'Before releasing anything that came from another agency, ask that agency whether it wants to rely on an exemption.',
    reasons: [
      {
        id: 'sar-originating-agency',
        text: 'When a subject access request covers personal data that came from another agency, the receiving agency must contact that agency to find out whether it wants to advise using a statutory exemption.',
        citations: [S.sar],
        appliesWhen: is('route', 'subject_access_request'),
      },
      {
        id: 'foi-data-owner',
        text: 'When a Freedom of Information request covers information belonging to another organisation, the receiving agency must contact the owner to find out whether it wants to rely on an exemption, and to identify any harm it sees in release.',
        citations: [S.foi],
        appliesWhen: is('route', 'foi_request'),
      },
    ],
    conditions: [],
    practiceSteps: ['sar-foi-find-origin', 'sar-contact-originating-agency', 'foi-contact-data-owner', 'sar-foi-own-procedure'],
    mustRecord: ['caseReference', 'recipient'],
    followUps: [],
  },
  {
    id: 'sar-foi-origin-not-known',
    when: is('originated_elsewhere', 'not_sure'),
    decision: 'seek_advice',
    title: 'Find out where the information came from first',
    summary: 'Work out which parts came from other agencies before responding. Those agencies must be asked about exemptions before release.',
    reasons: [
      {
        id: 'origin-decides-next-step',
        text: 'What to do depends on where the information came from. Anything from another agency must be raised with that agency before it is released.',
        citations: [S.sar, S.foi],
      },
    ],
    conditions: [],
    practiceSteps: ['sar-foi-find-origin', 'sar-contact-originating-agency', 'foi-contact-data-owner', 'sar-foi-own-procedure'],
    mustRecord: ['caseReference'],
    followUps: [],
  },
  {
    id: 'sar-foi-own-agency-information',
    when: is('originated_elsewhere', 'no'),
    decision: 'seek_advice',
    title: 'Handle it under your agency’s own procedure',
    summary: 'This guidance only adds a step for information from other agencies. Ask your information governance or data protection lead how to respond.',
    reasons: [
      {
        id: 'guidance-covers-other-agencies-only',
        text: 'The guidance sets what to do when requested information came from, or belongs to, another agency. Your own agency’s information is handled under your agency’s procedure.',
        citations: [S.responsibilities, S.sar, S.foi],
      },
    ],
    conditions: [],
    practiceSteps: ['sar-foi-own-procedure'],
    mustRecord: ['caseReference'],
    followUps: [],
  },
  {
    id: 'csods-refer-to-police',
    when: is('disclosure_scheme', 'child_sex_offender'),
    decision: 'police_disclosure_scheme',
    title: 'Point them to the police: Child Sex Offender Disclosure Scheme',
    summary: 'The police run this scheme. Information is only available by applying directly to them, and any disclosure is made in person, in confidence.',
    reasons: [
      {
        id: 'csods-formal-mechanism',
        text: 'The Child Sex Offender Disclosure Scheme gives members of the public a formal way to ask about people with unsupervised access to children who may pose a risk. The police manage it, and information can only be accessed by applying directly to them.',
        citations: [S.csods],
      },
    ],
    conditions: [
      {
        id: 'csods-confidential-use',
        text: 'If a disclosure is made, it must be kept confidential and used only to keep the child safe. Legal action may follow a breach.',
        citations: [S.csods],
      },
    ],
    practiceSteps: SCHEME_STEPS,
    mustRecord: ['caseReference'],
    followUps: [],
  },
  {
    id: 'dvds-right-to-ask',
    when: all(is('disclosure_scheme', 'domestic_violence'), is('scheme_requester', 'member_of_public')),
    decision: 'police_disclosure_scheme',
    title: 'Point them to the police: Domestic Violence Disclosure Scheme (“right to ask”)',
    summary: 'Anyone can ask the police about a partner’s past. The police only tell the person at risk or someone able to protect them.',
    reasons: [
      {
        id: 'dvds-right-to-ask-mechanism',
        text: 'Under the Domestic Violence Disclosure Scheme, members of the public can ask the police about someone they, or someone they know, are in a relationship with, where there is concern the person may be violent (the “right to ask”).',
        citations: [S.dvds],
      },
    ],
    conditions: [
      {
        id: 'dvds-who-is-told',
        text: 'Information is only given to someone at risk or a person in a position to safeguard the victim.',
        citations: [S.dvds],
      },
    ],
    practiceSteps: SCHEME_STEPS,
    mustRecord: ['caseReference'],
    followUps: [],
  },
  {
    id: 'dvds-right-to-know',
    when: all(is('disclosure_scheme', 'domestic_violence'), is('scheme_requester', 'partner_agency')),
    decision: 'police_disclosure_scheme',
    title: 'Ask the police: Domestic Violence Disclosure Scheme (“right to know”)',
    summary: 'A partner agency that believes someone is at risk of harm can ask the police to disclose the person’s past.',
    reasons: [
      {
        id: 'dvds-right-to-know-mechanism',
        text: 'Partner agencies can ask for a disclosure of an offender’s past where they believe someone is at risk of harm (the “right to know”).',
        citations: [S.dvds],
      },
    ],
    conditions: [
      {
        id: 'dvds-police-decide',
        text: 'The police disclose where the person has convictions for violent offences, or where information about their behaviour reasonably suggests a risk of harm to their partner.',
        citations: [S.dvds],
      },
    ],
    practiceSteps: SCHEME_STEPS,
    mustRecord: ['caseReference', 'recipient'],
    followUps: [],
  },

  // ---------------------------------------------------------------- 2. Settled before consent
  {
    id: 'outside-child-protection-scope',
    when: is('about', 'other'),
    decision: 'seek_advice',
    title: 'Outside this guidance: follow your agency’s procedure',
    summary: 'This guidance is about information relevant to protecting children. Ask your manager or information governance lead about anything else.',
    reasons: [
      {
        id: 'scope-child-protection',
        text: 'The guidance covers information relevant to child protection: a child’s health, development and exposure to harm; a parent or carer unable to care adequately; and other people who may pose a risk to the child.',
        citations: [S.context],
      },
    ],
    conditions: [],
    practiceSteps: ['follow-agency-procedure-out-of-scope', ...GET_ADVICE],
    mustRecord: ['caseReference'],
    followUps: [],
  },
  {
    id: 'no-anonymous-referrals',
    when: is('anonymous', 'wants_anonymous'),
    decision: 'do_not_share',
    title: 'Don’t pass it on anonymously',
    summary: 'Each worker is responsible for their own referrals. Your concern may well justify sharing: check again, answering that you will be named.',
    reasons: [
      {
        id: 'own-your-referral',
        text: 'Each worker must accept responsibility for their own referrals and should not give information to another agency anonymously.',
        citations: [S.practice],
      },
    ],
    conditions: [],
    practiceSteps: ['refer-in-own-name', 'discuss-worries-about-being-named'],
    mustRecord: ['caseReference'],
    followUps: [],
  },
  {
    id: 'share-required-by-law',
    when: is('legal_obligation', 'court_order', 'other_legal_duty'),
    decision: 'share_legal_obligation',
    title: 'Share — required by law',
    summary: 'A court order or other legal obligation overrides the duty of confidence. Share what it requires, and no more.',
    reasons: [
      {
        id: 'legal-obligation-exception',
        text: 'The duty of confidence does not prevent disclosure that a court order or other legal obligation requires.',
        citations: [S.commonLaw, S.overall],
      },
    ],
    conditions: [CALLER_VERIFIED_FIRST, PROPORTIONATE, DPA_LEGAL_OBLIGATION],
    practiceSteps: ['share-only-what-order-requires', ...HOW_TO_SHARE],
    mustRecord: RECORD_EXCHANGE,
    followUps: [],
  },
  {
    id: 'share-not-confidential',
    when: is('confidential', 'not_confidential'),
    decision: 'share_not_confidential_or_authorised',
    title: 'Share — the information is not confidential',
    summary: 'Trivial or readily available information is not covered by the duty of confidence, so you can share it.',
    reasons: [
      {
        id: 'not-confidential-exception',
        text: 'The duty of confidence does not apply to information that is not confidential in nature, e.g. trivial or readily available elsewhere, such as a school confirming a child’s attendance that day.',
        citations: [S.commonLaw],
      },
    ],
    conditions: [CALLER_VERIFIED_FIRST, DPA_STILL_APPLIES],
    practiceSteps: ['check-really-not-confidential', ...HOW_TO_SHARE],
    mustRecord: RECORD_EXCHANGE,
    followUps: [],
  },
  {
    id: 'share-authorised-by-confider',
    when: is('authorised', 'expressly', 'implicitly'),
    decision: 'share_not_confidential_or_authorised',
    title: 'Share — authorised by the person who told you',
    summary: 'The person owed the duty of confidence has authorised disclosure. Share on a need-to-know basis.',
    reasons: [
      {
        id: 'express-authorisation',
        text: 'The person owed the duty of confidence has expressly authorised disclosure, verbally or in writing.',
        citations: [S.commonLaw],
        appliesWhen: is('authorised', 'expressly'),
      },
      {
        id: 'implied-authorisation',
        text: 'Disclosure is implicitly authorised. For example, someone referring an allegation of abuse to Children’s Social Care expects it to be shared on a need-to-know basis.',
        citations: [S.commonLaw],
        appliesWhen: is('authorised', 'implicitly'),
      },
    ],
    conditions: [CALLER_VERIFIED_FIRST, PROPORTIONATE, DPA_STILL_APPLIES],
    practiceSteps: ['note-who-authorised', ...HOW_TO_SHARE],
    mustRecord: RECORD_EXCHANGE,
    followUps: [],
  },

  // ---------------------------------------------------------------- 3. Justified without consent
  {
    id: 'share-after-withdrawal-justified',
    when: all(SHARING, is('consent', 'withdrawn'), JUSTIFYING_GROUNDS),
    decision: 'share_without_consent_justified',
    title: 'Share without consent — justified despite withdrawal',
    summary: 'Consent has been withdrawn, but your concern justifies continuing to share without it. Tell everyone you have shared with that consent was withdrawn.',
    reasons: [
      {
        id: 'withdrawal-unless-justified',
        text: 'When consent is withdrawn, information exchange should stop unless there is justification to continue without consent. Here there is.',
        citations: [S.context],
      },
      ...GROUNDS_REASONS,
    ],
    conditions: WITHOUT_CONSENT_CONDITIONS,
    practiceSteps: HOW_TO_SHARE,
    mustRecord: RECORD_WITHOUT_CONSENT,
    followUps: ['inform_all_parties_consent_withdrawn', 'inform_subject_later'],
  },
  {
    id: 'share-despite-refusal-justified',
    when: all(SHARING, NO_CONSENT_FOR_THIS, JUSTIFYING_GROUNDS),
    decision: 'share_without_consent_justified',
    title: 'Share without consent — justified despite refusal',
    summary: 'They did not agree to this, but your concern overrides that. Share what is necessary and record why.',
    reasons: [...GROUNDS_REASONS],
    conditions: [
      {
        id: 'refusal-considered',
        text: 'You have considered their reasons for refusing, and your concern still justifies sharing.',
        citations: [S.checks, S.dfe],
        appliesWhen: is('consent', 'refused'),
      },
      {
        id: 'outside-consent-limits',
        text: 'Their consent does not cover this exchange, because they limited it. Treat it as a refusal for this recipient.',
        citations: [S.context],
        appliesWhen: is('consent_limits', 'limits_exclude_this'),
      },
      ...WITHOUT_CONSENT_CONDITIONS,
    ],
    practiceSteps: HOW_TO_SHARE,
    mustRecord: RECORD_WITHOUT_CONSENT,
    followUps: ['inform_subject_later'],
  },
  {
    id: 'share-without-asking-justified',
    when: all(SHARING, is('consent', 'not_yet_asked'), JUSTIFYING_GROUNDS, ASKING_UNSAFE_OR_IMPOSSIBLE),
    decision: 'share_without_consent_justified',
    title: 'Share without consent — justified',
    summary: 'Your concern justifies sharing, and asking first would add risk, cause harmful delay or is not possible. Share what is necessary and record why.',
    reasons: [
      ...GROUNDS_REASONS,
      {
        id: 'asking-would-increase-risk',
        text: 'You may share without consent where asking might place the child or another person at serious risk of significant harm.',
        citations: [S.practice, S.checks],
        appliesWhen: is('why_not_ask', 'would_increase_risk'),
      },
      {
        id: 'asking-would-delay-s47',
        text: 'Seeking permission is not required where it would cause substantial delay to a s.47 enquiry.',
        citations: [S.checks],
        appliesWhen: is('why_not_ask', 'would_delay_s47'),
      },
      {
        id: 'asking-would-impede-investigation',
        text: 'Seeking permission is not required where it is likely to impede a criminal investigation.',
        citations: [S.checks],
        appliesWhen: is('why_not_ask', 'would_impede_investigation'),
      },
      {
        id: 'consent-cannot-be-obtained',
        text: 'Consent cannot be given or cannot reasonably be obtained, and sharing is needed to protect the child.',
        citations: [S.dpa, S.practice],
        appliesWhen: is('why_not_ask', 'cannot_be_obtained'),
      },
    ],
    conditions: WITHOUT_CONSENT_CONDITIONS,
    practiceSteps: HOW_TO_SHARE,
    mustRecord: RECORD_WITHOUT_CONSENT,
    followUps: ['inform_subject_later'],
  },
  {
    id: 'share-justified-consent-doubtful',
    when: all(SHARING, is('consent_from', 'competence_in_doubt'), is('consent', 'given'), JUSTIFYING_GROUNDS),
    decision: 'share_without_consent_justified',
    title: 'Share — justified even without valid consent',
    summary: 'You can’t be sure the child could consent, but your concern justifies sharing anyway. Don’t rely on the consent; record your reasons.',
    reasons: [
      {
        id: 'competence-doubt',
        text: 'A child’s consent only counts if they have the maturity and understanding to grasp the consequences. If in doubt, seek legal advice.',
        citations: [S.context],
      },
      ...GROUNDS_REASONS,
    ],
    conditions: WITHOUT_CONSENT_CONDITIONS,
    practiceSteps: ['do-not-rely-on-doubtful-consent', ...HOW_TO_SHARE],
    mustRecord: RECORD_WITHOUT_CONSENT,
    followUps: [],
  },
  {
    id: 'checks-refused-concern-remains',
    when: all(CHECKS, is('refusal_considered', 'concern_remains')),
    decision: 'share_without_consent_justified',
    title: 'Go ahead with the checks without permission — justified',
    summary: 'Permission was refused, withdrawn or limited; you have considered why, and enough concern remains, so the checks may go ahead.',
    reasons: [
      {
        id: 'checks-refusal-considered',
        text: 'Checks may be made without permission where it was refused, the reasons were considered, and enough concern remains to justify disclosure.',
        citations: [S.checks],
      },
      {
        id: 'checks-withdrawal-justified',
        text: 'When consent is withdrawn, exchange should stop unless there is justification to continue. Your remaining concern is that justification.',
        citations: [S.context],
        appliesWhen: is('consent', 'withdrawn'),
      },
    ],
    conditions: [PROPORTIONATE, DPA_STATUTORY_CHECKS],
    practiceSteps: HOW_TO_CHECK,
    mustRecord: RECORD_WITHOUT_CONSENT,
    followUps: ['inform_all_parties_consent_withdrawn', 'inform_subject_later'],
  },
  {
    id: 'checks-without-asking-justified',
    when: all(CHECKS, is('checks_why_no_permission', 'would_increase_risk', 'would_impede_investigation')),
    decision: 'share_without_consent_justified',
    title: 'Go ahead with the checks without permission — justified',
    summary: 'Asking for permission would add risk or impede a criminal investigation, so the checks may go ahead without it.',
    reasons: [
      {
        id: 'checks-asking-increases-risk',
        text: 'Checks may be made without permission where seeking it is likely to increase the risk to the children or others, e.g. by substantially delaying a s.47 enquiry.',
        citations: [S.checks],
        appliesWhen: is('checks_why_no_permission', 'would_increase_risk'),
      },
      {
        id: 'checks-asking-impedes-investigation',
        text: 'Checks may be made without permission where seeking it is likely to impede a criminal investigation.',
        citations: [S.checks],
        appliesWhen: is('checks_why_no_permission', 'would_impede_investigation'),
      },
    ],
    conditions: [PROPORTIONATE, DPA_STATUTORY_CHECKS],
    practiceSteps: HOW_TO_CHECK,
    mustRecord: RECORD_WITHOUT_CONSENT,
    followUps: ['inform_subject_later'],
  },

  // ---------------------------------------------------------------- 4. Consent
  {
    id: 'stop-sharing-consent-withdrawn',
    when: all(SHARING, is('consent', 'withdrawn')),
    decision: 'do_not_share',
    title: 'Stop sharing — consent withdrawn',
    summary: 'Consent has been withdrawn and nothing justifies continuing without it. Stop, and tell everyone you have shared with.',
    reasons: [
      {
        id: 'withdrawal-stops-exchange',
        text: 'Consent can be withdrawn at any stage. Exchange should then stop, unless there is justification to continue without consent. Your answers do not show one.',
        citations: [S.context],
      },
    ],
    conditions: [
      {
        id: 'revisit-if-concern-grows',
        text: 'If things change, e.g. you come to believe a child is at risk of significant harm, check again: that can justify sharing without consent.',
        citations: [S.dfe],
      },
    ],
    practiceSteps: ['stop-exchanging-now', 'record-under-agency-procedure'],
    mustRecord: RECORD_DECISION_ONLY,
    followUps: ['inform_all_parties_consent_withdrawn'],
  },
  {
    id: 'checks-concern-resolved',
    when: all(CHECKS, is('refusal_considered', 'concern_resolved')),
    decision: 'do_not_share',
    title: 'Don’t make the checks without permission',
    summary: 'Permission was refused or withdrawn, and having considered why, there is not enough concern to go ahead without it.',
    reasons: [
      {
        id: 'checks-need-permission',
        text: 'Permission must ordinarily be sought for checks. Without it, checks go ahead only if enough concern remains after considering the refusal.',
        citations: [S.checks],
      },
    ],
    conditions: [
      {
        id: 'revisit-checks-if-concern-grows',
        text: 'If your concern grows, check again.',
        citations: [S.checks],
      },
    ],
    practiceSteps: ['stop-exchanging-now', 'record-under-agency-procedure'],
    mustRecord: RECORD_DECISION_ONLY,
    followUps: ['inform_all_parties_consent_withdrawn'],
  },
  {
    id: 'competence-in-doubt',
    when: is('consent_from', 'competence_in_doubt'),
    decision: 'seek_advice',
    title: 'Get legal advice: is the child competent to decide?',
    summary: 'Whether the child can give (or refuse) consent decides what happens next. The guidance says to seek legal advice when in doubt.',
    reasons: [
      {
        id: 'competence-legal-advice',
        text: 'A child’s informed consent counts as much as an adult’s if they have the maturity and understanding to grasp the consequences and the alternatives. If you are in doubt about their competence, seek legal advice.',
        citations: [S.context],
      },
      {
        id: 'otherwise-person-with-pr',
        text: 'If the child cannot consent, consent should be sought from someone with parental responsibility, unless that would put the child at extra risk.',
        citations: [S.context],
      },
    ],
    conditions: [],
    practiceSteps: ['seek-legal-advice-on-competence', 'consider-person-with-pr', ...GET_ADVICE],
    mustRecord: RECORD_DECISION_ONLY,
    followUps: [],
  },
  {
    id: 'share-with-consent',
    when: all(SHARING, is('consent', 'given'), is('consent_limits', 'no_limits', 'limits_allow_this')),
    decision: 'share_with_consent',
    title: 'Share — with consent',
    summary: 'The person has given informed consent. Share what is needed, within any limits they set.',
    reasons: [
      {
        id: 'consent-given',
        text: 'Personal information should not generally be shared without the subject’s consent. Here they have consented.',
        citations: [S.commonLaw, S.overall],
      },
    ],
    conditions: [INFORMED_CONSENT, RESPECT_LIMITS, CALLER_VERIFIED_FIRST, PROPORTIONATE, ...DPA_WITH_CONSENT],
    practiceSteps: ['consent-in-writing', 'tell-recipient-consent-limits', ...HOW_TO_SHARE],
    mustRecord: RECORD_EXCHANGE,
    followUps: [],
  },
  {
    id: 'checks-with-permission',
    when: all(CHECKS, is('consent', 'given'), is('consent_limits', 'no_limits', 'limits_allow_this')),
    decision: 'share_with_consent',
    title: 'Go ahead with the checks — permission given',
    summary: 'Permission was sought and given, as the guidance ordinarily requires. Make the checks, within any limits they set.',
    reasons: [
      {
        id: 'checks-permission-given',
        text: 'The subject’s permission must ordinarily be sought for checks with other agencies. It has been given.',
        citations: [S.checks],
      },
    ],
    conditions: [INFORMED_CONSENT, RESPECT_LIMITS, PROPORTIONATE, DPA_STATUTORY_CHECKS],
    practiceSteps: ['consent-in-writing', 'tell-recipient-consent-limits', ...HOW_TO_CHECK],
    mustRecord: RECORD_EXCHANGE,
    followUps: [],
  },
  {
    id: 'do-not-share-consent-refused',
    when: all(SHARING, NO_CONSENT_FOR_THIS),
    decision: 'do_not_share',
    title: 'Don’t share — no consent and no overriding reason',
    summary: 'They have not agreed to this, and nothing in your answers overrides that. Respect it, unless things change.',
    reasons: [
      {
        id: 'no-consent-no-override',
        text: 'Personal information about children and families should not generally be disclosed without the subject’s consent. Your answers show no overriding public interest, such as significant harm.',
        citations: [S.commonLaw, S.dfe],
      },
      {
        id: 'consent-limited',
        text: 'Their consent does not extend to this exchange. Limits must be respected.',
        citations: [S.context],
        appliesWhen: is('consent_limits', 'limits_exclude_this'),
      },
    ],
    conditions: [
      {
        id: 'revisit-if-concern-grows',
        text: 'If things change, e.g. you come to believe a child is at risk of significant harm, check again: that can justify sharing without consent.',
        citations: [S.dfe],
      },
    ],
    practiceSteps: ['if-refused-respect-it', 'record-under-agency-procedure'],
    mustRecord: RECORD_DECISION_ONLY,
    followUps: [],
  },
  {
    id: 'seek-consent-first-concern-justifies',
    when: all(SHARING, is('why_not_ask', 'could_ask_safely'), JUSTIFYING_GROUNDS),
    decision: 'seek_consent_first',
    title: 'Ask for consent first — you may still share if they refuse',
    summary: 'Asking is safe and won’t cause harmful delay, so work with the family and ask. If they refuse and your concern remains, you can share without consent.',
    reasons: [
      {
        id: 'partnership-first',
        text: 'Keeping children safe means working in safe partnership with parents where possible. Asking here is safe.',
        citations: [S.context],
      },
      ...GROUNDS_REASONS,
    ],
    conditions: [],
    practiceSteps: [...ASK_FOR_CONSENT, 'if-refused-reconsider'],
    mustRecord: RECORD_DECISION_ONLY,
    followUps: [],
  },
  {
    id: 'seek-consent-first',
    when: all(SHARING, is('why_not_ask', 'could_ask_safely')),
    decision: 'seek_consent_first',
    title: 'Ask for consent first',
    summary: 'The information is confidential and nothing justifies sharing it without consent, so ask first.',
    reasons: [
      {
        id: 'confidential-needs-consent',
        text: 'Personal information about children and families should not generally be disclosed without the subject’s consent, and there is no overriding reason here.',
        citations: [S.commonLaw, S.overall],
      },
    ],
    conditions: [],
    practiceSteps: [...ASK_FOR_CONSENT, 'if-refused-respect-it'],
    mustRecord: RECORD_DECISION_ONLY,
    followUps: [],
  },
  {
    id: 'checks-seek-permission-first',
    when: all(CHECKS, is('checks_why_no_permission', 'could_ask_safely')),
    decision: 'seek_consent_first',
    title: 'Ask for permission before making the checks',
    summary: 'Permission must ordinarily be sought for checks, and asking here is safe.',
    reasons: [
      {
        id: 'checks-ordinarily-need-permission',
        text: 'The permission of the subject (child or parent) must ordinarily be sought before checks with other agencies for a s.17 assessment or s.47 enquiry.',
        citations: [S.checks],
      },
    ],
    conditions: [CONSENT_CAN_BE_WITHDRAWN],
    practiceSteps: ['ask-permission-for-checks', ...ASK_FOR_CONSENT],
    mustRecord: RECORD_DECISION_ONLY,
    followUps: [],
  },
  {
    id: 'asking-unsafe-concern-below-threshold',
    when: all(SHARING, is('consent', 'not_yet_asked'), ASKING_UNSAFE_OR_IMPOSSIBLE),
    decision: 'seek_advice',
    title: 'Get advice: asking is difficult, but the concern may not justify sharing without consent',
    summary: 'You can’t safely or readily ask for consent, but the concern you describe is below the level that normally justifies sharing without it. Decide with your manager or safeguarding lead.',
    reasons: [
      {
        id: 'below-significant-harm',
        text: 'Sharing without consent is normally justified by significant harm, serious harm or serious crime, or vital interests. A welfare concern alone does not normally meet that level.',
        citations: [S.dfe, S.practice],
      },
      {
        id: 'own-facts',
        text: 'Each case depends on its own facts. Seek advice if you are unsure whether sharing would be lawful.',
        citations: [S.context],
      },
    ],
    conditions: [],
    practiceSteps: ['discuss-threshold', ...GET_ADVICE],
    mustRecord: RECORD_DECISION_ONLY,
    followUps: [],
  },

  // ---------------------------------------------------------------- 5. Catch-all
  {
    id: 'seek-advice',
    when: ALWAYS,
    decision: 'seek_advice',
    title: 'Get advice before acting',
    summary: 'Your answers don’t fit a situation the guidance settles clearly. Talk to your manager, your agency’s legal adviser or the Caldicott Guardian.',
    reasons: [
      {
        id: 'each-case-own-facts',
        text: 'Each case depends on its own facts. Legal advice should always be sought from your agency’s legal adviser if you are concerned about the legality of sharing.',
        citations: [S.context],
      },
      {
        id: 'other-offending-history',
        text: 'The police disclosure schemes cover people who may pose a risk to children and possible domestic violence. For other questions about someone’s offending history, get advice rather than answering from your records.',
        citations: [S.csods, S.dvds],
        appliesWhen: is('disclosure_scheme', 'other_concern'),
      },
    ],
    conditions: [],
    practiceSteps: ['scheme-do-not-answer-from-records', ...GET_ADVICE],
    mustRecord: ['caseReference'],
    followUps: [],
  },
];
