/**
 * Citations on cards name each pack's own sources: a local chapter's numbered sections carry "§",
 * a national source is shown as named, and the recording duty on the outcome and correction cards is
 * the one the pack in use states (not the 2015 chapter's §4 on every pack).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { completePaths, evaluate, rulePackById, type RulePack } from '../../../src/domain';
import { citeText, recordingCitations } from '../../../src/bot/cards/format';
import { outcomeCard } from '../../../src/bot/features/questionnaire/views';
import { correctionCard } from '../../../src/bot/features/questionnaire/corrections';
import { cardText } from '../../support/botHarness';
import { newRecord } from '../../support/records';
import type { StoredRecord } from '../../../src/storage/contract';

function pack(id: string): RulePack {
  const found = rulePackById(id);
  assert.ok(found, `pack ${id} is installed`);
  return found;
}

/** The first decision outcome of `p` that requires something to be recorded. */
function outcomeOf(p: RulePack) {
  for (const answers of completePaths(p)) {
    const result = evaluate(p, answers);
    if (result.kind === 'outcome' && result.outcome.mustRecord.length > 0) return { answers, outcome: result.outcome };
  }
  throw new Error(`no outcome of ${p.metadata.id} requires a record`);
}

const state = (p: RulePack, answers: Readonly<Record<string, string>>) => ({
  p: p.metadata.id,
  v: p.metadata.version,
  a: { ...answers },
  o: '00000000-0000-4000-8000-0000000000aa',
  i: '00000000-0000-4000-8000-000000000001',
});

const storedRecord = (p: RulePack): StoredRecord => ({
  ...newRecord({ rulePackId: p.metadata.id, rulePackVersion: p.metadata.version }),
  id: 'D-20261202-7F3KQ2',
  recordedAt: '2026-12-02T09:00:00.000Z',
});

describe('citations on cards', () => {
  it('a numbered local section carries "§"; a named national source does not', () => {
    assert.equal(citeText([{ section: '4', heading: 'Recording' }]), '§4 Recording');
    assert.equal(
      citeText([{ section: 'UK GDPR Art. 6(1)(e)', heading: 'Public task' }]),
      'UK GDPR Art. 6(1)(e) Public task',
    );
  });

  for (const [id, expected, foreign] of [
    ['2015-local', /§4 Recording of Information Sought and Shared/, /golden rule/],
    ['england-2024', /DfE 2024, golden rule 7/, /§4 Recording of Information Sought and Shared/],
  ] as const) {
    it(`${id}: the outcome and correction cards cite that pack's own recording duty`, () => {
      const p = pack(id);
      const { answers, outcome } = outcomeOf(p);
      const outcomeText = cardText(outcomeCard(state(p, answers), outcome));
      assert.ok(outcomeText.includes(recordingCitations(outcome.mustRecord)));
      assert.match(outcomeText, expected);
      assert.doesNotMatch(outcomeText, foreign);
      const record = storedRecord(p);
      const correctionText = cardText(correctionCard(record, new Date('2026-12-02T10:00:00Z')));
      assert.match(correctionText, expected);
      assert.doesNotMatch(correctionText, foreign);
    });
  }
});
