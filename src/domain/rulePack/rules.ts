/**
 * The rules, in priority order: the first whose `when` holds decides. The order encodes the guidance:
 *  1. the route (SAR/FOI → originating agency; offending-history enquiries → police schemes);
 *  2. things settled before consent: nothing in the guidance can apply (information not about a child,
 *     no exception, no public-interest ground); "not sure" about a legal duty or about confidentiality
 *     (advice, with the reason); a legal duty; not confidential; authorised by the confider (§2 Common Law);
 *  3. sharing without consent where it is justified — before anything about consent, so a refusal or
 *     doubt about competence never blocks sharing to protect a child from significant harm;
 *  4. doubt about competence and conflicts between people's positions (advice, with the reason), then
 *     withdrawal, consent given, consent refused, consent not yet sought;
 *  5. a catch-all "get advice".
 *
 * What applies to every exchange (verify the caller, proportionality, how to send it, recording,
 * telling the person later) is not listed here: the pack's crossCutting list applies it to every
 * outcome by its own condition. Rules list only what is specific to them. Rules never depend on the
 * tailoring questions (channel, recipient, caller, named, sensitive, in writing, checks purpose).
 */
import {
  ALWAYS,
  all,
  any,
  ASKING_UNSAFE_OR_IMPOSSIBLE,
  CHECKS,
  COMPETENCE_IN_DOUBT,
  CONSENT_GIVEN,
  CONSENT_NOT_ASKED,
  CONSENT_WITHDRAWN,
  IN_SCOPE,
  is,
  JUSTIFYING_GROUNDS,
  LIMITS_ALLOW,
  NO_CONSENT_FOR_THIS,
  NOT_ABOUT_A_CHILD,
  OUTSIDE_GUIDANCE,
  S,
  SHARING,
} from './common';
import { RECORD_DECISION_ONLY, RECORD_EXCHANGE, RECORD_WITHOUT_CONSENT } from './recording';
import type { RulePackInput } from './schema';
import {
  CONSENT_CAN_BE_WITHDRAWN,
  DPA_LEGAL_OBLIGATION,
  DPA_STATUTORY_CHECKS,
  DPA_STILL_APPLIES,
  DPA_WITH_CONSENT,
  DPA_WITHOUT_CONSENT,
  GROUNDS_REASONS,
  INFORMED_CONSENT,
  RESPECT_LIMITS,
} from './texts';

type RuleInput = RulePackInput['rules'][number];
type CitedTextInput = RuleInput['reasons'][number];

const ASK_FOR_CONSENT = [
  'ask-adult-subject',
  'ask-competent-child',
  'ask-person-with-pr',
  'explain-consent-can-be-withdrawn',
  'consent-in-writing',
];
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

/** Why someone's agreement does not settle it, when positions conflict (§1). */
const CONFLICT_REASONS: CitedTextInput[] = [
  {
    id: 'competent-child-refusal-counts',
    text: 'The child is competent to decide, so their refusal counts as an adult’s would. A parent’s agreement does not override it.',
    citations: [S.context],
    appliesWhen: is('consent_child', 'child_refused_parent_agreed'),
  },
  {
    id: 'parent-refused-asking-adds-risk',
    text: 'Consent from someone with parental responsibility is sought only if that does not place the child at additional risk. Going back to this parent would, so their refusal cannot be worked through with them.',
    citations: [S.context],
    appliesWhen: is('consent_pr', 'refused_asking_adds_risk'),
  },
  {
    id: 'pr-holders-disagree',
    text: 'People with parental responsibility disagree, so you do not have the consent of everyone whose consent matters. Treat it as no consent unless legal advice says otherwise.',
    citations: [S.context],
    appliesWhen: is('consent_pr', 'pr_disagree'),
  },
];

