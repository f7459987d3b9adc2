/**
 * The default rule pack: "2.4 Information Sharing and Confidentiality" (updated October 2015),
 * as plain data. Load it through `loadRulePack` (see ../index.ts); never use it unvalidated.
 *
 * Version scheme: '<guidance year>.<month>-r<revision>'. Bump the revision for any change to
 * questions, option codes or rules: stored decisions are replayed against the version they were made under.
 */
import { is, S, GUIDANCE_SECTIONS } from './common';
import { practiceSteps } from './practiceSteps';
import { questions } from './questions';
import { followUps, recordRequirements } from './recording';
import { rules } from './rules';
import type { RulePackInput } from './schema';

export const SAFETY_LINES = [
  'If a child is in immediate danger, call 999.',
  'This is decision support, not a decision: when unsure, ask your manager, your agency’s legal adviser or the Caldicott Guardian.',
] as const;

export const rawRulePack: RulePackInput = {
  metadata: {
    version: '2015.10-r1',
    sourceTitle: '2.4 Information Sharing and Confidentiality (local safeguarding procedures, updated October 2015)',
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
    ],
  },
  safetyLines: [...SAFETY_LINES],
  questions,
  rules,
  practiceSteps,
  recordRequirements,
  followUps,
  derive: {
    // §4 Recording: sought and obtained / sought and refused / not sought (plus withdrawn, which the bot tracks).
    consentStatus: [
      { when: is('consent', 'withdrawn'), status: 'withdrawn' },
      { when: is('consent', 'refused'), status: 'sought_refused' },
      // Consent that excludes this exchange is, for this recipient, a refusal.
      { when: is('consent_limits', 'limits_exclude_this'), status: 'sought_refused' },
      { when: is('consent', 'given'), status: 'sought_obtained' },
    ],
    consentStatusDefault: 'not_sought',
    channelQuestion: 'channel',
  },
};
