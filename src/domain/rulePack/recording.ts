/**
 * What must be written down (§4 Recording of Information Sought and Shared) and what must happen
 * afterwards. Fields match the contract's RecordFieldCode so the bot can build its record form.
 */
import { all, CONSENT_WITHDRAWN, is, not, S } from './common';
import type { RulePackInput } from './schema';

type RecordInput = RulePackInput['recordRequirements'][number];
type FollowUpInput = RulePackInput['followUps'][number];
type RecordField = RecordInput['field'];

export const recordRequirements: RecordInput[] = [
  { field: 'caseReference', text: 'Your agency’s case reference (no names).', citations: [S.recording] },
  {
    field: 'consentStatus',
    text: 'Whether consent was sought and obtained, sought and refused, or not sought.',
    citations: [S.recording],
  },
  { field: 'recipient', text: 'Who asked for or received the information: agency and role.', citations: [S.recording] },
  { field: 'channel', text: 'How it was exchanged.', citations: [S.recording, S.exchanges] },
  { field: 'informationOutline', text: 'What was shared, in outline.', citations: [S.recording] },
  {
    field: 'reasonsWithoutConsent',
    text: 'Your reasons for sharing without consent, made clear.',
    citations: [S.recording],
  },
  {
    field: 'subjectInformed',
    text: 'Whether the person was later told the information was shared and, if not, why not.',
    citations: [S.recording],
  },
];

/** Any exchange: who, how, what, and the consent position. */
export const RECORD_EXCHANGE: RecordField[] = [
  'caseReference',
  'consentStatus',
  'recipient',
  'channel',
  'informationOutline',
];
/** Shared without consent: also the reasons, and whether the person was told afterwards. */
export const RECORD_WITHOUT_CONSENT: RecordField[] = [...RECORD_EXCHANGE, 'reasonsWithoutConsent', 'subjectInformed'];
/** Nothing exchanged (yet): the case and where consent stands. */
export const RECORD_DECISION_ONLY: RecordField[] = ['caseReference', 'consentStatus'];

/**
 * Telling the person later is safe unless not asking was itself about risk or a criminal
 * investigation, or going back to the parent would put the child at extra risk (§1).
 */
export const INFORMING_IS_SAFE = all(
  not(is('why_not_ask', 'would_increase_risk', 'would_impede_investigation')),
  not(is('checks_why_no_permission', 'would_increase_risk', 'would_impede_investigation')),
  not(is('consent_pr', 'refused_asking_adds_risk')),
);

export const followUps: FollowUpInput[] = [
  {
    code: 'inform_subject_later',
    text: 'Tell the person that their information was shared without their consent, once it is safe to do so, and record whether you did.',
    citations: [S.recording],
    // Not offered when the reason for not asking was risk or a criminal investigation: telling them would carry the
    // same risk.
    appliesWhen: INFORMING_IS_SAFE,
  },
  {
    code: 'inform_all_parties_consent_withdrawn',
    text: 'Tell every professional you have exchanged information with about this person that consent has been withdrawn, as soon as possible.',
    citations: [S.context],
    appliesWhen: CONSENT_WITHDRAWN,
  },
];
