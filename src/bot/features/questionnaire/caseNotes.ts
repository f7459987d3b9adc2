/**
 * "Copy for case notes": a plain, compact summary of a recorded decision for the practitioner to
 * paste into their agency's case-management system (§4: each agency records under its own
 * procedures). It holds only what the record holds, plus the outcome's reasons and citations from
 * the rule pack — never the practitioner's name, and nothing typed that was not recorded.
 *
 * Plain text (no markdown): it is the value of a multi-line text input, which shows text as typed.
 */
import { rulePack as defaultPack } from '../../../domain';
import type { Outcome } from '../../../domain/contract';
import { rulePackIdOf, type StoredRecord } from '../../../storage/contract';
import { citeText } from '../../cards/format';
import {
  CHANNEL_CHOICES,
  CONSENT_STATUS_CHOICES,
  DECIDER_ROLE_CHOICES,
  PURPOSE_CHOICES,
  SUBJECT_INFORMED_CHOICES,
  recipientTitle,
  titleOf,
} from '../../kit/choices';

/** The pack a record was decided under, as "<id> <version>" (records from before packs were chosen: the 2015 pack). */
export const packLabel = (record: StoredRecord): string => `${rulePackIdOf(record)} ${record.rulePackVersion}`;

/**
 * One line per recorded value; recorded text is flattened to a single line so the summary stays
 * compact (split on line breaks, then trimmed: linear-time, on text the record form has bounded).
 */
const oneLine = (text: string) =>
  text
    .split(/\r\n|\r|\n/)
    .map((part) => part.trim())
    .filter(Boolean)
    .join(' ');
const line = (label: string, value: string | undefined) => (value ? [`${label}: ${oneLine(value)}`] : []);

/** `guidance`: the title of the pack the decision was made under (its metadata); by default the 2015 pack's. */
export function caseNotesText(record: StoredRecord, outcome: Outcome, guidance = defaultPack.metadata.title): string {
  const purpose = titleOf(PURPOSE_CHOICES, record.purpose);
  return [
    `Information-sharing decision, record ${record.id} (recorded ${record.recordedAt.slice(0, 16).replace('T', ' ')} UTC)`,
    ...line('Case reference', record.caseReference),
    ...line('Decision', outcome.title),
    ...line(
      'Purpose',
      purpose && record.purposeDetail ? `${purpose} — ${record.purposeDetail}` : (purpose ?? record.purposeDetail),
    ),
    ...line('Consent', titleOf(CONSENT_STATUS_CHOICES, record.consentStatus)),
    ...line('Reasons for sharing without consent', record.reasonsWithoutConsent),
    ...line('Risk if not shared', record.riskOfNotSharing),
    ...line('Reason for not sharing', record.reasonForNotSharing),
    ...line('Shared with', recipientTitle(record)),
    ...line('How', titleOf(CHANNEL_CHOICES, record.channel)),
    ...line('What, in outline', record.informationOutline),
    ...line('Person told', titleOf(SUBJECT_INFORMED_CHOICES, record.subjectInformed)),
    ...line('Why not told', record.subjectNotInformedReason),
    ...line('Review by', record.reviewBy),
    ...line('Decided by (role)', titleOf(DECIDER_ROLE_CHOICES, record.deciderRole)),
    'Why:',
    ...outcome.reasons.map((r) => `- ${r.text} (${citeText(r.citations)})`),
    `Guidance: ${guidance}; rule ${record.ruleId}, rule pack ${packLabel(record)}.`,
  ].join('\n');
}
