/**
 * Realistic practitioner cases, written from the guidance. Each has a short story, the answers a
 * practitioner would give (exactly the questions the engine asks, decision questions first, then the
 * tailoring questions after the answer), and what the guidance says should follow. Used by practitionerCases.test.ts
 * and by coverage.test.ts (which proves every rule, question and option appears in some case).
 */
import type { DecisionCode, FollowUpCode, ConsentStatus } from '../../../src/domain';
import { ENGLAND_CASES } from './practitionerCases.england';
import { ISSUE14_CASES } from './practitionerCases.issue14';
import { CASE_PACKS, ONLY_2015, PACK_2015 } from './practitionerPacks';

/** What a case expects of the outcome; `inPack` may change any of it for one pack. */
export interface CaseExpectations {
  decision: DecisionCode;
  ruleId: string;
  /** Sections that must be among the outcome's citations (in the 2015 pack: its section numbers). */
  sections: string[];
  /** Practice step ids that must be in the outcome. */
  steps: string[];
  /** Practice step ids that must NOT be in the outcome (e.g. fax steps for a phone call). */
  notSteps?: string[];
  /** Exact follow-up codes expected (order-insensitive), when the case is about them. */
  followUps?: FollowUpCode[];
  consentStatus?: ConsentStatus;
  /** Condition ids that must be in the outcome. */
  conditions?: string[];
  /** Reason ids that must be in the outcome. */
  reasons?: string[];
  /** Exactly this many questions before the answer is shown (decision questions only). */
  toAnswer?: number;
}

export interface PractitionerCase extends CaseExpectations {
  name: string;
  answers: Record<string, string>;
  /** Which class of issue 14 the case was written for: scope, cross-cutting steps, consent, fewer questions. */
  covers?: 'scope' | 'cross-cutting' | 'consent' | 'fewer-questions';
  /** The packs the case applies to (default: both packs in practitionerPacks.ts). */
  packs?: readonly string[];
  /** Why the case applies only to `packs`: required whenever `packs` is set. */
  packsWhy?: string;
  /**
   * What differs in one pack, by pack id: e.g. the national pack names the UK GDPR condition where the 2015
   * chapter names a DPA 1998 one. `sections` are the 2015 chapter's section numbers; for another pack they are
   * checked only when given here.
   */
  inPack?: Readonly<Record<string, Partial<CaseExpectations>>>;
}

