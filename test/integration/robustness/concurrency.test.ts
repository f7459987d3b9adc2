/**
 * 50 practitioners doing questionnaires at once (Promise.all) against one bot (real restify, real
 * Azurite): each walks a different realistic case to its outcome and records it. Every card a user
 * gets back carries their own state (owner = their AAD id) and every record is theirs — no
 * cross-talk between concurrent turns. Ten of them share one group chat.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { evaluate, rulePack } from '../../../src/domain';
import { CASES } from '../../unit/domain/practitionerCases';
import {
  TENANT_A,
  TeamsClient,
  cardOf,
  cardText,
  findAction,
  newUser,
  personalChat,
  startBot,
  type BotHarness,
  type Card,
} from '../../support/botHarness';
import { census, recordIdOf } from './support';

const USERS = 50;

/** Every Action.Execute on a card that carries questionnaire state must carry the owner's. */
function ownersOn(card: Card): string[] {
  return (card.actions ?? [])
    .map((a) => (a.data as { s?: { o?: string } } | undefined)?.s?.o)
    .filter((o): o is string => typeof o === 'string');
}

describe('robustness: 50 concurrent questionnaires', () => {
  let bot: BotHarness;
  before(async () => {
    bot = await startBot({ LOG_LEVEL: 'warn' });
  });
  after(async () => {
    await bot?.stop();
  });

  it('each user gets only their own cards and their own record', async () => {
    const groupChat = {
      id: `19:group-${Date.now()}@thread.v2`,
      conversationType: 'groupChat' as const,
      tenantId: TENANT_A,
    };
    const clients = Array.from(
      { length: USERS },
      (_, i) => new TeamsClient(bot.baseUrl, newUser(`Load User ${i}`), i < 10 ? groupChat : personalChat()),
    );
    const started = Date.now();
    let requests = 0;

    const results = await Promise.all(
      clients.map(async (client, i) => {
        const c = CASES[i % CASES.length]!;
        const me = client.user.aadObjectId;
        let card = cardOf((await client.say('start'))[0]!);
        requests++;
        let cards = 1;
        for (let step = 0; step < 40 && card.actions?.some((a) => a.title === 'Next'); step++) {
          assert.deepEqual([...new Set(ownersOn(card))], [me], `user ${i}: card state belongs to the user`);
          const q = String((findAction(card, 'Next').data as { q: string }).q);
          card = await client.click(card, 'Next', { answer: c.answers[q]! });
          requests++;
          cards++;
        }
        assert.deepEqual([...new Set(ownersOn(card))], [me], `user ${i}: outcome card state belongs to the user`);
        const outcome = evaluate(rulePack, c.answers);
        assert.equal(outcome.kind, 'outcome');
        if (outcome.kind !== 'outcome') throw new Error('unreachable');
        const recorded = await client.click(card, 'Record this decision', {
          caseReference: `LOAD-${String(i).padStart(3, '0')}`,
          consentStatus: outcome.outcome.consentStatus,
          reasonsWithoutConsent: 'Recorded under load by the concurrency test.',
          recipientAgency: 'childrens_social_care',
          recipientRole: 'duty worker',
          channel: outcome.outcome.channel ?? 'secure_system',
          informationOutline: 'An outline, with no names.',
          subjectInformed: 'yes',
          subjectNotInformedReason: '',
          // Required for a share without consent and for a decision not to share (issue 16).
          riskOfNotSharing: 'The risk recorded under load by the concurrency test.',
          reasonForNotSharing: 'The reason recorded under load by the concurrency test.',
        });
        requests++;
        const id = recordIdOf(recorded);
        assert.ok(id, `user ${i} (${c.name}): ${cardText(recorded).slice(0, 300)}`);
        return { id, me, cards, decision: outcome.outcome.decision };
      }),
    );
    const elapsed = Date.now() - started;

    const ids = new Set(results.map((r) => r.id));
    assert.equal(ids.size, USERS, 'every user got a distinct record id');
    const counted = await census(bot.azurite.connectionString, TENANT_A);
    assert.equal(counted.records, USERS, 'exactly 50 records in the table');
    assert.equal(counted.markers, USERS, 'exactly 50 idempotency markers');
    for (const r of results) {
      assert.equal(counted.decidedBy.get(r.id), r.me, 'the record was decided by the user who submitted it');
      const stored = await bot.app.stores.decisions.get(TENANT_A, r.id);
      assert.equal(stored?.decidedBy.aadObjectId, r.me);
      assert.equal(stored?.decision, r.decision);
    }
    const perUser = await Promise.all(
      results.map((r) => bot.app.stores.decisions.query({ tenantId: TENANT_A, decidedBy: r.me }, 10)),
    );
    assert.ok(
      perUser.every((p) => p.items.length === 1),
      'each user has exactly one record',
    );
    console.log(
      `concurrency: ${USERS} users, ${requests} requests (${results.reduce((n, r) => n + r.cards, 0)} question/outcome cards) in ${elapsed} ms; ` +
        `${counted.records} records, ${new Set(results.map((r) => r.decision)).size} distinct decisions; records lost 0`,
    );
  });
});
