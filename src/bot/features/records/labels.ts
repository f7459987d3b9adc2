/** Plain-words labels for the codes stored in records (used on cards; the CSV keeps the codes). */
import type { DecisionCode, FollowUpCode } from '../../../domain/contract';
import type { RecordKind } from '../../../storage/contract';
import { CHANNEL_CHOICES, CONSENT_STATUS_CHOICES, RECIPIENT_AGENCY_CHOICES, titleOf } from '../../kit/choices';

export const DECISION_LABELS: Record<DecisionCode, string> = {
  share_with_consent: 'Share with consent',
  share_not_confidential_or_authorised: 'Share — not confidential or already authorised',
  share_legal_obligation: 'Share — legal obligation',
  share_without_consent_justified: 'Share without consent — justified',
  seek_consent_first: 'Seek consent first',
  do_not_share: 'Do not share',
  seek_advice: 'Seek advice',
  police_disclosure_scheme: 'Police disclosure scheme',
  contact_originating_agency: 'Contact the originating agency',
};

export const KIND_LABELS: Record<RecordKind, string> = {
  decision: 'Decision',
  follow_up_subject_informed: 'Follow-up: person told',
  consent_withdrawn: 'Consent withdrawn',
  follow_up_party_informed: 'Follow-up: recipient told consent was withdrawn',
  correction: 'Correction by its practitioner',
  urgent_share: 'Urgent share (shared now, decision recorded after)',
};

export const FOLLOW_UP_LABELS: Record<FollowUpCode, string> = {
  inform_subject_later: 'Tell the person',
  inform_all_parties_consent_withdrawn: 'Tell recipients consent was withdrawn',
};

export const consentLabel = (code: string) => titleOf(CONSENT_STATUS_CHOICES, code) ?? code;
export const agencyLabel = (code: string | undefined) => titleOf(RECIPIENT_AGENCY_CHOICES, code);
export const channelLabel = (code: string | undefined) => titleOf(CHANNEL_CHOICES, code);
