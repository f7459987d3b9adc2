/**
 * The questions, in the order they are asked. Each `askWhen` refers only to earlier questions
 * (loadRulePack enforces this), so the path is decided one answer at a time.
 *
 * Two phases. First only what decides the answer: the route (passing on, answering a request,
 * checks, a SAR/FOI, an offending-history enquiry), what the information is about, the exceptions
 * that settle it without consent (legal duty, not confidential, authorised — §2 Common Law), then
 * consent and the grounds for going without it. Then, once the answer is shown, the questions that
 * only tailor the practice steps and pre-fill the record (how, with whom, whether the caller is
 * known, whether you will be named, how sensitive, whether consent was in writing).
 */
import {
  all,
  any,
  answered,
  CHECKS,
  COMPETENCE_IN_DOUBT,
  CONSENT_GIVEN,
  CONSENT_NOT_ASKED,
  CONSENT_REFUSED,
  CONSENT_WITHDRAWN,
  decisionIs,
  EXCHANGE_GOES_AHEAD,
  EXCHANGE_ROUTE,
  IN_SCOPE,
  is,
  LIMITS_EXCLUDE,
  NOT_ABOUT_A_CHILD,
  not,
  S,
  SHARING,
} from './common';
import type { RulePackInput } from './schema';

type QuestionInput = RulePackInput['questions'][number];

const NOT_YET_ASKED = { code: 'not_yet_asked', label: 'I haven’t asked' } as const;
const WITHDRAWN = { code: 'withdrawn', label: 'They agreed, but have now withdrawn their consent' } as const;

