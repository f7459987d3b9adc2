/**
 * Bad input over HTTP to the real restify server (real Azurite): malformed and incomplete
 * activities, oversized bodies, unknown verbs, tampered card data, forged record ids, replays and
 * stale cards. Each must get a clear answer (a card, a message or an HTTP status), must not crash
 * the server (it still answers /healthz and a normal message afterwards) and must write nothing
 * (row counts of the decisions and audit tables are unchanged).
 */
import { randomUUID } from 'node:crypto';
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { RULE_PACK_VERSION, evaluate, rulePack } from '../../../src/domain';
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
import {
  RECORD_FORM,
  SHARE_WITHOUT_ASKING,
  answerAll,
  pathAnswers,
  recordIdOf,
  stateOf,
  withAnswers,
  type CardState,
} from './support';

const MAX_BODY_BYTES = 16_384;

let bot: BotHarness;
let alice: TeamsClient;
let bob: TeamsClient;
const tried: string[] = [];

async function rowCounts(): Promise<{ decisions: number; audit: number }> {
  const count = async (t: 'decisions' | 'audit') => {
    let n = 0;
    for await (const _ of bot.app.tables[t].listEntities({ queryOptions: { select: ['RowKey'] } })) n++;
    return n;
  };
  return { decisions: await count('decisions'), audit: await count('audit') };
}

