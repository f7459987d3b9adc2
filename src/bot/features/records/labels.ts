/** Plain-words labels for the codes stored in records (used on cards; the CSV keeps the codes). */
import type { FollowUpCode } from '../../../domain/contract';
import type { RecordKind } from '../../../storage/contract';
import { CHANNEL_CHOICES, CONSENT_STATUS_CHOICES, RECIPIENT_AGENCY_CHOICES, titleOf } from '../../kit/choices';

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
