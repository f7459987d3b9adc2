/**
 * Hostile input from a signed-in practitioner of an allowed tenant, over HTTP to the real restify
 * server with a real Azurite (issue 12, items 1, 5, 6 and 11):
 *  - availability: free text and messages far over their limits are refused by the limit, before
 *    any pattern looks at them (the timing side is test/integration/robustness/patternTiming.test.ts);
 *  - disguised contact details are refused in every free-text field, ordinary wording is recorded;
 *  - control and bidi characters never reach a stored record or an export, and a full-width "＝"
 *    cannot start a formula in the CSV;
 *  - a message whose text is not a string, or whose entities are malformed, is answered as bad
 *    input: no turn error, and nothing of the text in the logs.
 */
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { CSV_COLUMNS } from '../../../src/bot/features/records/csv';
import { VERBS } from '../../../src/bot/kit/verbs';
import { MAX_FORM_INPUT } from '../../../src/bot/features/questionnaire/state';
import { MAX_MESSAGE_TEXT } from '../../../src/bot/userText';
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
import { DISGUISED, INNOCENT } from '../../fixtures/contactDetailsCorpus';
import { CASES } from '../../unit/domain/practitionerCases';
import { PUBLIC_BASE_URL, SIGNING_SECRET, parseCsv } from '../records/support';
import { RECORD_FORM, SHARE_WITHOUT_ASKING, answerAll, recordIdOf } from '../robustness/support';

let bot: BotHarness;
const manager = newUser('Mona Manager');

/** A fresh questionnaire for `client`, walked to its outcome card (with the record form). */
async function outcomeFor(client: TeamsClient): Promise<Card> {
  return answerAll(client, cardOf((await client.say('start'))[0]!), SHARE_WITHOUT_ASKING);
}

/** Presses "Record this decision" with these form values and a new idempotency key. */
async function record(client: TeamsClient, outcome: Card, form: Record<string, string>): Promise<Card> {
  return client.click(outcome, 'Record this decision', { ...RECORD_FORM, ...form, k: randomUUID() });
}

const recordsFor = (caseReference: string) => bot.app.stores.decisions.byCase(TENANT_A, caseReference);

/** No log line holds `needle` (the logs are parsed JSON; searched as text). */
function assertNotLogged(needle: string): void {
  const hits = bot.logs.filter((line) => JSON.stringify(line).includes(needle));
  assert.deepEqual(hits, [], `logged: ${needle.slice(0, 40)}`);
}

