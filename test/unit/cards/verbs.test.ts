/**
 * Card verbs are defined once (src/bot/kit/verbs.ts) but written as literals in the templates in
 * /cards: every verb on a template, and every verb the views put into action data (which the
 * Action.Submit fallback sends), must be one a feature registers; every registered verb must be
 * reachable from some card; and each button's data names the same verb as the button.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { RULE_PACK_VERSION, evaluate, rulePack } from '../../../src/domain';
import { allFeatures } from '../../../src/bot/features';
import { VERBS } from '../../../src/bot/kit/verbs';
import type { AdaptiveCard } from '../../../src/bot/cards/templates';
import { cardFor, messageCard, outcomeCard, recordedCard } from '../../../src/bot/features/questionnaire/views';
import { exportCard, listCard, privateViewCard } from '../../../src/bot/features/records/views';
import { correctionCard } from '../../../src/bot/features/questionnaire/corrections';
import { subjectFollowUpCard, withdrawalCard } from '../../../src/bot/features/followUps/views';
import { reminderListCard } from '../../../src/bot/features/reminders/views';
import { urgentCard, urgentReminderCard } from '../../../src/bot/features/urgent/views';
import type { StoredRecord } from '../../../src/storage/contract';
import type { ScheduledReminder } from '../../../src/storage/reminderStore';
import { oneAnswerSetPerRule } from '../../support/paths';

const CARDS_DIR = path.join(__dirname, '../../../cards');

/** Every object with a `verb` in a card or template, in document order. */
function actionsIn(node: unknown, out: Array<Record<string, unknown>> = []): Array<Record<string, unknown>> {
  if (Array.isArray(node)) node.forEach((n) => actionsIn(n, out));
  else if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    if (typeof o.verb === 'string' && o.type === 'Action.Execute') out.push(o);
    Object.values(o).forEach((v) => actionsIn(v, out));
  }
  return out;
}

