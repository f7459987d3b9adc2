/**
 * The default rule pack: "2.4 Information Sharing and Confidentiality" (updated October 2015),
 * as plain data. Load it through `loadRulePack` (see ../index.ts); never use it unvalidated.
 *
 * Version scheme: '<guidance year>.<month>-r<revision>'. Bump the revision for any change to
 * questions, option codes or rules: stored decisions are replayed against the version they were made under.
 */
import {
  ALWAYS,
  all,
  CHECKS,
  CONSENT_GIVEN,
  CONSENT_REFUSED,
  CONSENT_WITHDRAWN,
  EXCHANGE_GOES_AHEAD,
  GUIDANCE_SECTIONS,
  is,
  LIMITS_EXCLUDE,
  not,
  S,
  SHARING,
  WITHOUT_CONSENT,
} from './common';
import { practiceSteps } from './practiceSteps';
import { questions } from './questions';
import { followUps, recordRequirements } from './recording';
import { followUpTexts, practiceReminders } from './reminders';
import { CALLER_VERIFIED_FIRST, NOT_ANONYMOUSLY, PROPORTIONATE } from './texts';
import { rules } from './rules';
import type { RulePackInput } from './schema';

export const SAFETY_LINES = [
  'If a child is in immediate danger, call 999.',
  'This is decision support, not a decision: when unsure, ask your manager, your agency’s legal adviser or the Caldicott Guardian.',
] as const;