async function post(body: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${bot.baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

const repliesOf = (body: unknown) => (body as { activities?: Array<Record<string, unknown>> }).activities ?? [];

describe('hostile input from a colleague in the same tenant', () => {
  before(async () => {
    bot = await startBot({
      MANAGER_AAD_OBJECT_IDS: `${TENANT_A}:${manager.aadObjectId}`,
      SIGNING_SECRET,
      PUBLIC_BASE_URL,
    });
  });
  after(async () => bot?.stop());

  describe('1. length limits come before any pattern', () => {
    it('free text of ~60 KB per field built as "aaaa…@aaaa…" is refused by the length limit, and nothing is recorded', async () => {
      const client = new TeamsClient(bot.baseUrl, newUser('Hostile'), personalChat());
      const outcome = await outcomeFor(client);
      const hostile = `${'a'.repeat(30_000)}@${'a'.repeat(30_000)}`;
      const started = Date.now();
      const again = await record(client, outcome, {
        caseReference: 'HOSTILE-LEN-1',
        reasonsWithoutConsent: hostile,
        recipientRole: hostile,
        informationOutline: hostile,
        subjectInformed: 'not_informing',
        subjectNotInformedReason: hostile,
      });
      console.log(`4 fields of ${hostile.length} characters answered in ${Date.now() - started} ms`);
      const text = cardText(again);
      assert.match(text, /Not recorded yet/);
      for (const limit of [
        'Reasons: use at most 1000 characters',
        'Role: use at most 80 characters',
        'Outline: use at most 500 characters',
        'Why not told: use at most 500 characters',
      ]) {
        assert.ok(text.includes(limit), `names the limit "${limit}"`);
      }
      assert.deepEqual(await recordsFor('HOSTILE-LEN-1'), []);
      // The refused form echoes the inputs back cut to just over the longest limit, not the whole body.
      const echoed = Buffer.byteLength(JSON.stringify(again));
      assert.ok(echoed < 4 * MAX_FORM_INPUT + 20_000, `card of ${echoed} bytes`);
      assert.ok(
        JSON.stringify(again).includes('a'.repeat(MAX_FORM_INPUT)) &&
          !JSON.stringify(again).includes('a'.repeat(MAX_FORM_INPUT + 1)),
      );
    });

    it('a message of 120,000 "<" is answered as too long for a command, and the text is not logged', async () => {
      const client = new TeamsClient(bot.baseUrl, newUser('Hostile'), personalChat());
      const started = Date.now();
      const replies = await client.say(`<${'<'.repeat(120_000)}MARKER-angle`);
      console.log(`120,000 "<" answered in ${Date.now() - started} ms`);
      assert.equal(replies.length, 1);
      const text = cardText(cardOf(replies[0]!));
      assert.match(text, /too long for me to read as a command/);
      assert.ok(text.includes(MAX_MESSAGE_TEXT.toLocaleString('en-GB')), 'says what the limit is');
      assertNotLogged('MARKER-angle');
      assert.ok(bot.logs.some((l) => l.event === 'message.bad_input' && l.reason === 'too_long'));
    });

    it('a command at the limit still works', async () => {
      const client = new TeamsClient(bot.baseUrl, newUser('Padded'), personalChat());
      const replies = await client.say(`help${' '.repeat(MAX_MESSAGE_TEXT - 4)}`);
      assert.match(cardText(cardOf(replies[0]!)), /999/);
    });
  });

  describe('5. disguised contact details', () => {
    it(`every disguised email address and phone number in the corpus is refused in the record form, and nothing is recorded`, async () => {
      const client = new TeamsClient(bot.baseUrl, newUser('Disguiser'), personalChat());
      const outcome = await outcomeFor(client);
      const accepted: string[] = [];
      for (const [i, [text, kind]] of DISGUISED.entries()) {
        const field = i % 2 ? 'informationOutline' : 'reasonsWithoutConsent';
        const card = await record(client, outcome, { caseReference: `HOSTILE-CD-${i}`, [field]: text });
        if (!cardText(card).includes(`remove the ${kind}`)) accepted.push(`${field}: ${JSON.stringify(text)}`);
      }
      assert.deepEqual(accepted, []);
      const stored = await Promise.all(DISGUISED.map((_, i) => recordsFor(`HOSTILE-CD-${i}`)));
      assert.equal(stored.flat().length, 0);
    });

    it('ordinary wording (dates, times, case references, "seen at school") is recorded as typed', async () => {
      const client = new TeamsClient(bot.baseUrl, newUser('Plain Writer'), personalChat());
      const outcome = await outcomeFor(client);
      const sample = INNOCENT.filter((t) => t.length <= 500).slice(0, 12);
      for (const [i, text] of sample.entries()) {
        const card = await record(client, outcome, { caseReference: `HOSTILE-OK-${i}`, informationOutline: text });
        assert.ok(recordIdOf(card), `recorded ${JSON.stringify(text)}: ${cardText(card).slice(0, 300)}`);
        const [stored] = await recordsFor(`HOSTILE-OK-${i}`);
        assert.equal(stored?.informationOutline, text);
      }
    });
  });

  describe('5 and 6 in the follow-up reason: the same check and the same sanitiser', () => {
    it('"will not be told" refuses a disguised address and stores the reason without control characters', async () => {
      const client = new TeamsClient(bot.baseUrl, newUser('Follow Upper'), personalChat());
      // A share despite refusal owes an "inform the person later" follow-up.
      const justified = CASES.find((c) => c.ruleId === 'share-despite-refusal-justified')!;
      const outcome = await answerAll(client, cardOf((await client.say('start'))[0]!), justified.answers);
      const recorded = await record(client, outcome, {
        caseReference: 'HOSTILE-FU-1',
        consentStatus: 'sought_refused',
      });
      const decisionId = recordIdOf(recorded);
      assert.ok(decisionId, cardText(recorded));
      const [decision] = await recordsFor('HOSTILE-FU-1');
      assert.ok(
        decision?.openFollowUps.includes('inform_subject_later'),
        'the decision owes a "tell them later" follow-up',
      );

      const refused = await client.execute(VERBS.subjectInformed, {
        r: decisionId,
        how: 'not_telling',
        why: 'ask alice at example dot com',
      });
      assert.match(cardText(refused.value), /remove the contact details/);
      assert.equal((await recordsFor('HOSTILE-FU-1')).length, 1, 'nothing more recorded');

      const saved = await client.execute(VERBS.subjectInformed, {
        r: decisionId,
        how: 'not_telling',
        why: 'Telling\u202E them\u0000 would\u001B increase risk',
      });
      assert.match(cardText(saved.value), /Follow-up recorded/);
      const followUp = (await recordsFor('HOSTILE-FU-1')).find((r) => r.kind === 'follow_up_subject_informed');
      assert.equal(followUp?.subjectNotInformedReason, 'Telling them would increase risk');
    });
  });

  describe('6. control and bidirectional characters', () => {
    const dirty = (s: string) => `${s}\u0000\u001B[2J\u202Eevil\u202C\u2066x\u2069\u200E\u009B`;

    it('are removed at the boundary: not stored in the record, nor in the display name', async () => {
      const client = new TeamsClient(bot.baseUrl, newUser('Eve\u202E \u0000Spoof'), personalChat());
      const outcome = await outcomeFor(client);
      const card = await record(client, outcome, {
        caseReference: 'HOSTILE-CTRL-1',
        reasonsWithoutConsent: dirty('Risk of harm'),
        recipientRole: dirty('duty officer'),
        informationOutline: `${dirty('Concerns')}\r\nsecond line`,
        subjectInformed: 'not_informing',
        subjectNotInformedReason: dirty('Would increase risk'),
      });
      assert.ok(recordIdOf(card), cardText(card));
      const [stored] = await recordsFor('HOSTILE-CTRL-1');
      assert.ok(stored);
      assert.equal(stored.reasonsWithoutConsent, 'Risk of harm[2Jevilx');
      assert.equal(stored.recipientRole, 'duty officer[2Jevilx');
      assert.equal(stored.informationOutline, 'Concerns[2Jevilx\nsecond line');
      assert.equal(stored.subjectNotInformedReason, 'Would increase risk[2Jevilx');
      assert.equal(stored.decidedBy.name, 'Eve Spoof');
      const invisible = /[\p{Cc}\p{Cf}]/u;
      for (const value of [
        stored.reasonsWithoutConsent,
        stored.recipientRole,
        stored.subjectNotInformedReason,
        stored.decidedBy.name,
      ]) {
        assert.ok(!invisible.test(value ?? ''), JSON.stringify(value));
      }
    });

    it('a full-width "＝" (and ＋ － ＠) cannot start a formula in the CSV export, and nothing invisible is exported', async () => {
      const client = new TeamsClient(bot.baseUrl, newUser('＠SUM(1+1)'), personalChat());
      const outcome = await outcomeFor(client);
      const form = {
        caseReference: 'HOSTILE-CSV-1',
        recipientRole: '＝HYPERLINK("http://evil.example","x")',
        reasonsWithoutConsent: '＋1+cmd|calc',
        informationOutline: '\u202E－2+3',
      };
      assert.ok(recordIdOf(await record(client, outcome, form)));

      const managerChat = new TeamsClient(bot.baseUrl, manager, personalChat());
      const exportCard = cardOf((await managerChat.say('export case HOSTILE-CSV-1'))[0]!);
      const open = (exportCard.actions ?? []).find((a) => a.type === 'Action.OpenUrl');
      assert.ok(open, cardText(exportCard));
      const url = new URL(String(open.url));
      const res = await fetch(`${bot.baseUrl}${url.pathname}${url.search}`);
      assert.equal(res.status, 200);
      const body = (await res.text()).replace(/^\uFEFF/, '');
      const [header, row] = parseCsv(body);
      assert.deepEqual(header, [...CSV_COLUMNS]);
      assert.ok(row);
      const col = (name: (typeof CSV_COLUMNS)[number]) => row[CSV_COLUMNS.indexOf(name)]!;
      assert.equal(col('recipient_role'), `'${form.recipientRole}`);
      assert.equal(col('reasons_without_consent'), `'${form.reasonsWithoutConsent}`);
      assert.equal(col('information_outline'), "'－2+3");
      assert.equal(col('decided_by_name'), "'＠SUM(1+1)");
      const invisible = [...body].filter((ch) => /\p{Cf}/u.test(ch) || (/\p{Cc}/u.test(ch) && !'\r\n'.includes(ch)));
      assert.deepEqual(invisible, [], 'no control or bidi characters in the file');
    });
  });

  describe('11. message text that is not a string, or malformed entities', () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['text is a number', { text: 42 }],
      ['text is an object', { text: { note: 'MARKER-object' } }],
      ['text is an array', { text: ['start', 'MARKER-array'] }],
      ['entities is not an array', { text: 'start', entities: 'MARKER-entities' }],
      ['an entity is null', { text: 'start', entities: [null] }],
      ['an entity has no type', { text: 'start', entities: [{ mentioned: { id: '28:bot' }, text: 'MARKER-notype' }] }],
      ['a mention without "mentioned"', { text: 'start', entities: [{ type: 'mention', text: 'MARKER-mention' }] }],
      [
        'a mention whose text is a number',
        { text: 'start', entities: [{ type: 'mention', mentioned: { id: '28:bot' }, text: 7 }] },
      ],
    ];

    for (const [label, extra] of cases) {
      it(`${label}: answered as bad input, no turn error, nothing of the text logged`, async () => {
        const client = new TeamsClient(bot.baseUrl, newUser('Odd Client'), personalChat());
        const before = bot.logs.length;
        const res = await post(client.activity({ type: 'message', deliveryMode: 'expectReplies', ...extra }));
        assert.equal(res.status, 200, JSON.stringify(res.body));
        const replies = repliesOf(res.body);
        assert.equal(replies.length, 1);
        const text = cardText(cardOf(replies[0]!));
        assert.match(text, /I could not read that/);
        assert.match(text, /not in the form Teams sends/);
        const logged = bot.logs.slice(before);
        assert.ok(!logged.some((l) => String(l.event).startsWith('turn.')), `no turn error: ${JSON.stringify(logged)}`);
        assert.ok(logged.some((l) => l.event === 'message.bad_input' && l.reason === 'malformed'));
        assertNotLogged('MARKER-');
        // The same user, straight after, is served as normal.
        const [welcome] = await client.say('help');
        assert.equal(findAction(cardOf(welcome!), 'Start: can I share?').verb, 'start');
      });
    }

    it('a well-formed @mention in a channel is still removed before the command is read', async () => {
      const client = new TeamsClient(bot.baseUrl, newUser('Channel User'), personalChat());
      const res = await post(
        client.activity({
          type: 'message',
          deliveryMode: 'expectReplies',
          text: '<at>Can I share?</at> help',
          entities: [
            { type: 'mention', mentioned: { id: '28:bot', name: 'Can I share?' }, text: '<at>Can I share?</at>' },
            { type: 'clientInfo', locale: 'en-GB' },
          ],
        }),
      );
      assert.equal(res.status, 200);
      assert.match(cardText(cardOf(repliesOf(res.body)[0]!)), /999/);
    });
  });
});