const templateVerbs = new Map<string, string[]>();
for (const file of readdirSync(CARDS_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  const verbs = actionsIn(JSON.parse(readFileSync(path.join(CARDS_DIR, file), 'utf8'))).map((a) => a.verb as string);
  templateVerbs.set(file, verbs);
}
const registered = allFeatures.flatMap((f) => f.actions.map((a) => a.verb as string));
const allTemplateVerbs = new Set([...templateVerbs.values()].flat());

const state = (a: Record<string, string> = {}) => ({
  v: RULE_PACK_VERSION,
  a,
  o: 'aad-user-1',
  i: '0b9d7c1e-3f47-4a8e-9b1d-2c5e6f7a8b90',
});

function sampleRecord(overrides: Partial<StoredRecord> = {}): StoredRecord {
  return {
    id: 'D-20261126-7F3KQ2',
    recordedAt: '2026-11-26T10:15:00.000Z',
    idempotencyKey: '6f1f4f57-6f38-4c1a-9d5c-0d7b0c0f7a11',
    kind: 'decision',
    scope: { tenantId: 't', conversationId: 'c', conversationKind: 'personal' },
    decidedBy: { aadObjectId: 'aad-user-1', name: 'A Practitioner' },
    rulePackVersion: RULE_PACK_VERSION,
    ruleId: 'r',
    decision: 'share_without_consent_justified',
    answers: {},
    consentStatus: 'not_sought',
    recipientAgency: 'police',
    channel: 'secure_system',
    subjectInformed: 'will_inform',
    caseReference: 'CSC-2026-0042',
    openFollowUps: ['inform_subject_later'],
    ...overrides,
  };
}

/** One of each card the views build, with every optional button switched on. */
function renderedCards(): Array<[string, AdaptiveCard]> {
  const first = evaluate(rulePack, {});
  const [answers, { outcome }] = [...oneAnswerSetPerRule(rulePack).values()].map((c) => [c.answers, c] as const)[0]!;
  const withAnswer = state(answers);
  const reminder: ScheduledReminder = {
    id: 'R-7F3KQ',
    tenantId: 't',
    kind: 'weekly_digest',
    cron: '0 9 * * 1',
    timezone: 'Europe/London',
    scheduleText: 'weekly mon 09:00',
    conversationId: 'c',
    teamId: 'team',
    channelId: 'c',
    createdBy: 'aad-user-1',
    nextRunAt: '2026-11-30T09:00:00.000Z',
    active: true,
  } as ScheduledReminder;
  const withdrawal = sampleRecord({ id: 'D-20261127-7F3KQ3', kind: 'consent_withdrawn', consentStatus: 'withdrawn' });
  return [
    ['question', cardFor(withAnswer, first)],
    ['question (first)', cardFor(state(), first)],
    ['urgent', urgentCard({ kind: 'not_saved', key: '6f1f4f57-6f38-4c1a-9d5c-0d7b0c0f7a11' }, rulePack)],
    ['urgent-reminder', urgentReminderCard(sampleRecord({ kind: 'urgent_share' }), undefined)],
    ['outcome', outcomeCard(withAnswer, outcome)],
    ['recorded', recordedCard(withAnswer, sampleRecord(), outcome, false)],
    ['message', messageCard('Title', 'Text', { restartFor: state() })],
    [
      'followup-subject',
      subjectFollowUpCard(sampleRecord(), undefined, 'personal', new Date('2026-11-30T09:00:00.000Z')),
    ],
    ['followup-withdrawal', withdrawalCard(withdrawal, [{ share: sampleRecord() }])],
    ['reminder-list', reminderListCard([reminder])],
    [
      'records-list',
      listCard({
        title: 'Recent decisions',
        filter: {},
        page: 2,
        pageSize: 25,
        items: [sampleRecord()],
        currentState: 'c',
        queryState: 'q',
        nextState: 'n',
        prevState: 'p',
        canExport: true,
        privateTo: '29:user',
      }),
    ],
    ['records-private', privateViewCard('Recent decisions', 's', '29:user')],
    ['correction', correctionCard(sampleRecord(), new Date('2026-11-27T09:00:00Z'))],
    [
      'records-export',
      exportCard({
        url: 'https://bot.example/downloads/decisions.csv?token=x',
        filter: {},
        expiresAt: new Date(),
        backState: 'b',
      }),
    ],
  ];
}

describe('card verbs', () => {
  it('no verb is registered twice, and the registered verbs are exactly the defined ones', () => {
    assert.equal(new Set(registered).size, registered.length, `registered twice: ${registered.join(', ')}`);
    assert.deepEqual([...registered].sort(), Object.values(VERBS).sort());
  });

  it('every verb on every card template is registered by some feature', () => {
    assert.ok(allTemplateVerbs.size > 0, 'the templates carry verbs');
    for (const [file, verbs] of templateVerbs) {
      for (const verb of verbs)
        assert.ok(registered.includes(verb), `${file}: verb "${verb}" is not registered by any feature`);
    }
  });

  it('every registered verb is reachable from some card template', () => {
    for (const verb of registered)
      assert.ok(allTemplateVerbs.has(verb), `verb "${verb}" is registered but no card in /cards has it`);
  });

  it('every verb the views put into action data is registered, and is the verb of its button', () => {
    const seen = new Set<string>();
    for (const [name, card] of renderedCards()) {
      const actions = actionsIn(card);
      assert.ok(actions.length > 0, `${name}: the rendered card has buttons`);
      for (const action of actions) {
        const data = action.data as Record<string, unknown> | undefined;
        // A button with no data (welcome's Start) sends only the card's verb.
        if (!data || data.verb === undefined) continue;
        assert.equal(typeof data.verb, 'string', `${name}: data.verb is a string`);
        assert.ok(
          registered.includes(data.verb as string),
          `${name}: data verb "${String(data.verb)}" is not registered`,
        );
        assert.equal(
          data.verb,
          action.verb,
          `${name}: the data of a "${String(action.verb)}" button names "${String(data.verb)}"`,
        );
        seen.add(data.verb as string);
      }
    }
    // Start is the one verb sent without data (welcome card); every other one travels in data too.
    for (const verb of registered.filter((v) => v !== VERBS.start))
      assert.ok(seen.has(verb), `no rendered card carries "${verb}" in its data`);
  });
});
