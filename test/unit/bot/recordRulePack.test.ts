/**
 * Every view of a record names the rule pack it was decided under: the manager list and case
 * view and "my decisions" (one row view), the CSV export and the case notes. Records written
 * before tenants chose packs have no rulePackId and were all decided under the 2015 chapter.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CSV_COLUMNS, csvRow } from '../../../src/bot/features/records/csv';
import { rowView } from '../../../src/bot/features/records/views';
import { caseNotesText } from '../../../src/bot/features/questionnaire/caseNotes';
import { evaluate, rulePack } from '../../../src/domain';
import type { StoredRecord } from '../../../src/storage/contract';
import { newRecord } from '../../support/records';
import { SHARE_WITHOUT_ASKING } from '../../support/scenarios';

const stored = (overrides: Partial<StoredRecord> = {}): StoredRecord =>
  JSON.parse(
    JSON.stringify({ ...newRecord(), id: 'D-20261102-ABCDE1', recordedAt: '2026-11-02T09:00:00.000Z', ...overrides }),
  ) as StoredRecord;

const cell = (r: StoredRecord, name: (typeof CSV_COLUMNS)[number]) => csvRow(r)[CSV_COLUMNS.indexOf(name)];

test('a record decided under a chosen pack shows that pack and version', () => {
  const r = stored({ rulePackId: 'england-2024', rulePackVersion: '2024.05-r1' });
  assert.match(rowView(r).outcome, /rules england-2024 2024\.05-r1$/);
  assert.equal(cell(r, 'rule_pack_id'), 'england-2024');
  assert.equal(cell(r, 'rule_pack_version'), '2024.05-r1');
});

test('an older record without a pack id is shown as the 2015 pack', () => {
  const r = stored({ rulePackVersion: '2015.10-r1' });
  assert.equal('rulePackId' in r, false);
  assert.match(rowView(r).outcome, /rules 2015-local 2015\.10-r1$/);
  assert.equal(cell(r, 'rule_pack_id'), '2015-local');
});

test("case notes name the pack's own title, by default the 2015 chapter's", () => {
  const result = evaluate(rulePack, SHARE_WITHOUT_ASKING);
  assert.equal(result.kind, 'outcome');
  const r = stored({ rulePackId: 'england-2024', rulePackVersion: '2024.05-r1' });
  const notes = caseNotesText(r, result.outcome, 'Information sharing (DfE, May 2024)');
  assert.match(notes, /Guidance: Information sharing \(DfE, May 2024\); rule .*, rule pack england-2024 2024\.05-r1\./);
  assert.match(
    caseNotesText(stored(), result.outcome),
    new RegExp(`Guidance: ${rulePack.metadata.title.replace(/[.()]/g, '\\$&')};`),
  );
});
