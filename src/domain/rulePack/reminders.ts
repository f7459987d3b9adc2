/**
 * Guidance wording the bot sends outside the questionnaire: the practice reminders a team channel
 * can schedule, and the texts on the follow-up cards and the weekly digest. Each is drawn from a
 * requirement of the guidance and cites it, so a reminder never says more than the guidance does.
 * Texts only: changing them changes no decision, so they do not bump the pack version.
 */
import { S } from './common';
import type { RulePackInput } from './schema';

export const practiceReminders: RulePackInput['practiceReminders'] = [
  {
    code: 'verify-callers',
    title: 'Verify callers before you share',
    text: 'Unless you already know them, verify anyone who phones asking for information by calling their agency back before you divulge anything.',
    citations: [S.exchanges],
  },
  {
    code: 'secure-email',
    title: 'Use secure email, with a confidentiality warning',
    text: 'Send confidential information by a secure electronic system wherever possible, not by internet email, and put a confidentiality warning on emails that contain it.',
    citations: [S.exchanges],
  },
  {
    code: 'record-consent',
    title: 'Record consent status',
    text: 'Every record of information sought or shared must say whether consent was sought and obtained, sought and refused, or not sought; if shared without consent, record why and whether the person was later told.',
    citations: [S.recording],
  },
  {
    code: 'record-phone',
    title: 'Record what you relay by phone or in person',
    text: 'Make a record of any information you relay by phone or in person.',
    citations: [S.exchanges],
  },
  {
    code: 'fax-check',
    title: 'Fax only when absolutely necessary',
    text: 'Fax personal and sensitive information only when absolutely necessary; check the number very carefully (preferably with a colleague) and record reassurance about how the other agency will handle it.',
    citations: [S.exchanges],
  },
  {
    code: 'consent-withdrawn',
    title: 'When consent is withdrawn, tell everyone you shared with',
    text: 'Consent can be withdrawn at any stage. If it is, inform all professional parties involved as soon as possible; sharing should stop unless there is justification to continue without consent. Type "withdraw consent <case ref>" to see whom to tell.',
    citations: [S.context],
  },
  {
    code: 'proportionality',
    title: 'Share only what they need to know',
    text: 'Apply proportionality: share no more information, with no more people, than is necessary to protect the child — take particular care with sensitive information.',
    citations: [S.context, S.commonLaw],
  },
  {
    code: 'protective-marking',
    title: 'Mark what you share',
    text: 'Any information you share should carry the appropriate protective marking.',
    citations: [S.security],
  },
];

export const followUpTexts: RulePackInput['followUpTexts'] = {
  personNotTold: {
    text: 'The guidance (§4 Recording of Information Sought and Shared) requires the record of a share without consent to say whether the person was subsequently informed.',
    citations: [S.recording],
  },
  consentWithdrawn: {
    text: 'Consent can be withdrawn at any stage. All professional parties involved in the information exchange must be informed as soon as possible, and sharing should stop unless there is justification to continue without consent (§1).',
    citations: [S.context],
  },
  digest: {
    text: 'Guidance §4 Recording: the record must say whether the person was subsequently informed.',
    citations: [S.recording],
  },
};
