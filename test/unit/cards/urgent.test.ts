/**
 * The urgent path's cards ("share now, record after"): every status the card can show, and the
 * personal-chat reminder, parse cleanly with the Adaptive Cards parser, stay inside Teams' size
 * limit, show the 999 line and every cited step of the pack, and say truthfully what was saved.
 * The welcome card and the first question card carry the one action that opens it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RULE_PACK_VERSION, evaluate, rulePack, rulePacks } from '../../../src/domain';
import { urgentCard, urgentReminderCard, type UrgentStatus } from '../../../src/bot/features/urgent/views';
import { cardFor } from '../../../src/bot/features/questionnaire/views';
import { welcomeCard } from '../../../src/bot/features/welcome';
import { allFeatures } from '../../../src/bot/features';
import { VERBS } from '../../../src/bot/kit/verbs';
import { citeText } from '../../../src/bot/cards/format';
import type { StoredRecord } from '../../../src/storage/contract';
import { cardProblems } from '../../support/cardValidation';
import { cardText, type Card } from '../../support/botHarness';

/** Teams refuses a message over about 28 KB; the cards stay well under it (as in templates.test.ts). */
const CARD_BUDGET_BYTES = 20_000;
const bytes = (card: unknown) => Buffer.byteLength(JSON.stringify(card), 'utf8');
const URGENT_TITLE = 'A child is at immediate risk — I need to share now';

const entry: StoredRecord = {
  id: 'D-20261202-7F3KQ2',
  recordedAt: '2026-12-02T10:15:00.000Z',
  idempotencyKey: 'urgent:6f1f4f57-6f38-4c1a-9d5c-0d7b0c0f7a11:aad-user-1',
  kind: 'urgent_share',
  scope: { tenantId: 't', conversationId: 'c', conversationKind: 'personal' },
  decidedBy: { aadObjectId: 'aad-user-1', name: '' },
  rulePackVersion: RULE_PACK_VERSION,
  ruleId: 'urgent_share',
  decision: 'share_without_consent_justified',
  answers: {},
  consentStatus: 'not_sought',
  subjectInformed: 'not_applicable',
  caseReference: 'urgent:6f1f4f57-6f38-4c1a-9d5c-0d7b0c0f7a11:aad-user-1',
  openFollowUps: [],
};

const STATUSES: Array<[string, UrgentStatus]> = [
  ['saved', { kind: 'saved', entry, again: false, reminderHours: 2 }],
  ['saved again', { kind: 'saved', entry, again: true, reminderHours: 2 }],
  ['follow-up not saved', { kind: 'follow_up_not_saved', entry, key: '6f1f4f57-6f38-4c1a-9d5c-0d7b0c0f7a11' }],
  ['not saved', { kind: 'not_saved', key: '6f1f4f57-6f38-4c1a-9d5c-0d7b0c0f7a11' }],
  ['unreadable', { kind: 'unreadable' }],
  ['pack unconfirmed', { kind: 'pack_unconfirmed', key: '6f1f4f57-6f38-4c1a-9d5c-0d7b0c0f7a11' }],
  ['already recorded', { kind: 'already_recorded', entry, decisionId: 'D-20261202-AB12CD' }],
  ['too many open', { kind: 'too_many_open', key: '6f1f4f57-6f38-4c1a-9d5c-0d7b0c0f7a11', limit: 20 }],
];

const actionTitles = (card: unknown) => ((card as Card).actions ?? []).map((a) => String(a.title));
const actionNamed = (card: unknown, title: string) => ((card as Card).actions ?? []).find((a) => a.title === title);