export const questions: QuestionInput[] = [
  // ================================================================ Decision questions
  {
    id: 'route',
    text: 'What do you need to decide?',
    options: [
      { code: 'sharing_out', label: 'Whether I can pass information on (including making a referral)' },
      { code: 'responding_to_request', label: 'Whether I can answer another worker’s request for information' },
      {
        code: 'making_checks',
        label: 'Whether I can make checks with other agencies for a s.17 assessment or a s.47 enquiry',
      },
      {
        code: 'subject_access_request',
        label: 'How to handle a subject access request',
        help: 'Someone asking for the personal information your agency holds about them.',
      },
      { code: 'foi_request', label: 'How to handle a Freedom of Information request' },
      {
        code: 'offending_history_enquiry',
        label: 'Someone is asking whether a person has a history of offending',
        help: 'For example, a parent asking about a new partner who looks after their child.',
      },
    ],
    citations: [S.practice, S.checks, S.commonLaw, S.sar, S.foi, S.csods, S.dvds],
  },
  {
    id: 'originated_elsewhere',
    text: 'Did any of the information asked for come from another agency?',
    help: 'For example a police report, a health assessment or a school record kept on your file.',
    options: [
      { code: 'yes', label: 'Yes, some or all of it' },
      { code: 'no', label: 'No, it all originated in my agency' },
      { code: 'not_sure', label: 'I’m not sure yet' },
    ],
    citations: [S.sar, S.foi],
    askWhen: is('route', 'subject_access_request', 'foi_request'),
  },
  {
    id: 'disclosure_scheme',
    text: 'What is the person worried about?',
    options: [
      {
        code: 'child_sex_offender',
        label: 'Whether someone with unsupervised access to a child may pose a risk to children (e.g. a sex offender)',
      },
      {
        code: 'domestic_violence',
        label: 'Whether their partner, or the partner of someone they know, may be violent',
      },
      { code: 'other_concern', label: 'Something else' },
    ],
    citations: [S.csods, S.dvds],
    askWhen: is('route', 'offending_history_enquiry'),
  },
  {
    id: 'scheme_requester',
    text: 'Who is asking?',
    options: [
      {
        code: 'member_of_public',
        label: 'A member of the public',
        help: 'E.g. a parent, a relative or friend, or the partner themselves.',
      },
      { code: 'partner_agency', label: 'A worker in a partner agency who believes someone is at risk of harm' },
    ],
    citations: [S.csods, S.dvds],
    askWhen: is('disclosure_scheme', 'child_sex_offender', 'domestic_violence'),
  },
  {
    id: 'about',
    text: 'What is the information about?',
    options: [
      {
        code: 'child_health_development_harm',
        label: 'A child’s health or development, or their exposure to possible harm',
      },
      {
        code: 'parent_carer_unable_to_care',
        label: 'A parent or carer who may be unable to care adequately for a child',
      },
      { code: 'person_posing_risk', label: 'Another person who may pose a risk of harm to a child' },
      {
        code: 'other',
        label: 'Something else, not about a child’s safety or welfare',
        help: 'E.g. about an adult, or a crime that does not involve a child.',
      },
    ],
    citations: [S.context, S.dfe],
    askWhen: EXCHANGE_ROUTE,
  },
  {
    // One question for the §2 Common Law exceptions (and "not sure"), in the order they settle it.
    id: 'exception',
    text: 'Does one of these apply? Pick the first that does.',
    help: 'These let you share without asking for consent. Sensitive information (health, sexual life, beliefs, offences) is always confidential.',
    options: [
      { code: 'court_order', label: 'A court order requires me to disclose it' },
      { code: 'other_legal_duty', label: 'Another legal obligation requires me to disclose it' },
      {
        code: 'not_confidential',
        label: 'It isn’t confidential: it is trivial or readily available elsewhere',
        help: 'E.g. confirming to a social worker that a child attended school today.',
      },
      { code: 'authorised_expressly', label: 'The person it is about, or who told me, has said I may pass it on' },
      {
        code: 'authorised_implicitly',
        label: 'They clearly expect it to be passed on, e.g. they reported abuse to Children’s Social Care',
      },
      { code: 'none', label: 'None of these: it is confidential and nobody has agreed to it being passed on' },
      { code: 'not_sure_legal', label: 'A legal duty may require it, but I’m not sure' },
      { code: 'not_sure_confidential', label: 'I’m not sure whether it is confidential' },
    ],
    citations: [S.commonLaw, S.overall],
    askWhen: all(SHARING, answered('about')),
  },
  {
    id: 'consent_from',
    text: 'Whose consent (permission) would be needed?',
    help: 'A child under 18 can decide if they have the maturity and understanding to grasp the consequences and the alternatives.',
    options: [
      { code: 'adult_subject', label: 'The adult the information is about, e.g. a parent or carer' },
      { code: 'competent_child', label: 'The child, who can decide for themselves' },
      { code: 'parent_with_pr', label: 'Someone with parental responsibility, because the child cannot decide' },
      { code: 'competence_in_doubt', label: 'I’m not sure whether the child can decide for themselves' },
    ],
    citations: [S.context],
    askWhen: any(all(SHARING, IN_SCOPE, is('exception', 'none')), all(CHECKS, IN_SCOPE)),
  },
  {
    id: 'consent',
    text: 'Where are you with consent?',
    options: [
      NOT_YET_ASKED,
      { code: 'given', label: 'I asked and they agreed' },
      { code: 'refused', label: 'I asked and they refused' },
      WITHDRAWN,
    ],
    citations: [S.context, S.checks, S.recording],
    // Information not about a child: the adult it is about is the one to ask (§2 Overall: those affected consent).
    askWhen: any(
      is('consent_from', 'adult_subject', 'competence_in_doubt'),
      all(SHARING, NOT_ABOUT_A_CHILD, is('exception', 'none')),
    ),
  },
  {
    id: 'consent_child',
    text: 'Where are you with the child’s consent?',
    help: 'A competent child’s informed consent counts as much as an adult’s, whatever a parent says.',
    options: [
      NOT_YET_ASKED,
      { code: 'given', label: 'The child agreed' },
      { code: 'child_agreed_parent_refused', label: 'The child agreed, but a parent objects' },
      { code: 'refused', label: 'The child refused' },
      { code: 'child_refused_parent_agreed', label: 'The child refused, though a parent agreed' },
      { code: 'withdrawn', label: 'The child agreed, but has now withdrawn their consent' },
    ],
    citations: [S.context, S.recording],
    askWhen: is('consent_from', 'competent_child'),
  },
  {
    id: 'consent_pr',
    text: 'Where are you with consent from someone with parental responsibility?',
    options: [
      NOT_YET_ASKED,
      { code: 'given', label: 'I asked and they agreed' },
      { code: 'refused', label: 'I asked and they refused' },
      {
        code: 'refused_asking_adds_risk',
        label: 'They refused, and going back to them would put the child at extra risk',
        help: 'Consent is sought from a parent only if that does not place the child at additional risk.',
      },
      { code: 'pr_disagree', label: 'People with parental responsibility disagree: one agreed, one refused' },
      WITHDRAWN,
    ],
    citations: [S.context, S.recording],
    askWhen: is('consent_from', 'parent_with_pr'),
  },
  {
    id: 'consent_limits',
    text: 'Did they put any limits on their consent?',
    help: 'E.g. “you can tell the health visitor but not the nursery”.',
    options: [
      { code: 'no_limits', label: 'No' },
      { code: 'limits_allow_this', label: 'Yes, but this exchange is within them' },
      { code: 'limits_exclude_this', label: 'Yes, and this exchange falls outside them' },
    ],
    citations: [S.context],
    // Asked wherever consent or express authorisation is relied on (§1: limits made clear at the point of exchange).
    askWhen: any(all(CONSENT_GIVEN, not(COMPETENCE_IN_DOUBT)), is('exception', 'authorised_expressly')),
  },
  {
    id: 'refusal_considered',
    text: 'You have considered why they said no. Is there still enough concern to justify the checks?',
    options: [
      { code: 'concern_remains', label: 'Yes, enough concern remains' },
      { code: 'concern_resolved', label: 'No, their reasons have addressed my concern' },
    ],
    citations: [S.checks],
    askWhen: all(CHECKS, any(CONSENT_REFUSED, CONSENT_WITHDRAWN, LIMITS_EXCLUDE)),
  },
  {
    id: 'grounds',
    text: 'What best describes your concern?',
    help: 'Pick the strongest that applies. See also “What To Do If You’re Worried a Child is Being Abused”.',
    options: [
      {
        code: 'significant_harm_evidence',
        label: 'There is evidence the child is suffering, or is likely to suffer, significant harm',
      },
      {
        code: 'significant_harm_reasonable_cause',
        label:
          'I have reasonable cause to believe the child may be suffering, or is likely to suffer, significant harm',
      },
      {
        code: 'prevent_serious_harm',
        label: 'Sharing is needed to prevent significant harm to a child or serious harm to an adult',
      },
      { code: 'serious_crime', label: 'Sharing is needed to prevent, detect or prosecute serious crime' },
      {
        code: 'vital_interests',
        label: 'Sharing is needed to protect someone’s vital interests',
        help: 'E.g. a life-threatening situation or urgent medical need.',
      },
      {
        code: 'welfare_concern',
        label: 'I’m worried about the child’s welfare or needs, but not at the level of significant harm',
      },
      { code: 'no_specific_concern', label: 'No particular concern, e.g. it is to coordinate services' },
    ],
    citations: [S.dfe, S.practice, S.echr, S.furtherGuidance],
    askWhen: all(
      SHARING,
      IN_SCOPE,
      any(
        CONSENT_NOT_ASKED,
        CONSENT_REFUSED,
        CONSENT_WITHDRAWN,
        LIMITS_EXCLUDE,
        all(COMPETENCE_IN_DOUBT, is('consent', 'given')),
      ),
    ),
  },
  {
    // The public-interest grounds that apply whoever the information is about (§2 DfE Guidance, §4).
    id: 'adult_grounds',
    text: 'Is sharing needed for one of these?',
    options: [
      { code: 'serious_harm_adult', label: 'To prevent serious harm to an adult' },
      { code: 'serious_crime', label: 'To prevent, detect or prosecute serious crime' },
      {
        code: 'vital_interests',
        label: 'To protect someone’s vital interests',
        help: 'E.g. a life-threatening situation or urgent medical need.',
      },
      { code: 'none_of_these', label: 'None of these' },
    ],
    citations: [S.dfe, S.practice, S.echr],
    askWhen: all(
      SHARING,
      NOT_ABOUT_A_CHILD,
      any(CONSENT_NOT_ASKED, CONSENT_REFUSED, CONSENT_WITHDRAWN, LIMITS_EXCLUDE),
    ),
  },
  {
    id: 'why_not_ask',
    text: 'Why have you not asked for consent?',
    options: [
      { code: 'could_ask_safely', label: 'I could ask: it would be safe and would not cause harmful delay' },
      { code: 'would_increase_risk', label: 'Asking could put the child or someone else at risk of significant harm' },
      { code: 'would_delay_s47', label: 'Asking would cause substantial delay to a s.47 enquiry' },
      { code: 'would_impede_investigation', label: 'Asking could get in the way of a criminal investigation' },
      {
        code: 'cannot_be_obtained',
        label: 'Consent cannot be given, or cannot reasonably be obtained',
        help: 'E.g. the person cannot be reached in time.',
      },
    ],
    citations: [S.practice, S.checks, S.dpa],
    // Not asked where nothing could justify sharing without consent anyway (information not about a child, no ground).
    askWhen: all(SHARING, CONSENT_NOT_ASKED, not(is('adult_grounds', 'none_of_these'))),
  },
  {
    id: 'checks_why_no_permission',
    text: 'Why have you not asked for permission for the checks?',
    options: [
      { code: 'could_ask_safely', label: 'I could ask: it would be safe and would not cause harmful delay' },
      {
        code: 'would_increase_risk',
        label: 'Asking is likely to increase the risk to the children or others',
        help: 'E.g. by causing a substantial delay to the s.47 enquiry.',
      },
      { code: 'would_impede_investigation', label: 'Asking is likely to get in the way of a criminal investigation' },
    ],
    citations: [S.checks],
    askWhen: all(CHECKS, CONSENT_NOT_ASKED),
  },

  // ================================================================ Tailoring questions (after the answer)
  {
    id: 'channel',
    text: 'How will the information be exchanged?',
    help: 'If another worker has asked you, how did they contact you?',
    options: [
      { code: 'phone', label: 'By phone' },
      { code: 'email', label: 'By ordinary (internet) email' },
      {
        code: 'secure_system',
        label: 'Through a secure electronic system',
        help: 'E.g. secure email over a secure network, or a shared case-management system.',
      },
      { code: 'fax', label: 'By fax' },
      { code: 'in_person', label: 'In person, e.g. at a meeting' },
      { code: 'post', label: 'By post' },
    ],
    citations: [S.exchanges, S.security],
    phase: 'tailor',
    // Whenever something is exchanged; and always for a request, because an unknown caller must be verified first.
    askWhen: all(EXCHANGE_ROUTE, any(EXCHANGE_GOES_AHEAD, is('route', 'responding_to_request'))),
  },
  {
    id: 'caller_verified',
    text: 'Do you know the caller, or have you checked who they are?',
    options: [
      { code: 'known', label: 'Yes, I already know them' },
      { code: 'verified_by_call_back', label: 'Yes, I called their agency back to check' },
      { code: 'not_verified', label: 'No, not yet' },
    ],
    citations: [S.exchanges],
    phase: 'tailor',
    askWhen: all(is('route', 'responding_to_request'), is('channel', 'phone')),
  },
  {
    id: 'recipient',
    text: 'Which agency is the other party?',
    help: 'The agency you would share with, the one asking you, or the one you are checking with.',
    options: [
      { code: 'childrens_social_care', label: 'Children’s Social Care' },
      { code: 'police', label: 'Police' },
      { code: 'health', label: 'Health (GP, health visitor, hospital, mental health…)' },
      { code: 'school_or_education', label: 'A school or education service' },
      { code: 'adult_social_care', label: 'Adult Social Care' },
      { code: 'probation', label: 'Probation' },
      { code: 'housing', label: 'Housing' },
      { code: 'voluntary_sector', label: 'A voluntary or community organisation' },
      { code: 'same_organisation', label: 'Someone in my own organisation' },
      { code: 'other', label: 'Another agency' },
    ],
    citations: [S.commonLaw, S.exchanges],
    phase: 'tailor',
    // Every answer about an exchange except "get advice": the same rules apply inside an organisation (§2 Common Law).
    askWhen: all(EXCHANGE_ROUTE, not(decisionIs('seek_advice'))),
  },
  {
    id: 'anonymous',
    text: 'Will you give your name and agency when you pass this on?',
    help: 'Each worker must take responsibility for their own referrals.',
    options: [
      { code: 'named', label: 'Yes, I’ll be named as the source' },
      { code: 'wants_anonymous', label: 'No, I’d rather stay anonymous' },
    ],
    citations: [S.practice],
    phase: 'tailor',
    askWhen: all(is('route', 'sharing_out'), EXCHANGE_GOES_AHEAD),
  },
  {
    id: 'sensitive',
    text: 'Does the information include anything sensitive?',
    options: [
      { code: 'no', label: 'No' },
      {
        code: 'health_or_sexual',
        label: 'Yes: health, including sexual health or emotional and mental health needs, or sexual life',
      },
      {
        code: 'other_sensitive',
        label:
          'Yes: racial or ethnic origin, religious or political beliefs, trade union membership, or criminal offences',
      },
    ],
    citations: [S.context, S.dpa],
    phase: 'tailor',
    // Information that is not confidential is by definition not sensitive.
    askWhen: all(SHARING, EXCHANGE_GOES_AHEAD, not(is('exception', 'not_confidential'))),
  },
  {
    id: 'consent_in_writing',
    text: 'Was the consent given in writing?',
    options: [
      { code: 'in_writing', label: 'Yes, in writing' },
      { code: 'verbal_only', label: 'No, verbally' },
    ],
    citations: [S.context, S.recording],
    phase: 'tailor',
    askWhen: all(
      decisionIs('share_with_consent', 'share_not_confidential_or_authorised'),
      any(CONSENT_GIVEN, is('exception', 'authorised_expressly')),
    ),
  },
  {
    id: 'checks_purpose',
    text: 'What are the checks for?',
    options: [
      { code: 's17_assessment', label: 'To progress an assessment of need (s.17 Children Act 1989)' },
      { code: 's47_redesignation', label: 'To decide whether to re-designate an assessment as a s.47 enquiry' },
      { code: 's47_enquiry', label: 'To inform a s.47 enquiry' },
    ],
    citations: [S.checks],
    phase: 'tailor',
    askWhen: all(CHECKS, IN_SCOPE, not(decisionIs('seek_advice'))),
  },
];