export const rules: RuleInput[] = [
  // ---------------------------------------------------------------- 1. Route
  {
    id: 'sar-foi-information-from-another-agency',
    when: is('originated_elsewhere', 'yes'),
    decision: 'contact_originating_agency',
    title: 'Contact the agency the information came from',
    summary:
      'Before releasing anything that came from another agency, ask that agency whether it wants to rely on an exemption.',
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
    practiceSteps: [
      'sar-foi-find-origin',
      'sar-contact-originating-agency',
      'foi-contact-data-owner',
      'sar-foi-own-procedure',
    ],
    mustRecord: ['caseReference', 'recipient'],
    followUps: [],
  },
  {
    id: 'sar-foi-origin-not-known',
    when: is('originated_elsewhere', 'not_sure'),
    decision: 'seek_advice',
    title: 'Find out where the information came from first',
    summary:
      'Work out which parts came from other agencies before responding. Those agencies must be asked about exemptions before release.',
    reasons: [
      {
        id: 'origin-decides-next-step',
        text: 'What to do depends on where the information came from. Anything from another agency must be raised with that agency before it is released.',
        citations: [S.sar, S.foi],
      },
    ],
    conditions: [],
    practiceSteps: [
      'sar-foi-find-origin',
      'sar-contact-originating-agency',
      'foi-contact-data-owner',
      'sar-foi-own-procedure',
    ],
    mustRecord: ['caseReference'],
    followUps: [],
  },
  {
    id: 'sar-foi-own-agency-information',
    when: is('originated_elsewhere', 'no'),
    decision: 'seek_advice',
    title: 'Handle it under your agency’s own procedure',
    summary:
      'This guidance only adds a step for information from other agencies. Ask your information governance or data protection lead how to respond.',
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
    summary:
      'The police run this scheme. Information is only available by applying directly to them, and any disclosure is made in person, in confidence.',
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
    summary:
      'Anyone can ask the police about a partner’s past. The police only tell the person at risk or someone able to protect them.',
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
    summary:
      'A partner agency that believes someone is at risk of harm can ask the police to disclose the person’s past.',
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
    when: OUTSIDE_GUIDANCE,
    decision: 'seek_advice',
    title: 'Outside this guidance: follow your agency’s procedure',
    summary:
      'Nothing in this guidance allows you to share it: it is not about a child, it is confidential, no legal duty or authorisation applies, and no public-interest ground does. Follow your agency’s procedure.',
    reasons: [
      {
        id: 'scope-child-protection',
        text: 'The guidance is about information relevant to protecting children. For other information it offers only what applies to anyone: a court order or legal obligation, information that is not confidential, the person’s authorisation, or the public interest in preventing serious harm to adults or serious crime.',
        citations: [S.context, S.commonLaw, S.dfe],
        appliesWhen: SHARING,
      },
      {
        id: 'checks-are-about-children',
        text: 'Checks with other agencies under this guidance are for a s.17 assessment or s.47 enquiry about a child. Information not about a child is outside them.',
        citations: [S.checks, S.context],
        appliesWhen: CHECKS,
      },
    ],
    conditions: [],
    practiceSteps: ['follow-agency-procedure-out-of-scope', ...GET_ADVICE],
    mustRecord: ['caseReference'],
    followUps: [],
  },
  {
    id: 'not-sure-legal-duty',
    when: is('exception', 'not_sure_legal'),
    decision: 'seek_advice',
    title: 'Get legal advice: does a legal duty require it?',
    summary:
      'You think a court order or other legal obligation may require disclosure but are not sure. Ask your agency’s legal adviser before relying on it.',
    reasons: [
      {
        id: 'legality-doubt-legal-advice',
        text: 'Legal advice should always be sought from your agency’s legal adviser where you are concerned about the legality of sharing. Whether an order or duty requires disclosure is that kind of question.',
        citations: [S.context, S.commonLaw],
      },
    ],
    conditions: [],
    practiceSteps: ['ask-legal-adviser-about-duty', 'do-not-wait-if-serious-harm', ...GET_ADVICE],
    mustRecord: RECORD_DECISION_ONLY,
    followUps: [],
  },
  {
    id: 'not-sure-confidential',
    when: is('exception', 'not_sure_confidential'),
    decision: 'seek_advice',
    title: 'Get advice: is the information confidential?',
    summary:
      'Whether the duty of confidence applies decides what happens next. Treat it as confidential and get advice before sharing.',
    reasons: [
      {
        id: 'confidentiality-doubt',
        text: 'Only information that is not confidential in nature — trivial or readily available elsewhere — falls outside the duty of confidence. Personal information given in a relationship of trust is confidential.',
        citations: [S.commonLaw],
      },
      {
        id: 'each-case-own-facts-confidential',
        text: 'Each case depends on its own facts: seek advice when you are unsure.',
        citations: [S.context],
      },
    ],
    conditions: [],
    practiceSteps: ['treat-as-confidential-meanwhile', 'do-not-wait-if-serious-harm', ...GET_ADVICE],
    mustRecord: RECORD_DECISION_ONLY,
    followUps: [],
  },
  {
    id: 'share-required-by-law',
    when: is('exception', 'court_order', 'other_legal_duty'),
    decision: 'share_legal_obligation',
    title: 'Share — required by law',
    summary:
      'A court order or other legal obligation overrides the duty of confidence. Share what it requires, and no more.',
    reasons: [
      {
        id: 'legal-obligation-exception',
        text: 'The duty of confidence does not prevent disclosure that a court order or other legal obligation requires.',
        citations: [S.commonLaw, S.overall],
      },
    ],
    conditions: [DPA_LEGAL_OBLIGATION],
    practiceSteps: ['share-only-what-order-requires'],
    mustRecord: RECORD_EXCHANGE,
    followUps: [],
  },
  {
    id: 'share-not-confidential',
    when: is('exception', 'not_confidential'),
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
    conditions: [DPA_STILL_APPLIES],
    practiceSteps: ['check-really-not-confidential'],
    mustRecord: RECORD_EXCHANGE,
    followUps: [],
  },
  {
    id: 'share-authorised-by-confider',
    when: any(is('exception', 'authorised_implicitly'), all(is('exception', 'authorised_expressly'), LIMITS_ALLOW)),
    decision: 'share_not_confidential_or_authorised',
    title: 'Share — authorised by the person who told you',
    summary:
      'The person owed the duty of confidence has authorised disclosure. Share on a need-to-know basis, within any limits they set.',
    reasons: [
      {
        id: 'express-authorisation',
        text: 'The person owed the duty of confidence has expressly authorised disclosure, verbally or in writing.',
        citations: [S.commonLaw],
        appliesWhen: is('exception', 'authorised_expressly'),
      },
      {
        id: 'implied-authorisation',
        text: 'Disclosure is implicitly authorised. For example, someone referring an allegation of abuse to Children’s Social Care expects it to be shared on a need-to-know basis.',
        citations: [S.commonLaw],
        appliesWhen: is('exception', 'authorised_implicitly'),
      },
    ],
    conditions: [RESPECT_LIMITS, DPA_STILL_APPLIES],
    practiceSteps: ['note-who-authorised'],
    mustRecord: RECORD_EXCHANGE,
    followUps: [],
  },

  // ---------------------------------------------------------------- 3. Justified without consent
  {
    id: 'share-after-withdrawal-justified',
    when: all(SHARING, CONSENT_WITHDRAWN, JUSTIFYING_GROUNDS),
    decision: 'share_without_consent_justified',
    title: 'Share without consent — justified despite withdrawal',
    summary:
      'Consent has been withdrawn, but your concern justifies continuing to share without it. Tell everyone you have shared with that consent was withdrawn.',
    reasons: [
      {
        id: 'withdrawal-unless-justified',
        text: 'When consent is withdrawn, information exchange should stop unless there is justification to continue without consent. Here there is.',
        citations: [S.context],
      },
      ...GROUNDS_REASONS,
    ],
    conditions: DPA_WITHOUT_CONSENT,
    practiceSteps: [],
    mustRecord: RECORD_WITHOUT_CONSENT,
    followUps: ['inform_all_parties_consent_withdrawn', 'inform_subject_later'],
  },
  {
    id: 'share-despite-refusal-justified',
    when: all(SHARING, NO_CONSENT_FOR_THIS, JUSTIFYING_GROUNDS),
    decision: 'share_without_consent_justified',
    title: 'Share without consent — justified despite refusal',
    summary: 'They did not agree to this, but your concern overrides that. Share what is necessary and record why.',
    reasons: [...GROUNDS_REASONS, ...CONFLICT_REASONS],
    conditions: [
      {
        id: 'refusal-considered',
        text: 'You have considered their reasons for refusing, and your concern still justifies sharing.',
        citations: [S.checks, S.dfe],
        appliesWhen: any(
          is('consent', 'refused'),
          is('consent_child', 'refused', 'child_refused_parent_agreed'),
          is('consent_pr', 'refused', 'pr_disagree'),
        ),
      },
      {
        id: 'outside-consent-limits',
        text: 'Their consent does not cover this exchange, because they limited it. Treat it as a refusal for this recipient.',
        citations: [S.context],
        appliesWhen: is('consent_limits', 'limits_exclude_this'),
      },
      ...DPA_WITHOUT_CONSENT,
    ],
    practiceSteps: ['competent-child-decides', 'do-not-go-back-to-parent'],
    mustRecord: RECORD_WITHOUT_CONSENT,
    followUps: ['inform_subject_later'],
  },
  {
    id: 'share-without-asking-justified',
    when: all(SHARING, CONSENT_NOT_ASKED, JUSTIFYING_GROUNDS, ASKING_UNSAFE_OR_IMPOSSIBLE),
    decision: 'share_without_consent_justified',
    title: 'Share without consent — justified',
    summary:
      'Your concern justifies sharing, and asking first would add risk, cause harmful delay or is not possible. Share what is necessary and record why.',
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
        text: 'Consent cannot be given or cannot reasonably be obtained, and sharing is needed to protect the child or another person.',
        citations: [S.dpa, S.practice],
        appliesWhen: is('why_not_ask', 'cannot_be_obtained'),
      },
    ],
    conditions: DPA_WITHOUT_CONSENT,
    practiceSteps: [],
    mustRecord: RECORD_WITHOUT_CONSENT,
    followUps: ['inform_subject_later'],
  },
  {
    id: 'share-justified-consent-doubtful',
    when: all(SHARING, COMPETENCE_IN_DOUBT, is('consent', 'given'), JUSTIFYING_GROUNDS),
    decision: 'share_without_consent_justified',
    title: 'Share — justified even without valid consent',
    summary:
      'You can’t be sure the child could consent, but your concern justifies sharing anyway. Don’t rely on the consent; record your reasons.',
    reasons: [
      {
        id: 'competence-doubt',
        text: 'A child’s consent only counts if they have the maturity and understanding to grasp the consequences. If in doubt, seek legal advice.',
        citations: [S.context],
      },
      ...GROUNDS_REASONS,
    ],
    conditions: DPA_WITHOUT_CONSENT,
    practiceSteps: ['do-not-rely-on-doubtful-consent'],
    mustRecord: RECORD_WITHOUT_CONSENT,
    followUps: ['inform_subject_later'],
  },
  {
    id: 'checks-refused-concern-remains',
    when: all(CHECKS, is('refusal_considered', 'concern_remains')),
    decision: 'share_without_consent_justified',
    title: 'Go ahead with the checks without permission — justified',
    summary:
      'Permission was refused, withdrawn or limited; you have considered why, and enough concern remains, so the checks may go ahead.',
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
        appliesWhen: CONSENT_WITHDRAWN,
      },
      ...CONFLICT_REASONS,
    ],
    conditions: [DPA_STATUTORY_CHECKS],
    practiceSteps: ['competent-child-decides', 'do-not-go-back-to-parent'],
    mustRecord: RECORD_WITHOUT_CONSENT,
    followUps: ['inform_all_parties_consent_withdrawn', 'inform_subject_later'],
  },
  {
    id: 'checks-without-asking-justified',
    when: all(CHECKS, is('checks_why_no_permission', 'would_increase_risk', 'would_impede_investigation')),
    decision: 'share_without_consent_justified',
    title: 'Go ahead with the checks without permission — justified',
    summary:
      'Asking for permission would add risk or impede a criminal investigation, so the checks may go ahead without it.',
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
    conditions: [DPA_STATUTORY_CHECKS],
    practiceSteps: [],
    mustRecord: RECORD_WITHOUT_CONSENT,
    followUps: ['inform_subject_later'],
  },

  // ---------------------------------------------------------------- 4. Doubt and conflicts, then consent
  {
    // Before withdrawal, refusal and consent given: a "not sure" never falls through to a default.
    id: 'competence-in-doubt',
    when: COMPETENCE_IN_DOUBT,
    decision: 'seek_advice',
    title: 'Get legal advice: is the child competent to decide?',
    summary:
      'Whether the child can give (or refuse) consent decides what happens next. The guidance says to seek legal advice when in doubt.',
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
    practiceSteps: ['seek-legal-advice-on-competence', 'consider-person-with-pr', 'stop-exchanging-now', ...GET_ADVICE],
    mustRecord: RECORD_DECISION_ONLY,
    followUps: ['inform_all_parties_consent_withdrawn'],
  },
  {
    id: 'parents-disagree-get-advice',
    when: all(SHARING, is('consent_pr', 'pr_disagree')),
    decision: 'seek_advice',
    title: 'Get legal advice: people with parental responsibility disagree',
    summary:
      'One person with parental responsibility agreed and another refused, and your concern does not on its own justify sharing without consent. Get legal advice before sharing.',
    reasons: [
      CONFLICT_REASONS[2] as CitedTextInput,
      {
        id: 'pr-disagree-each-case',
        text: 'The guidance does not say whose view prevails. Each case depends on its own facts, and legal advice should be sought where you are concerned about the legality of sharing.',
        citations: [S.context],
      },
    ],
    conditions: [],
    practiceSteps: ['pr-disagreement-legal-advice', ...GET_ADVICE],
    mustRecord: RECORD_DECISION_ONLY,
    followUps: [],
  },
  {
    id: 'parent-refused-asking-adds-risk',
    when: all(SHARING, is('consent_pr', 'refused_asking_adds_risk')),
    decision: 'seek_advice',
    title: 'Get advice: a risk from the parent may mean the concern is higher than it seems',
    summary:
      'The parent refused, and going back to them would put the child at extra risk. Discuss with your safeguarding lead whether that risk reaches significant harm: if it does, you can share without consent.',
    reasons: [
      CONFLICT_REASONS[1] as CitedTextInput,
      {
        id: 'risk-from-parent-threshold',
        text: 'Sharing without consent is normally justified where there is reasonable cause to believe a child is suffering or is likely to suffer significant harm. A risk to the child from asking their parent may itself be such a cause.',
        citations: [S.dfe, S.practice],
      },
    ],
    conditions: [],
    practiceSteps: ['do-not-go-back-to-parent', 'discuss-threshold', ...GET_ADVICE],
    mustRecord: RECORD_DECISION_ONLY,
    followUps: [],
  },
  {
    id: 'stop-sharing-consent-withdrawn',
    when: all(SHARING, CONSENT_WITHDRAWN),
    decision: 'do_not_share',
    title: 'Stop sharing — consent withdrawn',
    summary:
      'Consent has been withdrawn and nothing justifies continuing without it. Stop, and tell everyone you have shared with.',
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
    summary:
      'Permission was refused or withdrawn, and having considered why, there is not enough concern to go ahead without it.',
    reasons: [
      {
        id: 'checks-need-permission',
        text: 'Permission must ordinarily be sought for checks. Without it, checks go ahead only if enough concern remains after considering the refusal.',
        citations: [S.checks],
      },
      ...CONFLICT_REASONS,
    ],
    conditions: [
      {
        id: 'revisit-checks-if-concern-grows',
        text: 'If your concern grows, check again.',
        citations: [S.checks],
      },
    ],
    practiceSteps: [
      'stop-exchanging-now',
      'competent-child-decides',
      'pr-disagreement-legal-advice',
      'record-under-agency-procedure',
    ],
    mustRecord: RECORD_DECISION_ONLY,
    followUps: ['inform_all_parties_consent_withdrawn'],
  },
  {
    id: 'share-with-consent',
    when: all(SHARING, CONSENT_GIVEN, LIMITS_ALLOW),
    decision: 'share_with_consent',
    title: 'Share — with consent',
    summary: 'The person has given informed consent. Share what is needed, within any limits they set.',
    reasons: [
      {
        id: 'consent-given',
        text: 'Personal information should not generally be shared without the subject’s consent. Here they have consented.',
        citations: [S.commonLaw, S.overall],
      },
      {
        id: 'competent-child-consent-counts',
        text: 'The child is competent to decide, so their informed consent counts as an adult’s would, even though a parent objects.',
        citations: [S.context],
        appliesWhen: is('consent_child', 'child_agreed_parent_refused'),
      },
    ],
    conditions: [INFORMED_CONSENT, RESPECT_LIMITS, ...DPA_WITH_CONSENT],
    practiceSteps: ['competent-child-decides'],
    mustRecord: RECORD_EXCHANGE,
    followUps: [],
  },
  {
    id: 'checks-with-permission',
    when: all(CHECKS, CONSENT_GIVEN, LIMITS_ALLOW),
    decision: 'share_with_consent',
    title: 'Go ahead with the checks — permission given',
    summary:
      'Permission was sought and given, as the guidance ordinarily requires. Make the checks, within any limits they set.',
    reasons: [
      {
        id: 'checks-permission-given',
        text: 'The subject’s permission must ordinarily be sought for checks with other agencies. It has been given.',
        citations: [S.checks],
      },
      {
        id: 'competent-child-consent-counts',
        text: 'The child is competent to decide, so their informed consent counts as an adult’s would, even though a parent objects.',
        citations: [S.context],
        appliesWhen: is('consent_child', 'child_agreed_parent_refused'),
      },
    ],
    conditions: [INFORMED_CONSENT, RESPECT_LIMITS, DPA_STATUTORY_CHECKS],
    practiceSteps: ['competent-child-decides'],
    mustRecord: RECORD_EXCHANGE,
    followUps: [],
  },
  {
    id: 'do-not-share-consent-refused',
    when: all(SHARING, NO_CONSENT_FOR_THIS),
    decision: 'do_not_share',
    title: 'Don’t share — no consent and no overriding reason',
    summary:
      'They have not agreed to this, and nothing in your answers overrides that. Respect it, unless things change.',
    reasons: [
      {
        id: 'no-consent-no-override',
        text: 'Personal information should not generally be disclosed without the subject’s consent. Your answers show no overriding public interest, such as significant harm to a child, serious harm to an adult or serious crime.',
        citations: [S.commonLaw, S.dfe],
      },
      {
        id: 'consent-limited',
        text: 'Their consent does not extend to this exchange. Limits must be respected.',
        citations: [S.context],
        appliesWhen: is('consent_limits', 'limits_exclude_this'),
      },
      CONFLICT_REASONS[0] as CitedTextInput,
    ],
    conditions: [
      {
        id: 'revisit-if-concern-grows',
        text: 'If things change, e.g. you come to believe a child is at risk of significant harm, check again: that can justify sharing without consent.',
        citations: [S.dfe],
      },
    ],
    practiceSteps: ['competent-child-decides', 'if-refused-respect-it', 'record-under-agency-procedure'],
    mustRecord: RECORD_DECISION_ONLY,
    followUps: [],
  },
  {
    id: 'seek-consent-first-concern-justifies',
    when: all(SHARING, is('why_not_ask', 'could_ask_safely'), JUSTIFYING_GROUNDS),
    decision: 'seek_consent_first',
    title: 'Ask for consent first — you may still share if they refuse',
    summary:
      'Asking is safe and won’t cause harmful delay, so work with the family and ask. If they refuse and your concern remains, you can share without consent.',
    reasons: [
      {
        id: 'partnership-first',
        text: 'Keeping children safe means working in safe partnership with parents where possible. Asking here is safe.',
        citations: [S.context],
        appliesWhen: IN_SCOPE,
      },
      {
        id: 'consent-of-those-affected-first',
        text: 'The law does not prevent sharing where those likely to be affected consent. Asking here is safe and will not defeat the purpose, so ask first.',
        citations: [S.overall, S.context],
        appliesWhen: NOT_ABOUT_A_CHILD,
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
    when: all(SHARING, CONSENT_NOT_ASKED, ASKING_UNSAFE_OR_IMPOSSIBLE),
    decision: 'seek_advice',
    title: 'Get advice: asking is difficult, but the concern may not justify sharing without consent',
    summary:
      'You can’t safely or readily ask for consent, but the concern you describe is below the level that normally justifies sharing without it. Decide with your manager or safeguarding lead.',
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
    summary:
      'Your answers don’t fit a situation the guidance settles clearly. Talk to your manager, your agency’s legal adviser or the Caldicott Guardian.',
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
