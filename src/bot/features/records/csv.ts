/**
 * CSV export rows. Codes stay codes (a spreadsheet filters on them); every cell that a spreadsheet
 * could read as a formula is neutralised (OWASP "CSV injection"): a leading = + - @ (or tab / CR,
 * which some spreadsheets strip before looking) gets a single quote in front.
 *
 * The check looks at the cell's NFKC form after any leading white space and invisible characters,
 * because spreadsheets fold full-width "＝＋－＠" (and small forms such as "﹦") to the ASCII signs,
 * and a dash or minus sign of any kind can start a formula too. Records written before text was
 * sanitised at the boundary may still hold control or bidi characters: they are removed here too.
 */
import { rulePackIdOf, type StoredRecord } from '../../../storage/contract';
import { cleanUserText } from '../../userText';

export const CSV_COLUMNS = [
  'record_id',
  'recorded_at',
  'kind',
  'parent_id',
  'decision',
  'rule_id',
  'rule_pack_id',
  'rule_pack_version',
  'consent_status',
  'reasons_without_consent',
  'recipient_agency',
  'recipient_role',
  'channel',
  'information_outline',
  'subject_informed',
  'subject_not_informed_reason',
  'case_reference',
  'decided_by_name',
  'decided_by_aad_object_id',
  'team_id',
  'open_follow_ups',
  'purpose',
  'purpose_detail',
  'risk_of_not_sharing',
  'reason_for_not_sharing',
  'decider_role',
  'review_by',
  'correction_reason',
  'corrected_fields',
] as const;

const RAW_FORMULA_START = /^[\t\r]/;
const SKIPPED = /^[\s\p{Cc}\p{Cf}\p{Mn}]$/u;
/** = + @ and every dash or minus sign, once the character is in its NFKC form. */
const FORMULA_SIGN = /^[=+@\p{Pd}\u2212]/u;

export function neutraliseCell(value: string): string {
  if (RAW_FORMULA_START.test(value)) return `'${value}`;
  return FORMULA_SIGN.test(firstVisible(value).normalize('NFKC')) ? `'${value}` : value;
}

/** The first character that is not white space or invisible ('' if none): one pass, stops at the first. */
function firstVisible(value: string): string {
  for (const ch of value) if (!SKIPPED.test(ch)) return ch;
  return '';
}

/** A stored text as it goes into a cell: control and bidi characters removed (line breaks kept). */
export function exportText(value: string): string {
  return neutraliseCell(cleanUserText(value, { multiline: true }));
}

export function csvRow(r: StoredRecord): string[] {
  const cells = [
    r.id,
    r.recordedAt,
    r.kind,
    r.parentId ?? '',
    r.decision,
    r.ruleId,
    rulePackIdOf(r),
    r.rulePackVersion,
    r.consentStatus,
    r.reasonsWithoutConsent ?? '',
    r.recipientAgency ?? '',
    r.recipientRole ?? '',
    r.channel ?? '',
    r.informationOutline ?? '',
    r.subjectInformed,
    r.subjectNotInformedReason ?? '',
    r.caseReference,
    r.decidedBy.name,
    r.decidedBy.aadObjectId,
    r.scope.teamId ?? '',
    r.openFollowUps.join(';'),
    // Added later: blank on records written before these were asked.
    r.purpose ?? '',
    r.purposeDetail ?? '',
    r.riskOfNotSharing ?? '',
    r.reasonForNotSharing ?? '',
    r.deciderRole ?? '',
    r.reviewBy ?? '',
    r.correctionReason ?? '',
    (r.correctedFields ?? []).join(';'),
  ];
  return cells.map(exportText);
}