export const rawRulePack: RulePackInput = {
  metadata: {
    id: '2015-local',
    version: '2015.10-r2',
    title: '2.4 Information Sharing and Confidentiality (local safeguarding procedures, updated October 2015)',
    status: 'published',
    sources: [
      {
        title: '2.4 Information Sharing and Confidentiality',
        section: 'Local safeguarding children procedures, chapter 2.4 (sections 1 to 7)',
        date: '2015-10',
      },
    ],
    sections: GUIDANCE_SECTIONS,
    legalNotes: [
      {
        id: 'dpa-1998-superseded',
        text: 'This pack keeps the 2015 guidance’s meaning, which refers to the Data Protection Act 1998. Since 25 May 2018 that Act has been replaced by the GDPR (now the UK GDPR) and the Data Protection Act 2018. Schedule 2 conditions broadly correspond to the UK GDPR Article 6 lawful bases: consent 6(1)(a), legal obligation 6(1)(c), vital interests 6(1)(d), public task 6(1)(e) and legitimate interests 6(1)(f), which public authorities cannot use for their official tasks. Schedule 3 conditions for “sensitive personal data” broadly correspond to Article 9 conditions for special category data, with DPA 2018 Schedule 1. For safeguarding sharing without consent the usual condition is DPA 2018 Schedule 1 paragraph 18, “safeguarding of children and of individuals at risk”. Criminal offence data now falls under Article 10 and DPA 2018 section 10 and Schedule 1. A later pack should restate the conditions in these terms after legal review.',
        citations: [S.dpa, S.law],
      },
      {
        id: 'subject-access-now-article-15',
        text: '§5.1 refers to subject access under section 7 of the DPA 1998. The right of access is now UK GDPR Article 15, with exemptions in DPA 2018 Schedule 2.',
        citations: [S.sar],
      },
      {
        id: 'protective-marking-replaced',
        text: 'The Government Protective Marking Scheme named in §4 was replaced by the Government Security Classifications (OFFICIAL, SECRET, TOP SECRET) in April 2014. Use the marking your agency uses now, e.g. OFFICIAL-SENSITIVE.',
        citations: [S.security],
      },
      {
        id: 'national-guidance-updated',
        text: 'The DfE advice cited (March 2015) and Working Together to Safeguard Children 2015 have been replaced by later editions. Check the current versions when revising this pack.',
        citations: [S.law, S.dfe],
      },
      {
        id: 'parental-responsibility-disagreement',
        text: 'Beyond the 2015 text: under the Children Act 1989 s.2(7) each person with parental responsibility may usually act alone, but the guidance does not say whose view prevails on consent to sharing when they disagree. This pack treats a disagreement as no consent unless the concern justifies sharing without it, and otherwise sends the practitioner to legal advice.',
        citations: [S.context, S.law],
      },
      {
        id: 'competent-child-gillick',
        text: 'Beyond the 2015 text: the test of a child’s competence in §1 (“sufficient emotional maturity and intellectual competence”) reflects the Gillick case (1985). The pack follows §1: a competent child’s consent or refusal counts as an adult’s, and a parent’s view does not override it for sharing the child’s own information.',
        citations: [S.context],
      },
    ],
  },
  safetyLines: [...SAFETY_LINES],
  questions,
  rules,
  practiceSteps,
  recordRequirements,
  followUps,
  practiceReminders,
  followUpTexts,
  // Applied to every outcome by their own condition, whatever the rule (§2 Common Law, §4). Rules add only their own.
  crossCutting: {
    conditions: [CALLER_VERIFIED_FIRST, { ...PROPORTIONATE, appliesWhen: EXCHANGE_GOES_AHEAD }, NOT_ANONYMOUSLY],
    practiceSteps: [
      // Any outcome: say nothing to an unverified caller; the same rules inside an organisation.
      { step: 'verify-caller-before-sharing', when: ALWAYS },
      { step: 'same-rules-inside-organisation', when: ALWAYS },
      { step: 'refer-in-own-name', when: is('anonymous', 'wants_anonymous') },
      { step: 'discuss-worries-about-being-named', when: is('anonymous', 'wants_anonymous') },
      // Consent withdrawn and nothing justifies going on: stop.
      { step: 'stop-exchanging-now', when: all(CONSENT_WITHDRAWN, not(EXCHANGE_GOES_AHEAD)) },
      // Whenever something is exchanged: how much, how, and keeping it safe (each step filters itself by channel etc.).
      { step: 'confirm-consent-in-writing', when: EXCHANGE_GOES_AHEAD },
      { step: 'tell-recipient-consent-limits', when: EXCHANGE_GOES_AHEAD },
      { step: 'share-only-what-is-needed', when: all(EXCHANGE_GOES_AHEAD, SHARING) },
      { step: 'extra-care-sensitive', when: EXCHANGE_GOES_AHEAD },
      { step: 'checks-only-relevant-agencies', when: all(EXCHANGE_GOES_AHEAD, CHECKS) },
      { step: 'record-what-was-said', when: EXCHANGE_GOES_AHEAD },
      { step: 'prefer-secure-system-to-email', when: EXCHANGE_GOES_AHEAD },
      { step: 'police-email-secure-network-only', when: EXCHANGE_GOES_AHEAD },
      { step: 'email-confidentiality-warning', when: EXCHANGE_GOES_AHEAD },
      { step: 'fax-only-if-absolutely-necessary', when: EXCHANGE_GOES_AHEAD },
      { step: 'fax-check-number', when: EXCHANGE_GOES_AHEAD },
      { step: 'fax-confirm-secure-handling', when: EXCHANGE_GOES_AHEAD },
      { step: 'post-check-address', when: EXCHANGE_GOES_AHEAD },
      { step: 'protective-marking', when: EXCHANGE_GOES_AHEAD },
      { step: 'store-securely', when: EXCHANGE_GOES_AHEAD },
      { step: 'record-under-agency-procedure', when: EXCHANGE_GOES_AHEAD },
    ],
    mustRecord: [
      { field: 'caseReference', when: ALWAYS },
      { field: 'recipient', when: EXCHANGE_GOES_AHEAD },
      { field: 'channel', when: EXCHANGE_GOES_AHEAD },
      { field: 'informationOutline', when: EXCHANGE_GOES_AHEAD },
      { field: 'consentStatus', when: EXCHANGE_GOES_AHEAD },
      // §4 Recording: without consent, the reasons and whether the person was told.
      { field: 'reasonsWithoutConsent', when: WITHOUT_CONSENT },
      { field: 'subjectInformed', when: WITHOUT_CONSENT },
    ],
    followUps: [
      { code: 'inform_subject_later', when: WITHOUT_CONSENT },
      { code: 'inform_all_parties_consent_withdrawn', when: ALWAYS },
    ],
  },
  derive: {
    // §4 Recording: sought and obtained / sought and refused / not sought (plus withdrawn, which the bot tracks).
    consentStatus: [
      { when: CONSENT_WITHDRAWN, status: 'withdrawn' },
      { when: CONSENT_REFUSED, status: 'sought_refused' },
      // Consent that excludes this exchange is, for this recipient, a refusal.
      { when: LIMITS_EXCLUDE, status: 'sought_refused' },
      { when: CONSENT_GIVEN, status: 'sought_obtained' },
      // Express authorisation by the person the duty is owed to is their consent (§2 Common Law).
      { when: is('exception', 'authorised_expressly'), status: 'sought_obtained' },
    ],
    consentStatusDefault: 'not_sought',
    channelQuestion: 'channel',
    recipientQuestion: 'recipient',
  },
};