/** The cases written before issue 14 (their answers updated to the new question order). */
const EARLIER_CASES: PractitionerCase[] = [
  // ------------------------------------------------------------ Sharing without consent
  {
    // A teacher sees bruising; the child says Dad hits him. Telling the parents first could put him at more risk.
    name: 'teacher refers bruising by phone without asking parents (asking increases risk)',
    answers: {
      route: 'sharing_out',
      about: 'child_health_development_harm',
      exception: 'none',
      consent_from: 'parent_with_pr',
      consent_pr: 'not_yet_asked',
      grounds: 'significant_harm_evidence',
      why_not_ask: 'would_increase_risk',
      channel: 'phone',
      recipient: 'childrens_social_care',
      anonymous: 'named',
      sensitive: 'no',
    },
    decision: 'share_without_consent_justified',
    ruleId: 'share-without-asking-justified',
    sections: ['2', '4'],
    steps: ['record-what-was-said', 'protective-marking', 'share-only-what-is-needed'],
    notSteps: ['fax-check-number', 'verify-caller-before-sharing'],
    followUps: [],
    consentStatus: 'not_sought',
  },
  {
    // Health visitor asked Mum to agree to a referral about neglect; Mum refused. The concern is still there.
    name: 'health visitor refers neglect after mother refuses consent (conflicting answers)',
    answers: {
      route: 'sharing_out',
      about: 'parent_carer_unable_to_care',
      exception: 'none',
      consent_from: 'adult_subject',
      consent: 'refused',
      grounds: 'significant_harm_reasonable_cause',
      channel: 'secure_system',
      recipient: 'childrens_social_care',
      anonymous: 'named',
      sensitive: 'no',
    },
    decision: 'share_without_consent_justified',
    ruleId: 'share-despite-refusal-justified',
    sections: ['2', '4'],
    steps: ['email-confidentiality-warning', 'protective-marking'],
    followUps: ['inform_subject_later'],
    consentStatus: 'sought_refused',
  },
  {
    // A mother who agreed to share withdraws consent after disclosing her partner threatened to kill her.
    name: 'family worker continues sharing with police after withdrawal (serious harm to an adult)',
    // Thames Valley Police's secure-network rule is local to the 2015 chapter: not in the national pack.
    inPack: {
      'england-2024': {
        steps: ['prefer-secure-system-to-email', 'email-confidentiality-warning'],
        notSteps: ['police-email-secure-network-only'],
      },
    },
    answers: {
      route: 'sharing_out',
      about: 'person_posing_risk',
      exception: 'none',
      consent_from: 'adult_subject',
      consent: 'withdrawn',
      grounds: 'prevent_serious_harm',
      channel: 'email',
      recipient: 'police',
      anonymous: 'named',
      sensitive: 'no',
    },
    decision: 'share_without_consent_justified',
    ruleId: 'share-after-withdrawal-justified',
    sections: ['1', '2', '4'],
    steps: ['police-email-secure-network-only', 'prefer-secure-system-to-email', 'email-confidentiality-warning'],
    followUps: ['inform_all_parties_consent_withdrawn', 'inform_subject_later'],
    consentStatus: 'withdrawn',
  },
  {
    // A police officer the school's safeguarding lead knows well rings during a s.47 joint investigation.
    name: 'school answers a known police officer during a s.47 enquiry (asking would delay it)',
    answers: {
      route: 'responding_to_request',
      about: 'child_health_development_harm',
      exception: 'none',
      consent_from: 'parent_with_pr',
      consent_pr: 'not_yet_asked',
      grounds: 'significant_harm_evidence',
      why_not_ask: 'would_delay_s47',
      channel: 'phone',
      caller_verified: 'known',
      recipient: 'police',
      sensitive: 'no',
    },
    decision: 'share_without_consent_justified',
    ruleId: 'share-without-asking-justified',
    sections: ['4'],
    steps: ['record-what-was-said'],
    notSteps: ['verify-caller-before-sharing'],
    followUps: ['inform_subject_later'],
  },
  {
    // A 15-year-old is taken to A&E after an overdose; her parents cannot be reached and she is unconscious.
    name: 'school nurse shares overdose history with hospital when consent cannot be obtained (vital interests)',
    answers: {
      route: 'sharing_out',
      about: 'child_health_development_harm',
      exception: 'none',
      consent_from: 'competent_child',
      consent_child: 'not_yet_asked',
      grounds: 'vital_interests',
      why_not_ask: 'cannot_be_obtained',
      channel: 'phone',
      recipient: 'health',
      anonymous: 'named',
      sensitive: 'health_or_sexual',
    },
    decision: 'share_without_consent_justified',
    ruleId: 'share-without-asking-justified',
    sections: ['1', '2', '4'],
    steps: ['extra-care-sensitive', 'record-what-was-said'],
    followUps: ['inform_subject_later'],
  },
  {
    // An adult social care worker hears a father's friend plans an armed robbery; the friend often stays over.
    name: 'adult social care tells police about planned serious crime (asking would impede investigation)',
    answers: {
      route: 'sharing_out',
      about: 'person_posing_risk',
      exception: 'none',
      consent_from: 'adult_subject',
      consent: 'not_yet_asked',
      grounds: 'serious_crime',
      why_not_ask: 'would_impede_investigation',
      channel: 'secure_system',
      recipient: 'police',
      anonymous: 'named',
      sensitive: 'other_sensitive',
    },
    decision: 'share_without_consent_justified',
    ruleId: 'share-without-asking-justified',
    sections: ['2', '4'],
    steps: ['extra-care-sensitive', 'email-confidentiality-warning'],
    followUps: [],
  },
  {
    // A 14-year-old agreed the youth worker may tell her GP about self-harm but not Children's Social Care.
    // The worker now believes she is at risk of serious harm and wants to tell CSC.
    name: 'youth worker shares beyond the limits of consent to prevent serious harm (sensitive)',
    answers: {
      route: 'sharing_out',
      about: 'child_health_development_harm',
      exception: 'none',
      consent_from: 'competent_child',
      consent_child: 'given',
      consent_limits: 'limits_exclude_this',
      grounds: 'prevent_serious_harm',
      channel: 'in_person',
      recipient: 'childrens_social_care',
      anonymous: 'named',
      sensitive: 'health_or_sexual',
    },
    decision: 'share_without_consent_justified',
    ruleId: 'share-despite-refusal-justified',
    sections: ['1', '2'],
    steps: ['extra-care-sensitive', 'record-what-was-said'],
    followUps: ['inform_subject_later'],
    consentStatus: 'sought_refused',
  },
  {
    // A 12-year-old with a learning disability "agreed" to sharing, but the teacher doubts she understood.
    // There is evidence of sexual abuse.
    name: 'teacher shares sexual abuse evidence though the child’s competence to consent is doubtful',
    answers: {
      route: 'sharing_out',
      about: 'child_health_development_harm',
      exception: 'none',
      consent_from: 'competence_in_doubt',
      consent: 'given',
      grounds: 'significant_harm_evidence',
      channel: 'secure_system',
      recipient: 'childrens_social_care',
      anonymous: 'named',
      sensitive: 'health_or_sexual',
    },
    decision: 'share_without_consent_justified',
    ruleId: 'share-justified-consent-doubtful',
    sections: ['1', '2'],
    steps: ['do-not-rely-on-doubtful-consent', 'extra-care-sensitive'],
    consentStatus: 'sought_obtained',
  },

  // ------------------------------------------------------------ Consent
  {
    // A 15-year-old asks the school nurse to tell her GP about contraception, but not her parents.
    name: 'school nurse shares sexual health information with GP with a competent child’s limited consent',
    answers: {
      route: 'sharing_out',
      about: 'child_health_development_harm',
      exception: 'none',
      consent_from: 'competent_child',
      consent_child: 'given',
      consent_limits: 'limits_allow_this',
      channel: 'secure_system',
      recipient: 'health',
      anonymous: 'named',
      sensitive: 'health_or_sexual',
      consent_in_writing: 'verbal_only',
    },
    decision: 'share_with_consent',
    ruleId: 'share-with-consent',
    sections: ['1', '2'],
    steps: ['confirm-consent-in-writing', 'tell-recipient-consent-limits', 'extra-care-sensitive'],
    followUps: [],
    consentStatus: 'sought_obtained',
  },
  {
    // A class teacher tells the school's designated safeguarding lead, with the parent's agreement, at a meeting.
    name: 'teacher tells the school’s safeguarding lead in person with consent (same organisation)',
    answers: {
      route: 'sharing_out',
      about: 'parent_carer_unable_to_care',
      exception: 'none',
      consent_from: 'adult_subject',
      consent: 'given',
      consent_limits: 'no_limits',
      channel: 'in_person',
      recipient: 'same_organisation',
      anonymous: 'named',
      sensitive: 'no',
      consent_in_writing: 'in_writing',
    },
    decision: 'share_with_consent',
    ruleId: 'share-with-consent',
    sections: ['1', '2'],
    steps: ['same-rules-inside-organisation', 'record-what-was-said'],
  },
  {
    // A children's centre emails a child's new school, with the mother's agreement, about speech therapy needs.
    name: 'children’s centre emails a school with consent (ordinary email)',
    answers: {
      route: 'sharing_out',
      about: 'child_health_development_harm',
      exception: 'none',
      consent_from: 'parent_with_pr',
      consent_pr: 'given',
      consent_limits: 'no_limits',
      channel: 'email',
      recipient: 'school_or_education',
      anonymous: 'named',
      sensitive: 'no',
      consent_in_writing: 'verbal_only',
    },
    decision: 'share_with_consent',
    ruleId: 'share-with-consent',
    sections: ['4'],
    steps: ['prefer-secure-system-to-email', 'email-confidentiality-warning', 'confirm-consent-in-writing'],
    notSteps: ['police-email-secure-network-only'],
  },
  {
    // An adult social care worker asks a mental health nurse at a case meeting about a mother's care of her baby;
    // the mother has agreed.
    name: 'mental health nurse answers adult social care in person with the mother’s consent',
    answers: {
      route: 'responding_to_request',
      about: 'parent_carer_unable_to_care',
      exception: 'none',
      consent_from: 'adult_subject',
      consent: 'given',
      consent_limits: 'no_limits',
      channel: 'in_person',
      recipient: 'adult_social_care',
      sensitive: 'health_or_sexual',
      consent_in_writing: 'in_writing',
    },
    decision: 'share_with_consent',
    ruleId: 'share-with-consent',
    sections: ['1', '2'],
    steps: ['extra-care-sensitive', 'record-what-was-said'],
  },
  {
    // A father agreed to the family support worker sharing his drinking with the GP, then withdrew consent.
    // The worker's concern is about his parenting, not significant harm.
    name: 'consent withdrawn, no justification to continue: stop and tell everyone',
    answers: {
      route: 'sharing_out',
      about: 'parent_carer_unable_to_care',
      exception: 'none',
      consent_from: 'adult_subject',
      consent: 'withdrawn',
      grounds: 'welfare_concern',
      recipient: 'voluntary_sector',
    },
    decision: 'do_not_share',
    ruleId: 'stop-sharing-consent-withdrawn',
    sections: ['1'],
    steps: ['stop-exchanging-now'],
    followUps: ['inform_all_parties_consent_withdrawn'],
    consentStatus: 'withdrawn',
  },
  {
    // A mother refuses to let the school tell the housing department about the family's overcrowding.
    name: 'mother refuses; welfare concern only: do not share',
    answers: {
      route: 'sharing_out',
      about: 'parent_carer_unable_to_care',
      exception: 'none',
      consent_from: 'adult_subject',
      consent: 'refused',
      grounds: 'welfare_concern',
      recipient: 'housing',
    },
    decision: 'do_not_share',
    ruleId: 'do-not-share-consent-refused',
    sections: ['2'],
    steps: ['if-refused-respect-it'],
    followUps: [],
    consentStatus: 'sought_refused',
  },
  {
    // A competent 16-year-old let the counsellor tell his GP about low mood, but not the school.
    // The counsellor wonders about telling the school; there is no risk of significant harm.
    name: 'counsellor may not share outside the limits a competent young person set',
    answers: {
      route: 'sharing_out',
      about: 'child_health_development_harm',
      exception: 'none',
      consent_from: 'competent_child',
      consent_child: 'given',
      consent_limits: 'limits_exclude_this',
      grounds: 'no_specific_concern',
      recipient: 'school_or_education',
    },
    decision: 'do_not_share',
    ruleId: 'do-not-share-consent-refused',
    sections: ['1', '2'],
    steps: ['if-refused-respect-it'],
    consentStatus: 'sought_refused',
  },
  {
    // A housing officer wants to tell a school the family is moving into temporary accommodation.
    name: 'housing officer should ask the family first (no particular concern)',
    answers: {
      route: 'sharing_out',
      about: 'parent_carer_unable_to_care',
      exception: 'none',
      consent_from: 'adult_subject',
      consent: 'not_yet_asked',
      grounds: 'no_specific_concern',
      why_not_ask: 'could_ask_safely',
      recipient: 'school_or_education',
    },
    decision: 'seek_consent_first',
    ruleId: 'seek-consent-first',
    sections: ['2'],
    steps: ['ask-adult-subject', 'consent-in-writing', 'if-refused-respect-it'],
    notSteps: ['ask-person-with-pr'],
    consentStatus: 'not_sought',
  },
  {
    // A youth worker learns a 16-year-old is caring for his disabled mother and falling behind at school.
    // She wants to tell the school so it can support him.
    name: 'youth worker should ask a competent young carer before telling his school (welfare concern)',
    answers: {
      route: 'sharing_out',
      about: 'child_health_development_harm',
      exception: 'none',
      consent_from: 'competent_child',
      consent_child: 'not_yet_asked',
      grounds: 'welfare_concern',
      why_not_ask: 'could_ask_safely',
      recipient: 'school_or_education',
    },
    decision: 'seek_consent_first',
    ruleId: 'seek-consent-first',
    sections: ['1', '2'],
    steps: ['ask-competent-child', 'explain-consent-can-be-withdrawn'],
    notSteps: ['ask-person-with-pr', 'prefer-secure-system-to-email'],
  },
  {
    // A health visitor has reasonable cause to believe a baby may be suffering significant harm, but the
    // mother is cooperative and asking her will not add risk or delay.
    name: 'health visitor asks cooperative mother first, though the concern could justify sharing',
    packs: ONLY_2015,
    packsWhy:
      'DfE 2024 golden rules 2 and 3: with a child at risk, telling the family is informing, not asking; the national pack answers share (tell them first), see the england cases',
    answers: {
      route: 'sharing_out',
      about: 'child_health_development_harm',
      exception: 'none',
      consent_from: 'parent_with_pr',
      consent_pr: 'not_yet_asked',
      grounds: 'significant_harm_reasonable_cause',
      why_not_ask: 'could_ask_safely',
      recipient: 'childrens_social_care',
    },
    decision: 'seek_consent_first',
    ruleId: 'seek-consent-first-concern-justifies',
    sections: ['1', '2'],
    steps: ['ask-person-with-pr', 'if-refused-reconsider'],
  },
  {
    // A nursery worker is worried about a child's hygiene; asking the father could provoke him, but it is not
    // significant harm.
    name: 'asking could add risk but the concern is below significant harm: get advice',
    answers: {
      route: 'sharing_out',
      about: 'child_health_development_harm',
      exception: 'none',
      consent_from: 'parent_with_pr',
      consent_pr: 'not_yet_asked',
      grounds: 'welfare_concern',
      why_not_ask: 'would_increase_risk',
    },
    decision: 'seek_advice',
    ruleId: 'asking-unsafe-concern-below-threshold',
    sections: ['1', '2'],
    steps: ['discuss-threshold', 'ask-caldicott-guardian'],
  },
  {
    // A 13-year-old with autism asks the youth worker not to tell anyone she is unhappy at home.
    // The worker is unsure she understands the consequences. Welfare concern.
    name: 'child refuses but competence is in doubt: seek legal advice',
    answers: {
      route: 'sharing_out',
      about: 'child_health_development_harm',
      exception: 'none',
      consent_from: 'competence_in_doubt',
      consent: 'refused',
      grounds: 'welfare_concern',
    },
    decision: 'seek_advice',
    ruleId: 'competence-in-doubt',
    sections: ['1'],
    steps: ['seek-legal-advice-on-competence', 'consider-person-with-pr', 'ask-manager-or-legal-adviser'],
  },
  {
    // A GP wants to ask a 12-year-old about sharing with the school nurse; not sure she is competent.
    name: 'consent not yet sought from a child of doubtful competence: seek legal advice',
    answers: {
      route: 'sharing_out',
      about: 'child_health_development_harm',
      exception: 'none',
      consent_from: 'competence_in_doubt',
      consent: 'not_yet_asked',
      grounds: 'no_specific_concern',
      why_not_ask: 'could_ask_safely',
    },
    decision: 'seek_advice',
    ruleId: 'competence-in-doubt',
    sections: ['1'],
    steps: ['seek-legal-advice-on-competence'],
  },

  // ------------------------------------------------------------ Exceptions to the duty of confidence
  {
    // Someone claiming to be a social worker rings the school to ask if a child is in today. The school
    // doesn't know them.
    name: 'unknown caller asks if a child attended school today: not confidential, but verify first',
    answers: {
      route: 'responding_to_request',
      about: 'child_health_development_harm',
      exception: 'not_confidential',
      channel: 'phone',
      caller_verified: 'not_verified',
      recipient: 'childrens_social_care',
    },
    decision: 'share_not_confidential_or_authorised',
    ruleId: 'share-not-confidential',
    sections: ['2', '4'],
    steps: ['verify-caller-before-sharing', 'check-really-not-confidential', 'record-what-was-said'],
    consentStatus: 'not_sought',
  },
  {
    // The school rang the social worker's office back to confirm her identity, then she asks about attendance.
    name: 'caller verified by calling back: attendance confirmed (not confidential)',
    answers: {
      route: 'responding_to_request',
      about: 'child_health_development_harm',
      exception: 'not_confidential',
      channel: 'phone',
      caller_verified: 'verified_by_call_back',
      recipient: 'childrens_social_care',
    },
    decision: 'share_not_confidential_or_authorised',
    ruleId: 'share-not-confidential',
    sections: ['2'],
    steps: ['record-what-was-said'],
    notSteps: ['verify-caller-before-sharing'],
  },
  {
    // A neighbour reports to Children's Social Care that a toddler is left alone; the duty worker passes it to police.
    name: 'duty social worker passes a neighbour’s abuse referral to police (implied authorisation)',
    answers: {
      route: 'sharing_out',
      about: 'child_health_development_harm',
      exception: 'authorised_implicitly',
      channel: 'secure_system',
      recipient: 'police',
      anonymous: 'named',
      sensitive: 'no',
    },
    decision: 'share_not_confidential_or_authorised',
    ruleId: 'share-authorised-by-confider',
    sections: ['2'],
    steps: ['note-who-authorised', 'email-confidentiality-warning'],
  },
  {
    // A grandmother tells the school's safeguarding lead about her daughter's drug use and asks her to tell
    // Children's Social Care.
    name: 'grandmother expressly asks the school to tell social care',
    answers: {
      route: 'sharing_out',
      about: 'parent_carer_unable_to_care',
      exception: 'authorised_expressly',
      consent_limits: 'no_limits',
      channel: 'phone',
      recipient: 'childrens_social_care',
      anonymous: 'named',
      sensitive: 'other_sensitive',
      consent_in_writing: 'in_writing',
    },
    decision: 'share_not_confidential_or_authorised',
    ruleId: 'share-authorised-by-confider',
    sections: ['2'],
    steps: ['note-who-authorised', 'extra-care-sensitive'],
  },
  {
    // A family court orders the GP practice to disclose a mother's records; the practice faxes them.
    name: 'GP practice faxes records under a court order',
    answers: {
      route: 'responding_to_request',
      about: 'parent_carer_unable_to_care',
      exception: 'court_order',
      channel: 'fax',
      recipient: 'other',
      sensitive: 'health_or_sexual',
    },
    decision: 'share_legal_obligation',
    ruleId: 'share-required-by-law',
    sections: ['2', '4'],
    steps: [
      'share-only-what-order-requires',
      'fax-only-if-absolutely-necessary',
      'fax-check-number',
      'fax-confirm-secure-handling',
    ],
    notSteps: ['record-what-was-said'],
    consentStatus: 'not_sought',
  },
  {
    // The Local Safeguarding Children Board requires a probation service's information for a serious case review.
    name: 'probation sends information required by a statutory duty by post',
    answers: {
      route: 'responding_to_request',
      about: 'person_posing_risk',
      exception: 'other_legal_duty',
      channel: 'post',
      recipient: 'other',
      sensitive: 'other_sensitive',
    },
    decision: 'share_legal_obligation',
    ruleId: 'share-required-by-law',
    sections: ['2', '4'],
    steps: ['post-check-address', 'protective-marking', 'extra-care-sensitive'],
  },
  {
    // A nursery worker wants to ring Children's Social Care about a parent's drinking but not give her name.
    // Her concern justifies sharing, but not anonymously: the answer tells her to refer in her own name.
    name: 'nursery worker wants to refer anonymously: share, but in her own name',
    answers: {
      route: 'sharing_out',
      about: 'parent_carer_unable_to_care',
      exception: 'none',
      consent_from: 'adult_subject',
      consent: 'not_yet_asked',
      grounds: 'significant_harm_reasonable_cause',
      why_not_ask: 'would_increase_risk',
      channel: 'phone',
      recipient: 'childrens_social_care',
      anonymous: 'wants_anonymous',
      sensitive: 'no',
    },
    decision: 'share_without_consent_justified',
    ruleId: 'share-without-asking-justified',
    sections: ['4'],
    steps: ['refer-in-own-name', 'discuss-worries-about-being-named', 'record-what-was-said'],
  },
  {
    // A probation officer is asked by a bank about an adult client's employment history.
    name: 'information not about a child’s safety or welfare: outside this guidance',
    answers: {
      route: 'responding_to_request',
      about: 'other',
      exception: 'none',
      consent: 'not_yet_asked',
      adult_grounds: 'none_of_these',
      channel: 'email',
    },
    decision: 'seek_advice',
    ruleId: 'outside-child-protection-scope',
    sections: ['1'],
    steps: ['follow-agency-procedure-out-of-scope'],
  },

  // ------------------------------------------------------------ s.17 / s.47 checks
  {
    // A social worker doing an assessment of need asks the mother's permission to check with the GP. She agrees.
    name: 's.17 checks with the GP, permission given',
    answers: {
      route: 'making_checks',
      about: 'child_health_development_harm',
      consent_from: 'parent_with_pr',
      consent_pr: 'given',
      consent_limits: 'no_limits',
      channel: 'phone',
      recipient: 'health',
      consent_in_writing: 'verbal_only',
      checks_purpose: 's17_assessment',
    },
    decision: 'share_with_consent',
    ruleId: 'checks-with-permission',
    sections: ['4'],
    steps: ['checks-only-relevant-agencies', 'record-what-was-said', 'confirm-consent-in-writing'],
    consentStatus: 'sought_obtained',
  },
  {
    // A child discloses sexual abuse by her stepfather. Asking the parents for permission before checks could
    // lead to her being pressured to retract.
    name: 's.47 checks without permission: asking would increase risk',
    answers: {
      route: 'making_checks',
      about: 'person_posing_risk',
      consent_from: 'parent_with_pr',
      consent_pr: 'not_yet_asked',
      checks_why_no_permission: 'would_increase_risk',
      channel: 'secure_system',
      recipient: 'school_or_education',
      checks_purpose: 's47_enquiry',
    },
    decision: 'share_without_consent_justified',
    ruleId: 'checks-without-asking-justified',
    sections: ['4'],
    steps: ['checks-only-relevant-agencies', 'store-securely'],
    followUps: [],
    consentStatus: 'not_sought',
  },
  {
    // Police are investigating a father for assault; social care checks with probation without telling him.
    name: 's.47 checks with probation without permission: would impede a criminal investigation',
    answers: {
      route: 'making_checks',
      about: 'person_posing_risk',
      consent_from: 'adult_subject',
      consent: 'not_yet_asked',
      checks_why_no_permission: 'would_impede_investigation',
      channel: 'phone',
      recipient: 'probation',
      checks_purpose: 's47_enquiry',
    },
    decision: 'share_without_consent_justified',
    ruleId: 'checks-without-asking-justified',
    sections: ['4'],
    steps: ['record-what-was-said'],
    followUps: [],
  },
  {
    // A social worker is deciding whether to move an assessment to a s.47 enquiry. The parents refused
    // permission; she considered why and remains concerned.
    name: 'checks to decide on s.47 after refusal considered and concern remains',
    inPack: {
      'england-2024': { steps: ['email-confidentiality-warning'], notSteps: ['police-email-secure-network-only'] },
    },
    answers: {
      route: 'making_checks',
      about: 'parent_carer_unable_to_care',
      consent_from: 'adult_subject',
      consent: 'refused',
      refusal_considered: 'concern_remains',
      channel: 'email',
      recipient: 'police',
      checks_purpose: 's47_redesignation',
    },
    decision: 'share_without_consent_justified',
    ruleId: 'checks-refused-concern-remains',
    sections: ['4'],
    steps: ['police-email-secure-network-only', 'email-confidentiality-warning'],
    followUps: ['inform_subject_later'],
    consentStatus: 'sought_refused',
  },
  {
    // Parents refused permission for checks with the school for an assessment of need; their reasons (they
    // are already working with the school) address the social worker's concern.
    name: 's.17 checks refused and concern resolved: do not make the checks',
    answers: {
      route: 'making_checks',
      about: 'child_health_development_harm',
      consent_from: 'parent_with_pr',
      consent_pr: 'refused',
      refusal_considered: 'concern_resolved',
      recipient: 'school_or_education',
      checks_purpose: 's17_assessment',
    },
    decision: 'do_not_share',
    ruleId: 'checks-concern-resolved',
    sections: ['4'],
    steps: ['record-under-agency-procedure'],
    followUps: [],
  },
  {
    // A competent 15-year-old withdrew his permission for checks during a s.47 enquiry; concern remains.
    name: 's.47 checks continue after withdrawal because concern remains',
    answers: {
      route: 'making_checks',
      about: 'child_health_development_harm',
      consent_from: 'competent_child',
      consent_child: 'withdrawn',
      refusal_considered: 'concern_remains',
      channel: 'secure_system',
      recipient: 'health',
      checks_purpose: 's47_enquiry',
    },
    decision: 'share_without_consent_justified',
    ruleId: 'checks-refused-concern-remains',
    sections: ['1', '4'],
    steps: ['checks-only-relevant-agencies'],
    followUps: ['inform_all_parties_consent_withdrawn', 'inform_subject_later'],
    consentStatus: 'withdrawn',
  },
  {
    // Parents allowed checks with the school but not with the GP; the social worker wants to check with the GP.
    name: 'checks outside the limits of permission, concern remains',
    answers: {
      route: 'making_checks',
      about: 'child_health_development_harm',
      consent_from: 'parent_with_pr',
      consent_pr: 'given',
      consent_limits: 'limits_exclude_this',
      refusal_considered: 'concern_remains',
      channel: 'fax',
      recipient: 'health',
      checks_purpose: 's17_assessment',
    },
    decision: 'share_without_consent_justified',
    ruleId: 'checks-refused-concern-remains',
    sections: ['4'],
    steps: ['fax-only-if-absolutely-necessary', 'fax-check-number'],
    consentStatus: 'sought_refused',
  },
  {
    // A social worker starting an assessment of need wants to check with the housing department; the family
    // are cooperative.
    name: 's.17 checks with housing: ask permission first',
    answers: {
      route: 'making_checks',
      about: 'parent_carer_unable_to_care',
      consent_from: 'adult_subject',
      consent: 'not_yet_asked',
      checks_why_no_permission: 'could_ask_safely',
      recipient: 'housing',
      checks_purpose: 's17_assessment',
    },
    decision: 'seek_consent_first',
    ruleId: 'checks-seek-permission-first',
    sections: ['4'],
    steps: ['ask-permission-for-checks', 'ask-adult-subject'],
  },
  {
    // Checks with a voluntary sector family support service, permission given with limits the checks respect.
    name: 's.47 re-designation checks within the limits of permission',
    answers: {
      route: 'making_checks',
      about: 'parent_carer_unable_to_care',
      consent_from: 'adult_subject',
      consent: 'given',
      consent_limits: 'limits_allow_this',
      channel: 'post',
      recipient: 'voluntary_sector',
      consent_in_writing: 'in_writing',
      checks_purpose: 's47_redesignation',
    },
    decision: 'share_with_consent',
    ruleId: 'checks-with-permission',
    sections: ['1', '4'],
    steps: ['tell-recipient-consent-limits', 'post-check-address'],
  },
  {
    // A teacher doing a s.17-related check with a colleague in the same school, doubtful the pupil can consent.
    name: 'checks where the child’s competence to give permission is in doubt',
    answers: {
      route: 'making_checks',
      about: 'child_health_development_harm',
      consent_from: 'competence_in_doubt',
      consent: 'given',
    },
    decision: 'seek_advice',
    ruleId: 'competence-in-doubt',
    sections: ['1'],
    steps: ['seek-legal-advice-on-competence'],
  },

  // ------------------------------------------------------------ SAR / FOI
  {
    // A father makes a subject access request to Children's Social Care; his file includes police reports.
    name: 'subject access request including police information: contact the police first',
    answers: { route: 'subject_access_request', originated_elsewhere: 'yes' },
    decision: 'contact_originating_agency',
    ruleId: 'sar-foi-information-from-another-agency',
    sections: ['5.1'],
    steps: ['sar-contact-originating-agency'],
    notSteps: ['foi-contact-data-owner'],
  },
  {
    // A journalist's FOI request to the council covers a report written by the health trust.
    name: 'FOI request covering a health trust report: contact the data owner',
    answers: { route: 'foi_request', originated_elsewhere: 'yes' },
    decision: 'contact_originating_agency',
    ruleId: 'sar-foi-information-from-another-agency',
    sections: ['5.2'],
    steps: ['foi-contact-data-owner'],
    notSteps: ['sar-contact-originating-agency'],
  },
  {
    // A mother asks the school for her own records, all created by the school.
    name: 'subject access request for the agency’s own records',
    answers: { route: 'subject_access_request', originated_elsewhere: 'no' },
    decision: 'seek_advice',
    ruleId: 'sar-foi-own-agency-information',
    sections: ['5.1'],
    steps: ['sar-foi-own-procedure'],
  },
  {
    // An FOI request arrives; the officer has not yet checked where the documents came from.
    name: 'FOI request, origin of information not yet known',
    answers: { route: 'foi_request', originated_elsewhere: 'not_sure' },
    decision: 'seek_advice',
    ruleId: 'sar-foi-origin-not-known',
    sections: ['5.2'],
    steps: ['sar-foi-find-origin'],
  },

  // ------------------------------------------------------------ Police disclosure schemes
  {
    // A mother asks her health visitor whether her new boyfriend, who babysits, has sex offences.
    name: 'mother asks about new partner with access to children: Child Sex Offender Disclosure Scheme',
    answers: {
      route: 'offending_history_enquiry',
      disclosure_scheme: 'child_sex_offender',
      scheme_requester: 'member_of_public',
    },
    decision: 'police_disclosure_scheme',
    ruleId: 'csods-refer-to-police',
    sections: ['6'],
    steps: [
      'csods-apply-to-police',
      'csods-in-person-undertaking',
      'csods-use-only-to-protect',
      'scheme-do-not-answer-from-records',
    ],
    notSteps: ['dvds-right-to-ask'],
  },
  {
    // A school safeguarding lead hears that a man who runs a youth club may have previous sex offences.
    name: 'worker with concern about a person with access to children: usual safeguarding route',
    answers: {
      route: 'offending_history_enquiry',
      disclosure_scheme: 'child_sex_offender',
      scheme_requester: 'partner_agency',
    },
    decision: 'police_disclosure_scheme',
    ruleId: 'csods-refer-to-police',
    sections: ['6'],
    steps: ['csods-worker-route', 'csods-in-person-undertaking'],
    notSteps: ['csods-apply-to-police'],
  },
  {
    // A woman asks her family support worker whether her friend's new partner has been violent before.
    name: 'friend asks about a partner’s violence: DVDS right to ask',
    answers: {
      route: 'offending_history_enquiry',
      disclosure_scheme: 'domestic_violence',
      scheme_requester: 'member_of_public',
    },
    decision: 'police_disclosure_scheme',
    ruleId: 'dvds-right-to-ask',
    sections: ['7'],
    steps: ['dvds-right-to-ask', 'dvds-when-police-disclose', 'dvds-consider-children'],
    notSteps: ['csods-in-person-undertaking'],
  },
  {
    // A domestic abuse advocate believes her client is at risk from a partner with a violent past.
    name: 'advocate believes client at risk: DVDS right to know',
    answers: {
      route: 'offending_history_enquiry',
      disclosure_scheme: 'domestic_violence',
      scheme_requester: 'partner_agency',
    },
    decision: 'police_disclosure_scheme',
    ruleId: 'dvds-right-to-know',
    sections: ['7'],
    steps: ['dvds-right-to-know', 'dvds-consider-children'],
  },
  {
    // A neighbour asks a social worker whether the man next door has burglary convictions.
    name: 'offending-history question outside both schemes: get advice',
    answers: { route: 'offending_history_enquiry', disclosure_scheme: 'other_concern' },
    decision: 'seek_advice',
    ruleId: 'seek-advice',
    sections: ['1', '6', '7'],
    steps: ['scheme-do-not-answer-from-records', 'ask-manager-or-legal-adviser'],
  },
];

/** Every practitioner case: the earlier ones, those written for issue 14's four classes, and the national pack's. */
export const ALL_CASES: PractitionerCase[] = [...EARLIER_CASES, ...ISSUE14_CASES, ...ENGLAND_CASES];

/** The cases that apply to a pack. */
export function casesFor(packId: string): PractitionerCase[] {
  return ALL_CASES.filter((c) => (c.packs ?? CASE_PACKS).includes(packId));
}

/** What a case expects in one pack: its own expectations with that pack's differences applied. */
export function expectationsIn(c: PractitionerCase, packId: string): CaseExpectations {
  const own = { ...c, ...c.inPack?.[packId] };
  // A case shared with the 2015 pack cites the chapter's section numbers: in another pack they are checked only
  // when `inPack` gives that pack's own.
  const sharedWith2015 = (c.packs ?? CASE_PACKS).includes(PACK_2015);
  if (packId !== PACK_2015 && sharedWith2015 && !c.inPack?.[packId]?.sections) return { ...own, sections: [] };
  return own;
}

/** The cases for the default pack (the 2015 chapter), which the bot, robustness and security tests walk. */
export const CASES: PractitionerCase[] = casesFor(PACK_2015);
