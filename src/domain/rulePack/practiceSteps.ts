/**
 * Practice steps: what to do, in plain words. A rule lists the steps that fit its decision; each step's
 * own `appliesWhen` then keeps only those relevant to this exchange (e.g. fax steps only for a fax).
 * Listed in the order a practitioner would act on them.
 */
import { all, answered, any, CONSENT_WITHDRAWN, is, S, SENSITIVE } from './common';
import type { RulePackInput } from './schema';

type StepInput = RulePackInput['practiceSteps'][number];

export const practiceSteps: StepInput[] = [
  // --- Before anything is said: who is on the other end (§4 Confidentiality of Exchanges) ---
  {
    id: 'verify-caller-before-sharing',
    text: 'Don’t give any information yet, not even whether you know the family. Check who the caller is by ringing their agency back, then continue.',
    citations: [S.exchanges],
    appliesWhen: is('caller_verified', 'not_verified'),
  },

  // --- Route: SAR / FOI (§5.1, §5.2) ---
  {
    id: 'sar-foi-find-origin',
    text: 'Go through what was asked for and note where each item came from (e.g. police, health or school reports on your file).',
    citations: [S.sar, S.foi],
  },
  {
    id: 'sar-contact-originating-agency',
    text: 'Before releasing anything that came from another agency, contact that agency and ask whether it wants to advise using any statutory exemption under data protection law.',
    citations: [S.sar],
    appliesWhen: is('route', 'subject_access_request'),
  },
  {
    id: 'foi-contact-data-owner',
    text: 'Before releasing anything that belongs to another organisation, contact it and ask whether it wishes to rely on any Freedom of Information Act exemption, and what harm it thinks release could cause.',
    citations: [S.foi],
    appliesWhen: is('route', 'foi_request'),
  },
  {
    id: 'sar-foi-own-procedure',
    text: 'Handle the rest of the request under your agency’s own procedure and within its statutory time limit; your information governance or data protection lead can help.',
    citations: [S.responsibilities, S.sar, S.foi],
  },

  // --- Route: police disclosure schemes (§6, §7) ---
  {
    id: 'scheme-do-not-answer-from-records',
    text: 'Don’t answer the question about the person’s past from your own records. The police disclosure schemes are the formal route.',
    citations: [S.csods, S.dvds],
    appliesWhen: answered('disclosure_scheme'),
  },
  {
    id: 'csods-apply-to-police',
    text: 'Tell them to apply directly to the police (for example on the non-emergency number 101 or at a police station). The information is only available by applying to the police.',
    citations: [S.csods],
    appliesWhen: all(is('disclosure_scheme', 'child_sex_offender'), is('scheme_requester', 'member_of_public')),
  },
  {
    id: 'csods-worker-route',
    text: 'As a worker, raise your own concern through the usual safeguarding route (Children’s Social Care or the police). The scheme builds on the disclosures the police already make to agencies under MAPPA.',
    citations: [S.csods],
    appliesWhen: all(is('disclosure_scheme', 'child_sex_offender'), is('scheme_requester', 'partner_agency')),
  },
  {
    id: 'csods-who-is-told',
    text: 'Explain that the police will only tell the person best placed to protect the child (usually a parent, carer or guardian), in confidence, and only if they think it is in the child’s interests.',
    citations: [S.csods],
    appliesWhen: is('disclosure_scheme', 'child_sex_offender'),
  },
  {
    id: 'csods-in-person-undertaking',
    text: 'Explain that any disclosure is made in person, not in writing. The person told is asked to sign an undertaking to keep it confidential and is warned that legal proceedings could follow a breach. If they won’t sign, the police decide whether to disclose anyway.',
    citations: [S.csods],
    appliesWhen: is('disclosure_scheme', 'child_sex_offender'),
  },
  {
    id: 'csods-use-only-to-protect',
    text: 'Anything disclosed must be kept confidential and used only to keep the child safe.',
    citations: [S.csods],
    appliesWhen: is('disclosure_scheme', 'child_sex_offender'),
  },
  {
    id: 'dvds-right-to-ask',
    text: 'Explain the “right to ask”: anyone can ask the police about a partner’s past, in any intimate relationship and whatever their gender, but information is only given to the person at risk or someone in a position to protect them.',
    citations: [S.dvds],
    appliesWhen: all(is('disclosure_scheme', 'domestic_violence'), is('scheme_requester', 'member_of_public')),
  },
  {
    id: 'dvds-right-to-know',
    text: 'Make a “right to know” request to the police, setting out why you believe someone is at risk of harm from their partner.',
    citations: [S.dvds],
    appliesWhen: all(is('disclosure_scheme', 'domestic_violence'), is('scheme_requester', 'partner_agency')),
  },
  {
    id: 'dvds-when-police-disclose',
    text: 'The police disclose if the person has convictions for violent offences, or if information about their behaviour reasonably suggests they pose a risk of harm to their partner.',
    citations: [S.dvds],
    appliesWhen: is('disclosure_scheme', 'domestic_violence'),
  },
  {
    id: 'dvds-consider-children',
    text: 'If domestic abuse may be affecting the care of children in the family, also consider a child protection referral. Start a new check for that.',
    citations: [S.dvds, S.context],
    appliesWhen: is('disclosure_scheme', 'domestic_violence'),
  },

  // --- Anonymous referral (§4) ---
  {
    id: 'refer-in-own-name',
    text: 'Make the referral in your own name and agency.',
    citations: [S.practice],
  },
  {
    id: 'discuss-worries-about-being-named',
    text: 'If you are worried about being named (e.g. for your safety), talk to your manager or safeguarding lead, but don’t pass the information on anonymously.',
    citations: [S.practice],
  },

  // --- Exceptions to the duty of confidence (§2 Common Law) ---
  {
    id: 'share-only-what-order-requires',
    text: 'Share only what the court order or legal obligation requires. Check its exact wording and note its reference.',
    citations: [S.commonLaw, S.overall],
  },
  {
    id: 'check-really-not-confidential',
    text: 'Make sure it really is trivial or readily available elsewhere. If you would be adding anything personal, answer again with “confidential”.',
    citations: [S.commonLaw],
  },
  {
    id: 'note-who-authorised',
    text: 'Note who authorised passing it on and how: verbally, in writing, or implied (e.g. a referral).',
    citations: [S.commonLaw, S.recording],
  },

  // --- Consent (§1, §4 Routine 'Checks') ---
  {
    id: 'ask-adult-subject',
    text: 'Ask the adult the information is about. Explain what you want to share, with whom and why.',
    citations: [S.context],
    // Information not about a child: the adult it is about (consent_from is not asked).
    appliesWhen: any(is('consent_from', 'adult_subject'), is('about', 'other')),
  },
  {
    id: 'ask-competent-child',
    text: 'Ask the child. Their consent counts as much as an adult’s. Make sure they understand what will be shared, with whom, the consequences and the alternatives.',
    citations: [S.context],
    appliesWhen: is('consent_from', 'competent_child'),
  },
  {
    id: 'ask-person-with-pr',
    text: 'Ask someone with parental responsibility for the child, but only if asking them will not put the child at extra risk.',
    citations: [S.context],
    appliesWhen: is('consent_from', 'parent_with_pr'),
  },
  {
    id: 'ask-permission-for-checks',
    text: 'Ask the child or parent for permission, explaining which agencies you will check with and why.',
    citations: [S.checks],
  },
  {
    id: 'consent-in-writing',
    text: 'Get the consent in writing where possible.',
    citations: [S.context],
  },
  {
    id: 'explain-consent-can-be-withdrawn',
    text: 'Tell them they can withdraw their consent at any stage.',
    citations: [S.context],
  },
  {
    id: 'confirm-consent-in-writing',
    text: 'The consent was given verbally: where possible, get it confirmed in writing, and record that it was verbal.',
    citations: [S.context, S.recording],
    appliesWhen: is('consent_in_writing', 'verbal_only'),
  },
  {
    id: 'competent-child-decides',
    text: 'Go by the child’s decision, not the parent’s: a competent child’s informed consent counts as much as an adult’s. Record both views.',
    citations: [S.context, S.recording],
    appliesWhen: is('consent_child', 'child_agreed_parent_refused', 'child_refused_parent_agreed'),
  },
  {
    id: 'do-not-go-back-to-parent',
    text: 'Don’t go back to the parent for consent, or tell them you are sharing, while that would put the child at extra risk. Record why.',
    citations: [S.context, S.recording],
    appliesWhen: is('consent_pr', 'refused_asking_adds_risk'),
  },
  {
    id: 'pr-disagreement-legal-advice',
    text: 'Ask your agency’s legal adviser how to proceed when people with parental responsibility disagree, and record each person’s position.',
    citations: [S.context, S.recording],
    appliesWhen: is('consent_pr', 'pr_disagree'),
  },
  {
    id: 'tell-recipient-consent-limits',
    text: 'Tell the recipient about the limits on the consent when you share (e.g. “not to be passed to the school”).',
    citations: [S.context],
    appliesWhen: is('consent_limits', 'limits_allow_this'),
  },
  {
    id: 'if-refused-reconsider',
    text: 'If they refuse, think about their reasons. If your concern still justifies it, you may share without consent: check again, answering “they refused”.',
    citations: [S.dfe, S.checks],
  },
  {
    id: 'if-refused-respect-it',
    text: 'If they refuse, respect that unless things change, e.g. you come to believe a child is at risk of significant harm.',
    citations: [S.commonLaw, S.dfe],
  },
  {
    id: 'stop-exchanging-now',
    text: 'Stop exchanging information about this person now.',
    citations: [S.context],
    appliesWhen: CONSENT_WITHDRAWN,
  },
  {
    id: 'do-not-rely-on-doubtful-consent',
    text: 'Don’t rely on the child’s consent while you are unsure they could give it. Your concern justifies sharing anyway. Get legal advice on their competence for next time.',
    citations: [S.context],
  },
  {
    id: 'seek-legal-advice-on-competence',
    text: 'Ask your agency’s legal adviser whether the child is competent to give (or refuse) consent.',
    citations: [S.context],
  },
  {
    id: 'consider-person-with-pr',
    text: 'Meanwhile, consider whether someone with parental responsibility could consent, if asking them would not add to the risk.',
    citations: [S.context],
  },

  // --- Sharing well: how much, how, and keeping it safe (§1, §2, §4) ---
  {
    id: 'share-only-what-is-needed',
    text: 'Share only what the other worker needs to know, with as few people as possible: no more than is needed to protect the child.',
    citations: [S.commonLaw, S.echr],
  },
  {
    id: 'extra-care-sensitive',
    text: 'Take particular care with the sensitive parts. Ask yourself what the other worker needs to know to make their judgement or provide their service, and leave out the rest.',
    citations: [S.context, S.dpa],
    appliesWhen: SENSITIVE,
  },
  {
    id: 'same-rules-inside-organisation',
    text: 'The same rules apply inside your own organisation as between agencies.',
    citations: [S.commonLaw],
    appliesWhen: is('recipient', 'same_organisation'),
  },
  {
    id: 'checks-only-relevant-agencies',
    text: 'Only contact agencies likely to hold relevant information, and ask only for what you need.',
    citations: [S.commonLaw, S.checks],
  },
  {
    id: 'record-what-was-said',
    text: 'Write down what was said in the call or meeting, as soon as you can.',
    citations: [S.exchanges],
    appliesWhen: is('channel', 'phone', 'in_person'),
  },
  {
    id: 'prefer-secure-system-to-email',
    text: 'Use a secure electronic system instead of ordinary internet email wherever possible.',
    citations: [S.exchanges],
    appliesWhen: is('channel', 'email'),
  },
  {
    id: 'police-email-secure-network-only',
    text: 'Thames Valley Police only exchange information by email over a secure network. Use a secure route, not ordinary email.',
    citations: [S.exchanges],
    appliesWhen: all(is('recipient', 'police'), is('channel', 'email')),
  },
  {
    id: 'email-confidentiality-warning',
    text: 'Put a confidentiality warning on any email carrying confidential information, secure email included.',
    citations: [S.exchanges],
    appliesWhen: is('channel', 'email', 'secure_system'),
  },
  {
    id: 'fax-only-if-absolutely-necessary',
    text: 'Only fax personal or sensitive information if it is absolutely necessary. Use a secure system if you can.',
    citations: [S.exchanges],
    appliesWhen: is('channel', 'fax'),
  },
  {
    id: 'fax-check-number',
    text: 'Check the fax number very carefully before sending, preferably with a colleague.',
    citations: [S.exchanges],
    appliesWhen: is('channel', 'fax'),
  },
  {
    id: 'fax-confirm-secure-handling',
    text: 'Get reassurance from the receiving agency that the fax will be handled securely, and record that reassurance.',
    citations: [S.exchanges],
    appliesWhen: is('channel', 'fax'),
  },
  {
    id: 'post-check-address',
    text: 'Check the name and address very carefully before posting.',
    citations: [S.exchanges],
    appliesWhen: is('channel', 'post'),
  },
  {
    id: 'protective-marking',
    text: 'Mark what you share with the appropriate protective marking.',
    citations: [S.security],
  },
  {
    id: 'store-securely',
    text: 'Store the information safely and securely. Whoever receives it is fully responsible for it while it is in their custody.',
    citations: [S.context, S.indemnity],
  },
  {
    id: 'record-under-agency-procedure',
    text: 'Record the exchange under your agency’s procedures. Both the worker asking and the worker providing must record it.',
    citations: [S.recording],
  },

  // --- When the answer is "get advice" (§1, §2 Caldicott Standards) ---
  {
    id: 'ask-manager-or-legal-adviser',
    text: 'Talk it through with your manager or your agency’s legal adviser before sharing. Each case depends on its own facts.',
    citations: [S.context],
  },
  {
    id: 'ask-caldicott-guardian',
    text: 'In Health or Children’s Social Care you can also ask your Caldicott Guardian.',
    citations: [S.caldicott],
  },
  {
    id: 'discuss-threshold',
    text: 'Discuss with your safeguarding lead whether the concern reaches significant harm. If it does, you can share without asking first.',
    citations: [S.dfe, S.furtherGuidance],
  },
  {
    id: 'follow-agency-procedure-out-of-scope',
    text: 'Follow your agency’s own information-sharing and data protection procedures. If the person it is about agrees to it being passed on, that authorises it: check again.',
    citations: [S.context, S.law, S.overall],
  },
  {
    id: 'ask-legal-adviser-about-duty',
    text: 'Ask your agency’s legal adviser whether the order or duty requires disclosure, and of exactly what. Share nothing on that basis until you know.',
    citations: [S.commonLaw, S.context],
  },
  {
    id: 'treat-as-confidential-meanwhile',
    text: 'Treat the information as confidential until you are sure it is not. Your manager or Caldicott Guardian can help you decide.',
    citations: [S.commonLaw, S.caldicott],
  },
  {
    id: 'do-not-wait-if-serious-harm',
    text: 'Don’t let the doubt delay protecting someone: if a child may be at risk of significant harm, or sharing is needed to prevent serious harm or serious crime, check again answering “None of these”. Those grounds can justify sharing without consent.',
    citations: [S.dfe, S.practice],
  },
];