describe('urgent cards', () => {
  for (const [name, status] of STATUSES) {
    it(`the urgent card (${name}) is valid, small, and shows the 999 line and every cited step of each pack`, () => {
      for (const [shared, pack] of [false, true].flatMap((sh) =>
        [...rulePacks.values()].map((p) => [sh, p] as const),
      )) {
        const card = urgentCard(status, pack, { shared });
        assert.deepEqual(cardProblems(card), []);
        assert.ok(bytes(card) < CARD_BUDGET_BYTES, `${bytes(card)} bytes`);
        const text = cardText(card);
        assert.ok(text.includes(pack.urgentShare.immediateDanger), 'the 999 line');
        assert.match(text, /999/);
        for (const step of pack.urgentShare.steps) {
          assert.ok(text.includes(step.text), `${pack.metadata.id}: step ${step.id}`);
          assert.ok(text.includes(citeText(step.citations)), `step ${step.id} cites its section`);
        }
        assert.equal(text.includes('Everyone in this conversation can see this card'), shared);
      }
    });
  }

  it('says truthfully what was saved, and offers only what can be done next', () => {
    const [saved, , followUpLost, notSaved, unreadable, unconfirmed, recorded, tooMany] = STATUSES.map(([, s]) =>
      urgentCard(s, rulePack),
    );
    assert.match(cardText(saved), /Urgent entry \*\*D-20261202-7F3KQ2\*\* saved/);
    assert.doesNotMatch(cardText(saved), /NOT SAVED/);
    assert.deepEqual(actionTitles(saved), ['Record the decision now']);
    assert.deepEqual(actionNamed(saved, 'Record the decision now')?.data, { verb: VERBS.start, u: entry.id });

    assert.match(cardText(followUpLost), /follow-up to record the decision was NOT SAVED/);
    assert.deepEqual(actionTitles(followUpLost), ['Record the decision now', 'Save the follow-up again']);

    // The write may have happened (a lost answer): never "neither was saved".
    assert.match(cardText(notSaved), /NOT CONFIRMED: .*may not have been saved.*pressing again never saves twice/);
    assert.deepEqual(actionTitles(notSaved), ['Try saving again']);
    // The retry carries the same key, so it saves the entry once.
    assert.deepEqual(actionNamed(notSaved, 'Try saving again')?.data, {
      verb: VERBS.urgentOpen,
      k: '6f1f4f57-6f38-4c1a-9d5c-0d7b0c0f7a11',
    });
    assert.match(cardText(unreadable), /NOT SAVED: that button could not be read/);
    assert.deepEqual(actionTitles(unreadable), ['Save the urgent entry']);

    assert.match(cardText(unconfirmed), /rule pack could not be confirmed.*nothing was saved/);
    assert.deepEqual(actionTitles(unconfirmed), ['Try saving again']);
    // Its decision is recorded: named, no reminder promised, nothing to record or retry.
    assert.match(cardText(recorded), /already recorded as record \*\*D-20261202-AB12CD\*\*.*no reminder will come/);
    assert.doesNotMatch(cardText(recorded), /I will remind you/);
    assert.deepEqual(actionTitles(recorded), []);
    assert.match(cardText(tooMany), /NOT SAVED: you already have 20 urgent entries/);
    assert.deepEqual(actionTitles(tooMany), ['Try saving again']);
  });

  it('the reminder card is valid, small, names the entry and opens the linked questionnaire', () => {
    for (const sent of [0, 3]) {
      const card = urgentReminderCard(entry, { remindersSent: sent });
      assert.deepEqual(cardProblems(card), []);
      assert.ok(bytes(card) < CARD_BUDGET_BYTES);
      assert.match(cardText(card), /D-20261202-7F3KQ2/);
      assert.ok(cardText(card).includes(rulePack.urgentShare.recordAfter.text));
      assert.equal(/reminders so far: 3/.test(cardText(card)), sent === 3);
      assert.deepEqual(actionNamed(card, 'Record the decision now')?.data, { verb: VERBS.start, u: entry.id });
    }
  });

  it('the welcome card and the first question card open it in one click; later questions do not offer it', () => {
    const welcome = welcomeCard(allFeatures.flatMap((f) => f.commands));
    const first = evaluate(rulePack, {});
    assert.equal(first.kind, 'question');
    const s = { v: RULE_PACK_VERSION, a: {}, o: 'aad-user-1', i: '0b9d7c1e-3f47-4a8e-9b1d-2c5e6f7a8b90' };
    const question = cardFor(s, first);
    for (const card of [welcome, question]) {
      assert.deepEqual(cardProblems(card), []);
      const action = actionNamed(card, URGENT_TITLE);
      assert.ok(action, 'the urgent action is on the card');
      assert.equal(action.verb, VERBS.urgentOpen);
      assert.match(String((action.data as { k: string }).k), /^[0-9a-f-]{36}$/);
    }
    // Each render mints its own key: two cards never share an entry.
    const again = welcomeCard([]);
    assert.notDeepEqual(actionNamed(again, URGENT_TITLE)?.data, actionNamed(welcome, URGENT_TITLE)?.data);
    // A questionnaire already recording an urgent share's decision does not offer a second one.
    assert.equal(actionNamed(cardFor({ ...s, u: entry.id }, first), URGENT_TITLE), undefined);
    const firstCode = first.question.options[0]!.code;
    const second = evaluate(rulePack, { [first.question.id]: firstCode });
    assert.equal(second.kind, 'question');
    assert.equal(
      actionNamed(cardFor({ ...s, a: { [first.question.id]: firstCode } }, second), URGENT_TITLE),
      undefined,
    );
  });
});
