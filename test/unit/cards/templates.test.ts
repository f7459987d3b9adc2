/**
 * Every card template, expanded with realistic data from the real rule pack, must parse cleanly
 * with the Adaptive Cards parser, be schema 1.5, label every input and leave no `${…}` behind.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RULE_PACK_VERSION, evaluate, rulePack } from '../../../src/domain';
import { validateAnswers } from '../../../src/domain/path';
import { renderCard, templateNames, UnresolvedTemplateError } from '../../../src/bot/cards/templates';
import { cardFor, messageCard, outcomeCard, recordedCard } from '../../../src/bot/features/questionnaire/views';
import { welcomeCard } from '../../../src/bot/features/welcome';
import { allFeatures } from '../../../src/bot/features';
import type { StoredRecord } from '../../../src/storage/contract';
import { cardProblems } from '../../support/cardValidation';
import { plainCard, renderedOr } from '../../../src/bot/cards/fallback';
import { oneAnswerSetPerRule } from '../../support/paths';
import { cardText } from '../../support/botHarness';
import { correctionCard } from '../../../src/bot/features/questionnaire/corrections';

/** Teams refuses a message over about 28 KB; a card should stay well under it. */
const CARD_BUDGET_BYTES = 20_000;
const bytes = (card: unknown) => Buffer.byteLength(JSON.stringify(card), 'utf8');
const inputIds = (card: unknown): string[] => {
  const ids: string[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (typeof o.type === 'string' && o.type.startsWith('Input.')) ids.push(String(o.id));
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return ids;
};
const inputOf = (card: unknown, id: string): Record<string, unknown> | undefined => {
  let found: Record<string, unknown> | undefined;
  const walk = (n: unknown) => {
    if (found) return;
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (o.id === id && typeof o.type === 'string' && o.type.startsWith('Input.')) found = o;
      else Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return found;
};

const state = (a: Record<string, string> = {}) => ({
  v: RULE_PACK_VERSION,
  a,
  o: 'aad-user-1',
  i: '0b9d7c1e-3f47-4a8e-9b1d-2c5e6f7a8b90',
});
const outcomes = oneAnswerSetPerRule(rulePack);
const anyOutcome = () => {
  const first = [...outcomes.values()][0];
  assert.ok(first, 'the case table reaches at least one outcome');
  return first;
};

describe('card templates', () => {
  it('the welcome card is valid and carries the immediate-danger line', () => {
    const card = welcomeCard(allFeatures.flatMap((f) => f.commands));
    assert.deepEqual(cardProblems(card), []);
    assert.match(cardText(card), /999/);
  });

  it('the first question card is valid, labelled, and shows progress', () => {
    const first = evaluate(rulePack, {});
    assert.equal(first.kind, 'question');
    const card = cardFor(state(), first);
    assert.deepEqual(cardProblems(card), []);
    assert.match(cardText(card), /question 1 of at most \d+/);
  });

  it('shows each question once: as the choice set’s label, with no duplicate heading', () => {
    const first = evaluate(rulePack, {});
    assert.ok(first.kind === 'question');
    const card = cardFor(state(), first) as unknown as { body: Array<Record<string, unknown>> };
    const choiceSet = card.body.find((e) => e.type === 'Input.ChoiceSet');
    assert.equal(choiceSet?.label, first.question.text, 'the input is labelled with the question');
    const textBlocks = JSON.stringify(card.body.filter((e) => e.type !== 'Input.ChoiceSet'));
    assert.ok(!textBlocks.includes(JSON.stringify(first.question.text)), 'the question text appears only as the label');
    assert.equal(cardText(card).split(first.question.text).length - 1, 1, 'the question text appears once on the card');
  });

  it('the record form is pre-filled with the agency and channel answered after the answer', () => {
    const answers = {
      route: 'sharing_out',
      about: 'child_health_development_harm',
      exception: 'court_order',
      channel: 'fax',
      recipient: 'police',
      anonymous: 'named',
      sensitive: 'no',
    };
    const result = evaluate(rulePack, answers);
    assert.ok(result.kind === 'outcome');
    const card = outcomeCard(state(answers), result.outcome);
    assert.deepEqual(cardProblems(card), []);
    const inputs = new Map<string, unknown>();
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        const o = node as Record<string, unknown>;
        if (typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.id === 'string')
          inputs.set(o.id, o.value);
        Object.values(o).forEach(walk);
      }
    };
    walk(card);
    assert.equal(inputs.get('recipientAgency'), 'police');
    assert.equal(inputs.get('channel'), 'fax');
  });

  it('a tailoring question card shows the answer already reached, and progress for the tailoring questions', () => {
    const answers = {
      route: 'responding_to_request',
      about: 'child_health_development_harm',
      exception: 'not_confidential',
    };
    const result = evaluate(rulePack, answers);
    assert.ok(result.kind === 'question' && result.answer);
    const card = cardFor(state(answers), result);
    assert.deepEqual(cardProblems(card), []);
    const text = cardText(card);
    assert.match(text, /The answer/);
    assert.ok(text.includes(result.answer.title));
    assert.match(text, /question 1 of at most \d+ to tailor/);
    // A decision question card carries no answer.
    const first = evaluate(rulePack, {});
    assert.ok(first.kind === 'question');
    assert.doesNotMatch(cardText(cardFor(state(), first)), /The answer/);
  });

  it('every question on the way to every outcome renders a valid card', () => {
    let checked = 0;
    for (const { answers } of outcomes.values()) {
      const partial: Record<string, string> = {};
      for (const [q, code] of Object.entries(validateAnswers(rulePack, answers))) {
        const result = evaluate(rulePack, partial);
        assert.equal(result.kind, 'question');
        assert.deepEqual(cardProblems(cardFor(state(partial), result)), [], `question ${q}`);
        partial[q] = code;
        checked++;
      }
    }
    assert.ok(checked > outcomes.size, `checked ${checked} question cards`);
  });

  it('every rule’s outcome card is valid, cites the guidance and offers the record form', () => {
    assert.equal(outcomes.size, rulePack.rules.length, 'an outcome card for every rule');
    for (const [ruleId, { answers, outcome }] of outcomes) {
      const card = outcomeCard(state(answers), outcome);
      assert.deepEqual(cardProblems(card), [], `rule ${ruleId}`);
      const text = cardText(card);
      assert.match(text, /§\d/, `rule ${ruleId} cites a section`);
      assert.ok(text.includes(outcome.title), `rule ${ruleId} shows its title`);
      assert.match(text, /999/, `rule ${ruleId} shows the immediate-danger line`);
      assert.ok(JSON.stringify(card).includes('"caseReference"'), `rule ${ruleId} asks for a case reference`);
    }
  });

  it('an outcome card re-rendered after a failed save keeps the typed values and shows the notice', () => {
    const { answers, outcome } = anyOutcome();
    const card = outcomeCard(state(answers), outcome, {
      idempotencyKey: '6f1f4f57-6f38-4c1a-9d5c-0d7b0c0f7a11',
      notice: 'NOT SAVED: try again',
      values: { caseReference: 'CSC-123', informationOutline: 'attendance this term' },
    });
    assert.deepEqual(cardProblems(card), []);
    const json = JSON.stringify(card);
    assert.ok(json.includes('CSC-123'));
    assert.ok(json.includes('6f1f4f57-6f38-4c1a-9d5c-0d7b0c0f7a11'), 'the same idempotency key is kept');
    assert.match(cardText(card), /NOT SAVED/);
  });

  it('the recorded card is valid and shows the record id', () => {
    const { answers, outcome } = anyOutcome();
    const record: StoredRecord = {
      id: 'D-20261126-7F3KQ2',
      recordedAt: '2026-11-26T10:15:00.000Z',
      idempotencyKey: '6f1f4f57-6f38-4c1a-9d5c-0d7b0c0f7a11',
      kind: 'decision',
      scope: { tenantId: 't', conversationId: 'c', conversationKind: 'personal' },
      decidedBy: { aadObjectId: 'aad-user-1', name: 'A Practitioner' },
      rulePackVersion: RULE_PACK_VERSION,
      ruleId: outcome.ruleId,
      decision: outcome.decision,
      answers,
      consentStatus: 'not_sought',
      recipientAgency: 'police',
      recipientRole: 'public protection officer',
      channel: 'secure_system',
      subjectInformed: 'will_inform',
      caseReference: 'CSC-2026-0042',
      openFollowUps: ['inform_subject_later'],
    };
    const card = recordedCard(state(answers), record, outcome, false);
    assert.deepEqual(cardProblems(card), []);
    assert.match(cardText(card), /D-20261126-7F3KQ2/);
  });

  it('the record form asks the purpose (pre-filled), the decider’s role and the review date, and the risk or reason where they apply', () => {
    const now = new Date('2026-11-27T09:00:00Z');
    for (const { answers, outcome } of outcomes.values()) {
      const card = outcomeCard(state(answers), outcome, { now });
      assert.deepEqual(cardProblems(card), [], outcome.ruleId);
      assert.ok(bytes(card) < CARD_BUDGET_BYTES, `${outcome.ruleId}: ${bytes(card)} bytes`);
      const ids = inputIds(card);
      for (const id of ['purpose', 'purposeDetail', 'deciderRole', 'reviewBy'])
        assert.ok(ids.includes(id), `${outcome.ruleId}: asks ${id}`);
      assert.equal(
        ids.includes('reasonForNotSharing'),
        outcome.decision === 'do_not_share',
        `${outcome.ruleId}: reason for not sharing`,
      );
      if (outcome.decision === 'share_without_consent_justified')
        assert.ok(ids.includes('riskOfNotSharing'), `${outcome.ruleId}: risk of not sharing`);
      const review = inputOf(card, 'reviewBy')!;
      assert.equal(review.type, 'Input.Date');
      assert.equal(review.min, '2026-11-27');
      assert.equal(review.max, '2027-02-25');
    }
    const grounds = [...outcomes.values()].find((o) => o.answers.grounds === 'significant_harm_evidence');
    assert.ok(grounds, 'some case gives significant harm as its grounds');
    assert.equal(
      inputOf(outcomeCard(state(grounds.answers), grounds.outcome), 'purpose')!.value,
      'safeguarding_child',
      'the purpose is pre-filled from the answers',
    );
  });

  it('the recorded card carries a plain case-notes summary of what the record holds, and a correction button', () => {
    const { answers, outcome } =
      [...outcomes.values()].find((o) => o.outcome.decision === 'share_without_consent_justified') ?? anyOutcome();
    const record: StoredRecord = {
      id: 'D-20261126-7F3KQ2',
      recordedAt: '2026-11-26T10:15:00.000Z',
      idempotencyKey: '6f1f4f57-6f38-4c1a-9d5c-0d7b0c0f7a11',
      kind: 'decision',
      scope: { tenantId: 't', conversationId: 'c', conversationKind: 'personal' },
      decidedBy: { aadObjectId: 'aad-user-1', name: 'Alex Named-Person' },
      rulePackVersion: RULE_PACK_VERSION,
      ruleId: outcome.ruleId,
      decision: outcome.decision,
      answers,
      consentStatus: 'not_sought',
      reasonsWithoutConsent: 'Asking would increase the risk.\nSecond line.',
      recipientAgency: 'police',
      recipientRole: 'public protection officer',
      channel: 'secure_system',
      subjectInformed: 'will_inform',
      caseReference: 'CSC-2026-0042',
      purpose: 'safeguarding_child',
      riskOfNotSharing: 'The child would stay at risk.',
      deciderRole: 'designated_safeguarding_lead',
      reviewBy: '2026-12-20',
      openFollowUps: ['inform_subject_later'],
    };
    const card = recordedCard(state(answers), record, outcome, false);
    assert.deepEqual(cardProblems(card), []);
    assert.ok(bytes(card) < CARD_BUDGET_BYTES, `${bytes(card)} bytes`);
    const notes = inputOf(card, 'caseNotes')!;
    assert.equal(notes.isMultiline, true);
    const text = String(notes.value);
    assert.match(text, /^Information-sharing decision, record D-20261126-7F3KQ2 \(recorded 2026-11-26 10:15 UTC\)$/m);
    for (const line of [
      'Case reference: CSC-2026-0042',
      `Decision: ${outcome.title}`,
      'Purpose: Safeguarding a child at risk of harm',
      'Consent: Not sought',
      'Reasons for sharing without consent: Asking would increase the risk. Second line.',
      'Risk if not shared: The child would stay at risk.',
      'Shared with: Police — public protection officer',
      'How: Secure electronic system',
      'Review by: 2026-12-20',
      'Decided by (role): Designated safeguarding lead',
    ])
      assert.ok(text.split('\n').includes(line), `case notes have "${line}"`);
    for (const reason of outcome.reasons) assert.ok(text.includes(reason.text), 'each reason is in the notes');
    assert.match(text, /§\d/);
    assert.doesNotMatch(text, /Alex|Named-Person|aad-user-1/, 'no name or user id');
    assert.doesNotMatch(text, /\*\*|_\(/, 'plain text, no markdown');
    // Every button leaves the notes input out, so the text is never submitted anywhere.
    for (const action of card.actions as Array<Record<string, unknown>>) assert.equal(action.associatedInputs, 'none');
    const correct = (card.actions as Array<Record<string, unknown>>).find((a) => a.title === 'Correct this record')!;
    assert.deepEqual(correct.data, { verb: 'record.correct.open', r: 'D-20261126-7F3KQ2' });
  });

  it('the correction card is valid, labelled, small, and pre-filled with the record’s values', () => {
    const record: StoredRecord = {
      id: 'D-20261126-7F3KQ2',
      recordedAt: '2026-11-26T10:15:00.000Z',
      idempotencyKey: '6f1f4f57-6f38-4c1a-9d5c-0d7b0c0f7a11',
      kind: 'decision',
      scope: { tenantId: 't', conversationId: 'c', conversationKind: 'personal' },
      decidedBy: { aadObjectId: 'aad-user-1', name: 'A Practitioner' },
      rulePackVersion: RULE_PACK_VERSION,
      ruleId: 'r',
      decision: 'do_not_share',
      answers: {},
      consentStatus: 'sought_refused',
      subjectInformed: 'not_applicable',
      reasonForNotSharing: 'No concern at the level that would justify it.',
      caseReference: 'CSC-2026-0042',
      openFollowUps: [],
    };
    const card = correctionCard(record, new Date('2026-11-27T09:00:00Z'), { notice: 'Not recorded yet' });
    assert.deepEqual(cardProblems(card), []);
    assert.ok(bytes(card) < CARD_BUDGET_BYTES, `${bytes(card)} bytes`);
    assert.equal(inputOf(card, 'reasonForNotSharing')!.value, record.reasonForNotSharing);
    assert.equal(inputOf(card, 'consentStatus')!.value, 'sought_refused');
    assert.equal(inputOf(card, 'correctionReason')!.isRequired, true);
    assert.match(cardText(card), /D-20261126-7F3KQ2/);
  });

  it('the message card is valid with and without a Start again action', () => {
    assert.deepEqual(cardProblems(messageCard('Title', 'Text')), []);
    const withRestart = messageCard('Title', 'Text', { restartFor: state() });
    assert.deepEqual(cardProblems(withRestart), []);
    assert.equal((withRestart.actions as unknown[]).length, 1);
  });

  it('an unresolved expression is an error, not text on a card', () => {
    assert.throws(() => renderCard('message', { title: 'only a title' }), UnresolvedTemplateError);
  });

  it('user text is data, never template: ${…}, $data, $when, \\${ and @{ come out exactly as typed', () => {
    const hostile = [
      '${boom}',
      '${Jane Smith}',
      '$data',
      '$when',
      '${',
      '\\${x}',
      '@{x}',
      '${$root.title}',
      "${if(true, 'a', 'b')}",
      '${count(facts)}',
      '\uE0000\uE001',
    ];
    for (const text of hostile) {
      const card = renderCard('followup-done', {
        title: text,
        text: `before ${text} after`,
        facts: [{ title: text, value: text }],
      });
      const shown = cardText(card).split('\n');
      assert.deepEqual(shown, [text, `before ${text} after`, text, text], JSON.stringify(text));
      assert.ok(cardText(messageCard('Title', text, { restartFor: state() })).includes(text));
    }
  });

  it('a template bug is still an error, and its message carries no data', () => {
    assert.throws(
      () => renderCard('message', { title: '${secret} typed by a user' }),
      (err: Error) =>
        err instanceof UnresolvedTemplateError && !err.message.includes('secret') && /card "message"/.test(err.message),
    );
  });

  it('the plain fallback card is valid, and a render failure is logged by class only', () => {
    const lines: Array<Record<string, unknown>> = [];
    const card = renderedOr(
      { error: (details: Record<string, unknown>) => void lines.push(details) } as never,
      'recorded',
      () => renderCard('message', { title: '${Jane Smith}' }),
      () => plainCard('Decision recorded', ['Record id: **D-20261126-7F3KQ2**']),
    );
    assert.deepEqual(cardProblems(card), []);
    assert.match(cardText(card), /D-20261126-7F3KQ2/);
    assert.equal(lines.length, 1);
    assert.equal((lines[0]!.err as { type: string }).type, 'UnresolvedTemplateError');
    assert.ok(!JSON.stringify(lines).includes('Jane'));
  });

  it('every template in /cards is covered by a renderer', () => {
    assert.ok(templateNames().includes('question'));
    assert.ok(templateNames().includes('outcome'));
  });
});
