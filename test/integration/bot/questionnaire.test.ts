/**
 * A practitioner's whole conversation, over HTTP to the real restify server, with decisions
 * recorded in a real Azurite: greeting → questionnaire (cards replaced in place via
 * adaptiveCard/action invokes) → outcome → record → read the record back from the table.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { odata } from '@azure/data-tables';
import {
  TENANT_A,
  TeamsClient,
  cardOf,
  cardText,
  choicesOf,
  findAction,
  newUser,
  personalChat,
  startBot,
  teamChannel,
  type BotHarness,
  type Card,
} from '../../support/botHarness';
import { RECORD_FORM, SHARE_WITHOUT_ASKING, answerFor } from '../../support/scenarios';
import { startFakeConnector } from '../../support/fakeConnector';

/** Answers each question card from the answer table until an outcome card arrives. */
async function answerAll(
  client: TeamsClient,
  first: Card,
  answers: Record<string, string>,
): Promise<{ card: Card; asked: string[]; answerShownBefore?: string }> {
  let card = first;
  const asked: string[] = [];
  let answerShownBefore: string | undefined;
  for (let i = 0; i < 40; i++) {
    const next = findAction(card, card.actions?.some((a) => a.title === 'Next') ? 'Next' : 'Record this decision');
    if (next.verb !== 'answer') return { card, asked, answerShownBefore };
    // The first question card that carries the answer (the tailoring questions come after it).
    if (answerShownBefore === undefined && /The answer/.test(cardText(card)))
      answerShownBefore = String((next.data as { q: string }).q);
    const questionId = String((next.data as { q: string }).q);
    const code = answers[questionId];
    assert.ok(code, `the bot asked "${questionId}", which this case does not answer`);
    assert.ok(
      choicesOf(card).some((c) => c.value === code),
      `"${code}" is offered for ${questionId}`,
    );
    asked.push(questionId);
    card = await client.click(card, 'Next', { answer: code });
  }
  throw new Error('questionnaire did not end');
}

