/** Plain-words labels for the decision codes (records lists, the team summary); storage and CSV keep the codes. */
import type { DecisionCode } from '../../domain/contract';

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
