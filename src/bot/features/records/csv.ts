/**
 * CSV export rows. Codes stay codes (a spreadsheet filters on them); every cell that a spreadsheet
 * could read as a formula is neutralised (OWASP "CSV injection"): a leading = + - @ (or tab / CR,
 * which some spreadsheets strip before looking) gets a single quote in front.
 */
import type { StoredRecord } from '../../../storage/contract';

export const CSV_COLUMNS = [
  'record_id',
  'recorded_at',
  'kind',
  'parent_id',
  'decision',
  'rule_id',
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
] as const;

const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export function csvRow(r: StoredRecord): string[] {
  const cells = [
    r.id,
    r.recordedAt,
    r.kind,
    r.parentId ?? '',
    r.decision,
    r.ruleId,
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
  ];
  return cells.map(neutraliseCell);
}