/** The initial value of the input with this id anywhere on the card. */
function inputValue(card: Card, id: string): unknown {
  const find = (node: unknown): unknown => {
    if (Array.isArray(node)) {
      for (const n of node) {
        const found = find(n);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.id === id && typeof o.type === 'string' && o.type.startsWith('Input.')) return o.value;
      for (const v of Object.values(o)) {
        const found = find(v);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  };
  return find(card);
}

describe('questionnaire conversation with recorded decisions', () => {
  let bot: BotHarness;
  before(async () => {
    bot = await startBot();
  });
  after(async () => {
    await bot?.stop();
  });

  it('answers "hello" with the welcome card, including the immediate-danger line', async () => {
    const client = new TeamsClient(bot.baseUrl, newUser(), personalChat());
    const replies = await client.say('hello');
    assert.equal(replies.length, 1);
    const card = cardOf(replies[0]!);
    assert.match(cardText(card), /999/);
    assert.equal(findAction(card, 'Start: can I share?').verb, 'start');
  });

  it('greets on install', async () => {
    const client = new TeamsClient(bot.baseUrl, newUser(), personalChat());
    const res = await client.post(
      client.activity({ type: 'installationUpdate', action: 'add', deliveryMode: 'expectReplies' }),
    );
    assert.equal(res.status, 200);
    const activities = (res.body as { activities: Array<Record<string, unknown>> }).activities;
    assert.match(cardText(cardOf(activities[0]!)), /Can I share\?/);
  });

  it('walks a whole questionnaire to "share without consent" and records exactly what §4 requires', async () => {
    const user = newUser('Sam Practitioner');
    const client = new TeamsClient(bot.baseUrl, user, personalChat());
    const [first] = await client.say('can I share?');
    const start = cardOf(first!);
    assert.match(cardText(start), /question 1 of at most/);

    const { card: outcome, asked, answerShownBefore } = await answerAll(client, start, SHARE_WITHOUT_ASKING);
    assert.ok(asked.length >= 8, `asked ${asked.length} questions`);
    // The answer is on the card after the seven questions that decide it, before how and with whom.
    assert.equal(answerShownBefore, 'channel');
    assert.equal(asked.indexOf('channel'), 7);
    // The record form is pre-filled from those answers: the agency is not asked for again.
    assert.equal(inputValue(outcome, 'recipientAgency'), 'childrens_social_care');
    assert.equal(inputValue(outcome, 'channel'), 'secure_system');
    const text = cardText(outcome);
    assert.match(text, /without consent/i);
    assert.match(text, /§\d/);
    assert.match(text, /999/);

    const recorded = await client.click(outcome, 'Record this decision', RECORD_FORM);
    const recordedText = cardText(recorded);
    assert.match(recordedText, /Decision recorded/);
    const id = /Record id: \*\*(D-[A-Z0-9-]+)\*\*/.exec(recordedText)?.[1];
    assert.ok(id, 'the confirmation shows a record id');

    const stored = await bot.app.stores.decisions.get(TENANT_A, id);
    assert.ok(stored);
    assert.equal(stored.decision, 'share_without_consent_justified');
    assert.equal(stored.consentStatus, 'not_sought');
    assert.equal(stored.reasonsWithoutConsent, RECORD_FORM.reasonsWithoutConsent);
    assert.equal(stored.recipientAgency, 'childrens_social_care');
    assert.equal(stored.channel, 'secure_system');
    assert.equal(stored.subjectInformed, 'will_inform');
    assert.equal(stored.caseReference, 'CSC-2026-0042');
    assert.equal(stored.decidedBy.aadObjectId, user.aadObjectId);
    assert.deepEqual(stored.answers, Object.fromEntries(asked.map((q) => [q, answerFor(q)])));
    assert.ok(stored.rulePackVersion);
    assert.ok(stored.openFollowUps.includes('inform_subject_later') || stored.openFollowUps.length === 0);

    // Read the raw row back from the table, as an auditor would.
    const rows = [];
    for await (const e of bot.app.tables.decisions.listEntities({
      queryOptions: { filter: odata`PartitionKey eq ${TENANT_A}` },
    }))
      rows.push(e);
    assert.ok(
      rows.some((r) => String(r.rowKey).includes(id)),
      'the record is in the decisions table',
    );
  });

  it('a double-clicked "Record" stores exactly one record', async () => {
    const client = new TeamsClient(bot.baseUrl, newUser(), personalChat());
    const [first] = await client.say('start');
    const { card: outcome } = await answerAll(client, cardOf(first!), SHARE_WITHOUT_ASKING);
    const form = { ...RECORD_FORM, caseReference: 'CSC-DOUBLE-1' };
    const [a, b] = await Promise.all([
      client.click(outcome, 'Record this decision', form),
      client.click(outcome, 'Record this decision', form),
    ]);
    const idOf = (c: Card) => /Record id: \*\*(D-[A-Z0-9-]+)\*\*/.exec(cardText(c))?.[1];
    assert.ok(idOf(a));
    assert.equal(idOf(a), idOf(b));
    const all = await bot.app.stores.decisions.byCase(TENANT_A, 'CSC-DOUBLE-1');
    assert.equal(all.length, 1);
  });

  it('refuses an incomplete record form with a clear list and keeps what was typed', async () => {
    const client = new TeamsClient(bot.baseUrl, newUser(), personalChat());
    const [first] = await client.say('start');
    const { card: outcome } = await answerAll(client, cardOf(first!), SHARE_WITHOUT_ASKING);
    const again = await client.click(outcome, 'Record this decision', {
      ...RECORD_FORM,
      reasonsWithoutConsent: '',
      caseReference: 'CSC-INCOMPLETE',
    });
    assert.match(cardText(again), /Not recorded yet/);
    assert.match(cardText(again), /reasons for sharing without consent/);
    assert.ok(JSON.stringify(again).includes('CSC-INCOMPLETE'));
    assert.equal((await bot.app.stores.decisions.byCase(TENANT_A, 'CSC-INCOMPLETE')).length, 0);
  });

  it('refuses contact details in free text', async () => {
    const client = new TeamsClient(bot.baseUrl, newUser(), personalChat());
    const [first] = await client.say('start');
    const { card: outcome } = await answerAll(client, cardOf(first!), SHARE_WITHOUT_ASKING);
    const again = await client.click(outcome, 'Record this decision', {
      ...RECORD_FORM,
      informationOutline: 'call mum on 07700 900123',
      caseReference: 'CSC-PII',
    });
    assert.match(cardText(again), /remove the phone number/);
    assert.equal((await bot.app.stores.decisions.byCase(TENANT_A, 'CSC-PII')).length, 0);
  });

  it('Back returns to the previous question and Start over to the first', async () => {
    const client = new TeamsClient(bot.baseUrl, newUser(), personalChat());
    const [first] = await client.say('start');
    const q1 = cardOf(first!);
    const q2 = await client.click(q1, 'Next', { answer: 'sharing_out' });
    const q3 = await client.click(q2, 'Next', { answer: 'child_health_development_harm' });
    const back = await client.click(q3, 'Back');
    assert.deepEqual(findAction(back, 'Next').data, findAction(q2, 'Next').data);
    const restarted = await client.click(q3, 'Start over');
    assert.match(cardText(restarted), /question 1 of at most/);
    assert.deepEqual((findAction(restarted, 'Next').data as { s: { a: object } }).s.a, {});
  });

  it('starting a new questionnaire closes the card it supersedes, and a superseded card can never be recorded', async () => {
    const connector = await startFakeConnector();
    try {
      const client = new TeamsClient(bot.baseUrl, newUser(), personalChat(), connector.serviceUrl);
      // The first questionnaire is sent by the bot ("start"), so it learns that message's id; the
      // second is started from a welcome card (message msg-2).
      const sent = await client.post(client.activity({ type: 'message', text: 'start' }));
      assert.ok(sent.status < 300);
      await connector.waitFor(
        () => connector.postsTo(client.conversation.id).length > 0,
        5000,
        'the first card to be sent',
      );
      const first = connector.postsTo(client.conversation.id).at(-1)!.activity;
      const second = await client.click(
        cardOf((await client.say('hello'))[0]!),
        'Start: can I share?',
        {},
        { replyToId: 'msg-2' },
      );

      // The bot replaced the first card (the message it sent) with an "out of date" card, and left msg-2 alone.
      await connector.waitFor(() => connector.updates.length > 0, 5000, 'the old card to be updated');
      assert.equal(connector.updates.length, 1);
      assert.match(connector.updates[0]!.activityId, /^activity-/);
      assert.match(cardText(connector.updates[0]!.activity), /out of date/);

      // Even a copy of the old card that was not closed cannot be recorded.
      const { card: staleOutcome } = await answerAll(client, cardOf(first), SHARE_WITHOUT_ASKING);
      const refused = await client.click(staleOutcome, 'Record this decision', {
        ...RECORD_FORM,
        caseReference: 'CSC-STALE-1',
      });
      assert.match(cardText(refused), /newer questionnaire/);
      assert.equal((await bot.app.stores.decisions.byCase(TENANT_A, 'CSC-STALE-1')).length, 0);

      // The newest card records normally.
      const { card: outcome } = await answerAll(client, second, SHARE_WITHOUT_ASKING);
      const recorded = await client.click(outcome, 'Record this decision', {
        ...RECORD_FORM,
        caseReference: 'CSC-STALE-1',
      });
      assert.match(cardText(recorded), /Decision recorded/);
      assert.equal((await bot.app.stores.decisions.byCase(TENANT_A, 'CSC-STALE-1')).length, 1);

      // Start over on the current card replaces it in place: nothing else is closed.
      await client.click(second, 'Start over', {}, { replyToId: 'msg-2' });
      assert.equal(connector.updates.length, 1);
    } finally {
      await connector.stop();
    }
  });

  it('serves clients without Universal Actions: an Action.Submit message runs the same step and sends the next card', async () => {
    const client = new TeamsClient(bot.baseUrl, newUser(), personalChat());
    const [first] = await client.say('start');
    const next = findAction(cardOf(first!), 'Next');
    // Older clients send the action's data, with the inputs merged in, as a message's value.
    const res = await client.post(
      client.activity({
        type: 'message',
        value: { ...(next.data as object), answer: 'sharing_out' },
        deliveryMode: 'expectReplies',
      }),
    );
    assert.equal(res.status, 200);
    const [reply] = (res.body as { activities: Array<Record<string, unknown>> }).activities;
    const card = cardOf(reply!);
    assert.match(cardText(card), /question 2 of at most/);
    assert.deepEqual((findAction(card, 'Next').data as { s: { a: object } }).s.a, { route: 'sharing_out' });
  });

  it('works when @mentioned in a team channel, and warns that the channel can see the card', async () => {
    const client = new TeamsClient(bot.baseUrl, newUser(), teamChannel('19:team-one@thread.tacv2'));
    const res = await client.post(
      client.activity({
        type: 'message',
        text: '<at>Can I share?</at> start',
        entities: [
          { type: 'mention', mentioned: { id: '28:bot', name: 'Can I share?' }, text: '<at>Can I share?</at>' },
        ],
        deliveryMode: 'expectReplies',
      }),
    );
    assert.equal(res.status, 200);
    const card = cardOf((res.body as { activities: Array<Record<string, unknown>> }).activities[0]!);
    assert.match(cardText(card), /Everyone in this conversation can see this card/);
  });

  it('answers an unknown command with help, without logging the text', async () => {
    const client = new TeamsClient(bot.baseUrl, newUser(), personalChat());
    const secret = 'please tell me about Jane Doe born 01/02/2015';
    const [reply] = await client.say(secret);
    assert.match(cardText(cardOf(reply!)), /did not recognise/);
    assert.ok(!JSON.stringify(bot.logs).includes('Jane'), 'the message text is not logged');
  });
});
