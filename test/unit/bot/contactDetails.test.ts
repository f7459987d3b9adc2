/**
 * The "no contact details" check (src/bot/contactDetails.ts) both ways, over the corpus in
 * test/fixtures/contactDetailsCorpus.ts: every disguised email address or phone number is found
 * (and named correctly), and no innocent record wording is refused. The same check runs through
 * the record form, so the form is tried with the corpus too.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findContactDetail } from '../../../src/bot/contactDetails';
import { validateRecordForm } from '../../../src/bot/features/questionnaire/recordForm';
import { evaluate, rulePack } from '../../../src/domain';
import { RECORD_FORM, SHARE_WITHOUT_ASKING } from '../../support/scenarios';
import { DISGUISED, INNOCENT } from '../../fixtures/contactDetailsCorpus';

describe('contact details: the disguise corpus', () => {
  it('has at least 50 disguised and 50 innocent texts', () => {
    assert.ok(DISGUISED.length >= 50, `${DISGUISED.length} disguised`);
    assert.ok(INNOCENT.length >= 50, `${INNOCENT.length} innocent`);
  });

  it('finds every disguised email address and phone number', () => {
    const missed = DISGUISED.filter(([text, kind]) => findContactDetail(text) !== kind).map(
      ([text, kind]) => `${kind}: ${JSON.stringify(text)} → ${findContactDetail(text)}`,
    );
    assert.deepEqual(missed, []);
  });

  it('accepts every innocent text (dates, times, case references, "at school")', () => {
    const refused = INNOCENT.filter((text) => findContactDetail(text) !== undefined).map(
      (text) => `${JSON.stringify(text)} → ${findContactDetail(text)}`,
    );
    assert.deepEqual(refused, []);
  });

  it('finds a disguised detail wherever it sits among innocent text', () => {
    for (const [text, kind] of DISGUISED) {
      assert.equal(findContactDetail(`${INNOCENT[0]} ${text}. ${INNOCENT[1]}`), kind, text);
    }
  });

  it('the record form refuses each disguised text and keeps each innocent one, in every free-text field', () => {
    const result = evaluate(rulePack, SHARE_WITHOUT_ASKING);
    assert.equal(result.kind, 'outcome');
    const outcome = result.outcome;
    const fields = {
      reasonsWithoutConsent: 1000,
      recipientRole: 80,
      informationOutline: 500,
      subjectNotInformedReason: 500,
      purposeDetail: 200,
      riskOfNotSharing: 1000,
      reasonForNotSharing: 1000,
    } as const;
    const base = {
      ...RECORD_FORM,
      subjectInformed: 'not_informing',
      subjectNotInformedReason: 'Telling them would put the child at risk.',
    };
    assert.ok(validateRecordForm(base, outcome).ok);
    for (const [field, max] of Object.entries(fields)) {
      for (const [text, kind] of DISGUISED) {
        const r = validateRecordForm({ ...base, [field]: text }, outcome);
        assert.ok(
          !r.ok && r.problems.some((p) => p.includes(`remove the ${kind}`)),
          `${field} accepted ${JSON.stringify(text)}`,
        );
      }
      for (const text of INNOCENT.filter((t) => t.length <= max)) {
        const r = validateRecordForm({ ...base, [field]: text }, outcome);
        assert.ok(r.ok, `${field} refused ${JSON.stringify(text)}: ${r.ok ? '' : r.problems.join(' ')}`);
      }
    }
  });
});
