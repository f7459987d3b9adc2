/**
 * The questions, in the order they are asked. Each `askWhen` refers only to earlier questions
 * (loadRulePack enforces this), so the path is decided one answer at a time.
 *
 * Order matters for a busy practitioner: the route first (sharing vs. a SAR/FOI vs. an offending-history
 * enquiry), then the exceptions that settle things without consent (legal duty, not confidential,
 * authorised), and only then consent and the grounds for going without it.
 */
import { all, any, answered, CHECKS, IN_SCOPE, is, not, S, SHARING, SHARING_NAMED } from './common';
import type { RulePackInput } from './schema';

type QuestionInput = RulePackInput['questions'][number];

export const questions: QuestionInput[] = [
  {
    id: 'route',
    text: 'What do you need to decide?',
    options: [
      {
        code: 'share_or_check',
        label: 'Whether I can share information, answer another worker’s request, or make checks with other agencies',
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
    citations: [S.practice, S.sar, S.foi, S.csods, S.dvds],
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
    id: 'direction',
    text: 'Which describes your situation?',
    options: [
      { code: 'sharing_out', label: 'I want to pass information on (including making a referral)' },
      { code: 'responding_to_request', label: 'Another worker has asked me for information' },
      {
        code: 'making_checks',
        label: 'I need to make checks with other agencies for a s.17 assessment or a s.47 enquiry',
      },
    ],
    citations: [S.practice, S.checks, S.commonLaw],
    askWhen: is('route', 'share_or_check'),
  },
  {
    id: 'about',
    text: 'What is the information about?',
    options: [
      { code: 'child_health_development_harm', label: 'A child’s health or development, or their exposure to possible harm' },
      { code: 'parent_carer_unable_to_care', label: 'A parent or carer who may be unable to care adequately for a child' },
      { code: 'person_posing_risk', label: 'Another person who may pose a risk of harm to a child' },
      { code: 'other', label: 'Something else, not about a child’s safety or welfare' },
    ],
    citations: [S.context],
    askWhen: answered('direction'),
  },
  {
    id: 'channel',
    text: 'How will the information be exchanged?',
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
    askWhen: IN_SCOPE,
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
    askWhen: all(is('direction', 'responding_to_request'), is('channel', 'phone')),
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
    askWhen: IN_SCOPE,
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
    askWhen: all(is('direction', 'sharing_out'), IN_SCOPE),
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
        label: 'Yes: racial or ethnic origin, religious or political beliefs, trade union membership, or criminal offences',
      },
    ],
    citations: [S.context, S.dpa],
    askWhen: SHARING_NAMED,
  },
  {
    id: 'legal_obligation',
    text: 'Does a court order or another legal obligation require you to disclose it?',
    help: 'If you think one might but you are not sure, answer “No” and ask your agency’s legal adviser.',
    options: [
      { code: 'court_order', label: 'Yes, a court order' },
      { code: 'other_legal_duty', label: 'Yes, another legal obligation' },
      { code: 'none_known', label: 'No, or I’m not sure' },
    ],
    citations: [S.commonLaw, S.overall],
    askWhen: SHARING_NAMED,
  },
  {
    // Sensitive information is confidential by nature, so this is asked only when nothing sensitive is involved.
    id: 'confidential',
    text: 'Is the information confidential?',
    options: [
      { code: 'confidential', label: 'Yes: it was given in confidence, or it is personal and not available elsewhere' },
      {
        code: 'not_confidential',
        label: 'No: it is trivial or readily available elsewhere',
        help: 'E.g. confirming to a social worker that a child attended school today.',
      },
    ],
    citations: [S.commonLaw],
    askWhen: all(is('legal_obligation', 'none_known'), is('sensitive', 'no')),
  },
  {
    id: 'authorised',
    text: 'Has the person who gave you the information agreed — or would they expect — that it is passed on?',
    help: 'E.g. someone who reports an allegation of abuse to Children’s Social Care expects it to be shared on a need-to-know basis.',
    options: [
      { code: 'expressly', label: 'Yes, they told me (verbally or in writing) that I may pass it on' },
      { code: 'implicitly', label: 'Yes, it is clearly implied, e.g. they made a referral about abuse' },
      { code: 'no', label: 'No, or it does not apply' },
    ],
    citations: [S.commonLaw],
    askWhen: all(is('legal_obligation', 'none_known'), not(is('confidential', 'not_confidential'))),
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
    askWhen: all(CHECKS, IN_SCOPE),
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
    askWhen: any(is('authorised', 'no'), answered('checks_purpose')),
  },
  {
    id: 'consent',
    text: 'Where are you with consent?',
    options: [
      { code: 'not_yet_asked', label: 'I haven’t asked' },
      { code: 'given', label: 'I asked and they agreed' },
      { code: 'refused', label: 'I asked and they refused' },
      { code: 'withdrawn', label: 'They agreed, but have now withdrawn their consent' },
    ],
    citations: [S.context, S.checks, S.recording],
    askWhen: answered('consent_from'),
  },
  {
    id: 'consent_limits',
    text: 'Did they put any limits on their consent?',
    help: 'E.g. “you can tell my GP but not the school”.',
    options: [
      { code: 'no_limits', label: 'No' },
      { code: 'limits_allow_this', label: 'Yes, but this exchange is within them' },
      { code: 'limits_exclude_this', label: 'Yes, and this exchange falls outside them' },
    ],
    citations: [S.context],
    askWhen: is('consent', 'given'),
  },
  {
    id: 'refusal_considered',
    text: 'You have considered why they said no. Is there still enough concern to justify the checks?',
    options: [
      { code: 'concern_remains', label: 'Yes, enough concern remains' },
      { code: 'concern_resolved', label: 'No, their reasons have addressed my concern' },
    ],
    citations: [S.checks],
    askWhen: all(CHECKS, any(is('consent', 'refused', 'withdrawn'), is('consent_limits', 'limits_exclude_this'))),
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
        label: 'I have reasonable cause to believe the child may be suffering, or is likely to suffer, significant harm',
      },
      { code: 'prevent_serious_harm', label: 'Sharing is needed to prevent significant harm to a child or serious harm to an adult' },
      { code: 'serious_crime', label: 'Sharing is needed to prevent, detect or prosecute serious crime' },
      {
        code: 'vital_interests',
        label: 'Sharing is needed to protect someone’s vital interests',
        help: 'E.g. a life-threatening situation or urgent medical need.',
      },
      { code: 'welfare_concern', label: 'I’m worried about the child’s welfare or needs, but not at the level of significant harm' },
      { code: 'no_specific_concern', label: 'No particular concern, e.g. it is to coordinate services' },
    ],
    citations: [S.dfe, S.practice, S.echr, S.furtherGuidance],
    askWhen: all(
      SHARING,
      answered('consent'),
      any(not(is('consent', 'given')), is('consent_limits', 'limits_exclude_this'), is('consent_from', 'competence_in_doubt')),
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
    askWhen: all(SHARING, is('consent', 'not_yet_asked')),
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
    askWhen: all(CHECKS, is('consent', 'not_yet_asked')),
  },
];