async function rawPost(
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; json: unknown }> {
  const res = await fetch(`${bot.baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

/** The server is still healthy: /healthz answers and a normal "help" message gets the welcome card. */
async function assertStillServing(): Promise<void> {
  const health = await fetch(`${bot.baseUrl}/healthz`);
  assert.equal(health.status, 200);
  const [reply] = await alice.say('help');
  assert.match(cardText(cardOf(reply!)), /999/);
}

/** Runs one bad input: nothing written, then the server still serves. */
async function badInput<T>(label: string, send: () => Promise<T>, check: (result: T) => void): Promise<void> {
  const before = await rowCounts();
  const result = await send();
  check(result);
  assert.deepEqual(await rowCounts(), before, `${label}: nothing was written`);
  await assertStillServing();
  tried.push(label);
}

type InvokeResult = { statusCode: number; type: string; value: unknown };
const cardIn = (r: InvokeResult): Card => {
  assert.equal(
    r.type,
    'application/vnd.microsoft.card.adaptive',
    `expected a card, got ${r.type}: ${JSON.stringify(r.value).slice(0, 200)}`,
  );
  return r.value as Card;
};
const messageIn = (r: InvokeResult): string => {
  assert.equal(
    r.type,
    'application/vnd.microsoft.activity.message',
    `expected a message, got ${r.type}: ${JSON.stringify(r.value).slice(0, 200)}`,
  );
  return String(r.value);
};
/** A "start again" card: clear title, says nothing was recorded or why, offers Start over. */
const assertStartAgainCard = (r: InvokeResult, text: RegExp) => {
  const card = cardIn(r);
  assert.match(cardText(card), text);
  assert.equal(findAction(card, 'Start again').verb, 'restart');
};

/** Alice's current questionnaire state (as her cards carry it). */
let aliceState: CardState;

/** The state Alice's card would carry after `n` answers of SHARE_WITHOUT_ASKING, with its next question. */
function midState(n: number) {
  const { given, next } = pathAnswers(SHARE_WITHOUT_ASKING, n);
  assert.ok(next);
  return { s: withAnswers(aliceState, given), next };
}

describe('robustness: bad input gets a clear answer, no crash, nothing written', () => {
  let bobRecordId: string;
  let aliceOutcome: Card;

  before(async () => {
    bot = await startBot({ MAX_BODY_BYTES: String(MAX_BODY_BYTES), LOG_LEVEL: 'warn' });
    alice = new TeamsClient(bot.baseUrl, newUser('Alice'), personalChat());
    bob = new TeamsClient(bot.baseUrl, newUser('Bob'), personalChat());
    // Bob records a share despite refusal: it owes an "inform the person later" follow-up.
    const hv = CASES.find((c) => c.ruleId === 'share-despite-refusal-justified')!;
    const outcome = await answerAll(bob, cardOf((await bob.say('start'))[0]!), hv.answers);
    const recorded = await bob.click(outcome, 'Record this decision', {
      ...RECORD_FORM,
      consentStatus: 'sought_refused',
      caseReference: 'BAD-BOB-1',
    });
    bobRecordId = recordIdOf(recorded)!;
    assert.ok(bobRecordId, cardText(recorded));
    aliceOutcome = await answerAll(alice, cardOf((await alice.say('start'))[0]!), SHARE_WITHOUT_ASKING);
    aliceState = stateOf(aliceOutcome);
  });

  after(async () => {
    await bot?.stop();
    console.log(`bad inputs tried: ${tried.length}\n  ${tried.join('\n  ')}`);
  });

  it('HTTP level: malformed JSON, non-activities, missing fields, unknown types, oversized bodies', async () => {
    const ok400 = (r: { status: number }) => assert.equal(r.status, 400);
    await badInput('malformed JSON', () => rawPost('{"type":"message",'), ok400);
    await badInput('JSON array body', () => rawPost('[1,2,3]'), ok400);
    await badInput('JSON without "type"', () => rawPost(JSON.stringify({ text: 'start' })), ok400);
    await badInput('empty body', () => rawPost(''), ok400);
    await badInput(
      'message without conversation and from',
      () => {
        const {
          conversation: _c,
          from: _f,
          ...rest
        } = alice.activity({ type: 'message', text: 'start', deliveryMode: 'expectReplies' });
        return rawPost(JSON.stringify(rest));
      },
      (r) =>
        assert.ok(
          r.status === 400 || (r.status === 200 && /could not tell who|did not say who/i.test(r.text)),
          `${r.status} ${r.text.slice(0, 200)}`,
        ),
    );
    await badInput(
      'message without from.aadObjectId',
      () =>
        alice.post({
          ...alice.activity({ type: 'message', text: 'start', deliveryMode: 'expectReplies' }),
          from: { id: '29:x', name: 'X' },
        }),
      (r) => {
        assert.equal(r.status, 200);
        assert.match(JSON.stringify(r.body), /Entra identity was not included/);
      },
    );
    await badInput(
      'message without tenant',
      () => {
        const a = alice.activity({ type: 'message', text: 'start', deliveryMode: 'expectReplies' });
        return alice.post({ ...a, conversation: { id: 'a:no-tenant', conversationType: 'personal' }, channelData: {} });
      },
      (r) => {
        assert.equal(r.status, 200);
        assert.match(JSON.stringify(r.body), /which organisation/);
      },
    );
    await badInput(
      'unknown activity type',
      () => alice.post(alice.activity({ type: 'notARealType', deliveryMode: 'expectReplies' })),
      (r) => assert.ok(r.status >= 200 && r.status < 500, `status ${r.status}`),
    );
    await badInput(
      'unknown invoke name',
      () => alice.post(alice.activity({ type: 'invoke', name: 'made/up', value: {} })),
      (r) => assert.ok([200, 400, 501].includes(r.status), `status ${r.status}`),
    );
    await badInput(
      `oversized body (> MAX_BODY_BYTES = ${MAX_BODY_BYTES})`,
      () =>
        rawPost(
          JSON.stringify(
            alice.activity({
              type: 'message',
              text: `start ${'x'.repeat(MAX_BODY_BYTES)}`,
              deliveryMode: 'expectReplies',
            }),
          ),
        ),
      (r) => assert.equal(r.status, 413),
    );
    await badInput(
      'gzip-encoded body',
      () => rawPost('{}', { 'content-encoding': 'gzip' }),
      (r) => assert.equal(r.status, 415),
    );
    await badInput(
      'text/plain body',
      () => rawPost('type=message', { 'content-type': 'text/plain' }),
      (r) => assert.ok(r.status === 400 || r.status === 415, `status ${r.status}`),
    );
  });

  it('invokes: unknown verb, no action, wrong action type, Action.Submit fallback with a bad verb', async () => {
    await badInput(
      'invoke with unknown verb',
      () => alice.execute('launchMissiles', {}),
      (r) => assert.match(messageIn(r), /not recognised/),
    );
    await badInput(
      'invoke without action',
      () => alice.post(alice.activity({ type: 'invoke', name: 'adaptiveCard/action', value: {} })),
      (r) => {
        assert.equal(r.status, 400);
        assert.match(JSON.stringify(r.body), /Not a valid Action.Execute invoke/);
      },
    );
    await badInput(
      'invoke without value',
      () => alice.post(alice.activity({ type: 'invoke', name: 'adaptiveCard/action' })),
      (r) => assert.equal(r.status, 400, `invoke without value: ${r.status} ${JSON.stringify(r.body)}`),
    );
    await badInput(
      'invoke with Action.Submit type',
      () =>
        alice.post(
          alice.activity({
            type: 'invoke',
            name: 'adaptiveCard/action',
            value: { action: { type: 'Action.Submit', verb: 'record', data: {} } },
          }),
        ),
      (r) => assert.equal(r.status, 400, `Action.Submit: ${r.status} ${JSON.stringify(r.body)}`),
    );
    await badInput(
      'invoke with a 10 kB verb',
      () =>
        alice.post(
          alice.activity({
            type: 'invoke',
            name: 'adaptiveCard/action',
            value: { action: { type: 'Action.Execute', verb: 'v'.repeat(10_000) } },
          }),
        ),
      (r) => assert.equal(r.status, 400, `long verb: ${r.status} ${JSON.stringify(r.body)}`),
    );
    await badInput(
      'Action.Submit fallback message with unknown verb',
      () => alice.post(alice.activity({ type: 'message', value: { verb: 'nope' }, deliveryMode: 'expectReplies' })),
      (r) => {
        assert.equal(r.status, 200);
        assert.match(JSON.stringify(r.body), /not recognised/);
      },
    );
  });

  it('tampered questionnaire card data', async () => {
    const { s, next } = midState(3);
    await badInput(
      'answer code that does not exist',
      () => alice.execute('answer', { s, q: next.q, answer: 'made_up_code' }),
      (r) => assertStartAgainCard(r, /do not fit the questionnaire/),
    );
    await badInput(
      'answer code with illegal characters',
      () => alice.execute('answer', { s, q: next.q, answer: '<script>' }),
      (r) => assertStartAgainCard(r, /could not be read/),
    );
    const skipped = { ...s, a: { ...s.a } as Record<string, string> };
    delete skipped.a.about;
    await badInput(
      'a skipped required step',
      () => alice.execute('answer', { s: skipped, q: next.q, answer: next.answer }),
      (r) => assertStartAgainCard(r, /do not fit the questionnaire/),
    );
    await badInput(
      'unknown question id in state',
      () =>
        alice.execute('answer', {
          s: { ...s, a: { ...s.a, favourite_colour: 'blue' } },
          q: next.q,
          answer: next.answer,
        }),
      (r) => assertStartAgainCard(r, /do not fit the questionnaire/),
    );
    await badInput(
      'forged owner (s.o) on answer',
      () => alice.execute('answer', { s: { ...s, o: bob.user.aadObjectId }, q: next.q, answer: next.answer }),
      (r) => assert.match(messageIn(r), /belongs to someone else/),
    );
    await badInput(
      'forged owner (s.o) on back',
      () => alice.execute('back', { s: { ...s, o: bob.user.aadObjectId } }),
      (r) => assert.match(messageIn(r), /belongs to someone else/),
    );
    await badInput(
      'forged owner (s.o) on restart',
      () => alice.execute('restart', { s: { ...s, o: bob.user.aadObjectId } }),
      (r) => assert.match(messageIn(r), /belongs to someone else/),
    );
    // A later question than the one on the card.
    const later = pathAnswers(SHARE_WITHOUT_ASKING, 6).next!;
    await badInput(
      'answer for a question not on the card (a later one)',
      () => alice.execute('answer', { s, q: later.q, answer: later.answer }),
      (r) => assertStartAgainCard(r, /do not fit the questionnaire/),
    );
    await badInput(
      'answer for a question already answered',
      () => alice.execute('answer', { s, q: 'route', answer: 'sharing_out' }),
      (r) => assertStartAgainCard(r, /already been answered/),
    );
    await badInput(
      'answer for a prototype property name (q = "constructor")',
      () => alice.execute('answer', { s, q: 'constructor', answer: 'x' }),
      (r) => assertStartAgainCard(r, /already been answered|do not fit|could not be read/),
    );
    await badInput(
      'state answers with "__proto__" key',
      () =>
        alice.execute('answer', {
          s: { ...s, a: JSON.parse('{"__proto__":"x","route":"sharing_out"}') },
          q: next.q,
          answer: next.answer,
        }),
      (r) => assertStartAgainCard(r, /do not fit|could not be read/),
    );
    const huge = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`q${i}`, 'yes']));
    await badInput(
      'huge answers map (400 answers)',
      () => alice.execute('answer', { s: { ...s, a: huge }, q: next.q, answer: next.answer }),
      (r) => assertStartAgainCard(r, /could not be read/),
    );
    await badInput(
      'answers map with 60 unknown answers (at the schema limit)',
      () =>
        alice.execute('answer', {
          s: { ...s, a: Object.fromEntries(Object.entries(huge).slice(0, 60)) },
          q: next.q,
          answer: next.answer,
        }),
      (r) => assertStartAgainCard(r, /do not fit/),
    );
    await badInput(
      'state that is a string',
      () => alice.execute('answer', { s: 'eyJ2Ijoi', q: next.q, answer: next.answer }),
      (r) => assertStartAgainCard(r, /could not be read/),
    );
    if ('i' in s) {
      await badInput(
        'card state with a malformed questionnaire id (s.i)',
        () => alice.execute('answer', { s: { ...s, i: '../../etc' }, q: next.q, answer: next.answer }),
        (r) => assertStartAgainCard(r, /could not be read/),
      );
    }
    await badInput(
      'stale card from an older rule pack (s.v = 2014.01-r0)',
      () => alice.execute('answer', { s: { ...s, v: '2014.01-r0' }, q: next.q, answer: next.answer }),
      (r) => {
        const card = cardIn(r);
        assert.match(cardText(card), /out of date/);
        // The card's own values are never echoed (they are whatever the sender put there).
        assert.doesNotMatch(cardText(card), /2014\.01-r0/);
        assert.match(cardText(card), new RegExp(RULE_PACK_VERSION.replace(/\./g, '\\.')));
        assert.equal(findAction(card, 'Start again').verb, 'restart');
      },
    );
  });

  it('tampered record submissions', async () => {
    const record = findAction(aliceOutcome, 'Record this decision').data as { s: CardState; k: string };
    const form = { ...RECORD_FORM, caseReference: 'BAD-ALICE-1' };
    await badInput(
      'record before the questions were finished',
      () => alice.execute('record', { s: midState(5).s, k: randomUUID(), ...form }),
      (r) => assertStartAgainCard(r, /before the questions were finished/),
    );
    await badInput(
      'record with a forged owner',
      () => alice.execute('record', { ...record, s: { ...record.s, o: bob.user.aadObjectId }, ...form }),
      (r) => assert.match(messageIn(r), /belongs to someone else/),
    );
    await badInput(
      'record with an idempotency key that is not a UUID',
      () => alice.execute('record', { ...record, k: 'not-a-uuid', ...form }),
      (r) => assertStartAgainCard(r, /could not be read/),
    );
    await badInput(
      'record with a forged questionnaire id (s.i): not the user’s current questionnaire',
      () => alice.execute('record', { ...record, s: { ...record.s, i: randomUUID() }, ...form }),
      (r) => assert.match(cardText(cardIn(r)), /out of date|newer questionnaire/),
    );
    await badInput(
      'record with a stale rule-pack version',
      () => alice.execute('record', { ...record, s: { ...record.s, v: '2014.01-r0' }, ...form }),
      (r) => assert.match(cardText(cardIn(r)), /out of date/),
    );
    await badInput(
      'record form with an email address',
      () => alice.execute('record', { ...record, ...form, informationOutline: 'mum is jane@example.org' }),
      (r) => assert.match(cardText(cardIn(r)), /Not recorded yet.*remove the email address/s),
    );
    await badInput(
      'record form with a name-like case reference',
      () => alice.execute('record', { ...record, ...form, caseReference: 'Jane Smith, 4 High St' }),
      (r) => assert.match(cardText(cardIn(r)), /Not recorded yet.*Case reference/s),
    );
    await badInput(
      'record form with non-string values',
      () => alice.execute('record', { ...record, ...form, consentStatus: 42, channel: ['email'] }),
      (r) => assert.match(cardText(cardIn(r)), /Not recorded yet/),
    );
    await badInput(
      'record form with an 8 kB outline',
      () => alice.execute('record', { ...record, ...form, informationOutline: 'a'.repeat(8000) }),
      (r) => assert.match(cardText(cardIn(r)), /Not recorded yet/),
    );
  });

  it('replayed submissions: the same idempotency key twice is one record; the replay says "already recorded"', async () => {
    const before = await rowCounts();
    const form = { ...RECORD_FORM, caseReference: 'BAD-REPLAY-1' };
    const first = await alice.click(aliceOutcome, 'Record this decision', form);
    const id = recordIdOf(first);
    assert.ok(id, cardText(first));
    const mid = await rowCounts();
    assert.ok(mid.decisions > before.decisions, 'the first submission wrote the record');
    await badInput(
      'replayed record submission (same idempotency key)',
      () => alice.click(aliceOutcome, 'Record this decision', form),
      (card) => {
        assert.equal(recordIdOf(card), id);
        assert.match(cardText(card), /already been recorded; nothing was saved twice/);
      },
    );
    await badInput(
      'replay with different form values (same key)',
      () => alice.click(aliceOutcome, 'Record this decision', { ...form, caseReference: 'BAD-REPLAY-2' }),
      (card) => {
        assert.equal(recordIdOf(card), id);
        assert.match(cardText(card), /already been recorded/);
      },
    );
    await badInput(
      "replay of Alice's card by Bob (same key)",
      () => bob.execute('record', { ...(findAction(aliceOutcome, 'Record this decision').data as object), ...form }),
      (r) => assert.match(messageIn(r), /belongs to someone else/),
    );
    assert.equal((await bot.app.stores.decisions.byCase(TENANT_A, 'BAD-REPLAY-1')).length, 1);
    assert.equal((await bot.app.stores.decisions.byCase(TENANT_A, 'BAD-REPLAY-2')).length, 0);
  });

  it('forged record ids where features take them (follow-ups, records cards)', async () => {
    await badInput(
      "follow-up on another user's record id",
      () => alice.execute('followUp.subjectInformed', { r: bobRecordId, how: 'told' }),
      (r) => assert.match(messageIn(r), /Only the practitioner who recorded this decision, or a manager/),
    );
    await badInput(
      'follow-up on a record id that does not exist',
      () => alice.execute('followUp.subjectInformed', { r: 'D-20260101-ZZZZZZ', how: 'told' }),
      (r) => assert.match(messageIn(r), /could not be found/),
    );
    await badInput(
      'follow-up with a malformed record id',
      () => alice.execute('followUp.subjectInformed', { r: "D-1' or 1 eq 1", how: 'told' }),
      (r) => assert.match(messageIn(r), /could not be read/),
    );
    await badInput(
      'follow-up with an unknown "how"',
      () => alice.execute('followUp.subjectInformed', { r: bobRecordId, how: 'shrug' }),
      (r) => assert.match(messageIn(r), /could not be read/),
    );
    await badInput(
      'party-informed with forged ids',
      () => alice.execute('followUp.partyInformed', { w: 'D-20260101-AAAAAA', s: bobRecordId }),
      (r) => assert.match(messageIn(r), /could not be found/),
    );
    await badInput(
      'party-informed using a decision as the withdrawal',
      () => alice.execute('followUp.partyInformed', { w: bobRecordId, s: bobRecordId }),
      (r) => assert.match(messageIn(r), /could not be found/),
    );
    await badInput(
      "withdrawal status of another user's record",
      () => alice.execute('followUp.withdrawalStatus', { w: bobRecordId }),
      (r) => assert.match(messageIn(r), /could not be found/),
    );
    await badInput(
      'records page with a forged (unsigned) state',
      () =>
        alice.execute('records.page', {
          state: Buffer.from(
            JSON.stringify({ v: 1, tn: TENANT_A, o: alice.user.aadObjectId, m: 'manager', f: {}, n: 50, p: 1, b: [] }),
          ).toString('base64url'),
        }),
      (r) => assert.match(messageIn(r), /could not be read/),
    );
    await badInput(
      'records export without state',
      () => alice.execute('records.export', {}),
      (r) => assert.match(messageIn(r), /could not be read/),
    );
    // Bob's own follow-up still works afterwards (the refusals changed nothing).
    const done = await bob.execute('followUp.subjectInformed', { r: bobRecordId, how: 'told' });
    assert.match(cardText(cardIn(done)), /Follow-up recorded/);
  });

  it('sanity: the engine agrees that the fixture answers reach an outcome', () => {
    assert.equal(evaluate(rulePack, SHARE_WITHOUT_ASKING).kind, 'outcome');
  });
});
