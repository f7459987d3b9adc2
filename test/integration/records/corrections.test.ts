/**
 * Corrections (issue 16 §1), over HTTP to the real server with records in a real Azurite: a
 * practitioner adds a correction to their OWN record — a new linked entity (kind 'correction',
 * parentId = the record) with the reason and the corrected values, the original kept as it was —
 * shown with the original in "my decisions", in a manager's case view and in the CSV export.
 * A colleague's record, a manager acting on someone else's record and another tenant's record all
 * get exactly the not-found answer, and nothing is written. Records written before the new fields
 * existed still list and export.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { odata } from '@azure/data-tables';
import { CSV_COLUMNS } from '../../../src/bot/features/records/csv';
import type { StoredRecord } from '../../../src/storage/contract';
import {
  TENANT_A,
  TENANT_B,
  TeamsClient,
  cardOf,
  cardText,
  newUser,
  personalChat,
  startBot,
  type BotHarness,
  type Card,
} from '../../support/botHarness';
import { cardProblems } from '../../support/cardValidation';
import { RECORD_FORM, SHARE_WITHOUT_ASKING } from '../../support/scenarios';
import { ClockedSeeder, PUBLIC_BASE_URL, SIGNING_SECRET, idsOf, parseCsv } from './support';

const manager = newUser('Mona Manager');
const alice = newUser('Alice Practitioner');
const bob = newUser('Bob Colleague');
const NOT_FOUND = 'That record could not be found. Only the practitioner who recorded a decision can correct it.';

let bot: BotHarness;

async function say(client: TeamsClient, text: string): Promise<Card> {
  const replies = await client.say(text);
  assert.equal(replies.length, 1);
  return cardOf(replies[0]!);
}

/** Every input's initial value on a card, as Teams would send them with a button that takes the inputs. */
function formValues(card: unknown, out: Record<string, string> = {}): Record<string, string> {
  if (Array.isArray(card)) card.forEach((n) => formValues(n, out));
  else if (card && typeof card === 'object') {
    const o = card as Record<string, unknown>;
    if (typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.id === 'string')
      out[o.id] = typeof o.value === 'string' ? o.value : '';
    Object.values(o).forEach((v) => formValues(v, out));
  }
  return out;
}

async function recordViaQuestionnaire(client: TeamsClient, caseReference: string): Promise<{ card: Card; id: string }> {
  let card = await say(client, 'start');
  for (let i = 0; i < 40; i++) {
    const next = (card.actions ?? []).find((a) => a.title === 'Next');
    if (!next) break;
    const q = String((next.data as { q: string }).q);
    card = await client.click(card, 'Next', { answer: (SHARE_WITHOUT_ASKING as Record<string, string>)[q]! });
  }
  const recorded = await client.click(card, 'Record this decision', { ...RECORD_FORM, caseReference });
  const id = /Record id: \*\*(D-[A-Z0-9-]+)\*\*/.exec(cardText(recorded))?.[1];
  assert.ok(id, cardText(recorded));
  return { card: recorded, id };
}

/** Every entity in tenant A's partition (records, index rows, markers), to prove a refusal wrote nothing. */
async function partitionRowCount(): Promise<number> {
  let n = 0;
  for await (const _ of bot.app.tables.decisions.listEntities({
    queryOptions: { filter: odata`PartitionKey eq ${TENANT_A}`, select: ['RowKey'] },
  }))
    n++;
  return n;
}

/** The CSV rows (header first) of a manager's export for one case. */
async function exportCase(caseReference: string): Promise<string[][]> {
  const card = await say(new TeamsClient(bot.baseUrl, manager, personalChat()), `export case ${caseReference}`);
  const open = (card.actions ?? []).find((a) => a.type === 'Action.OpenUrl');
  assert.ok(open, cardText(card));
  const url = new URL(String(open.url));
  const res = await fetch(`${bot.baseUrl}${url.pathname}${url.search}`);
  assert.equal(res.status, 200);
  const bytes = Buffer.from(await res.arrayBuffer());
  return parseCsv(bytes.subarray(3).toString('utf8'));
}

describe('records: a practitioner’s correction of their own record', () => {
  let seededBob: StoredRecord;
  let legacy: StoredRecord;
  before(async () => {
    bot = await startBot({
      MANAGER_AAD_OBJECT_IDS: `${TENANT_A}:${manager.aadObjectId}`,
      SIGNING_SECRET,
      PUBLIC_BASE_URL,
    });
    const seed = new ClockedSeeder(bot.app.tables.decisions);
    seededBob = await seed.record(new Date(Date.now() - 3_600_000), {
      tenantId: TENANT_A,
      by: bob,
      caseReference: 'CSC-CORR-BOB',
    });
    // As written before purpose, risk, role and review date were asked: none of them is present.
    legacy = await seed.record(new Date(Date.now() - 7_200_000), {
      tenantId: TENANT_A,
      by: alice,
      caseReference: 'CSC-CORR-LEGACY',
    });
  });
  after(async () => bot?.stop());

  const aliceChat = () => new TeamsClient(bot.baseUrl, alice, personalChat());

  it('adds a linked correction to the practitioner’s own record, keeps the original, and shows both in my decisions, the case view and the CSV', async () => {
    const client = aliceChat();
    const { card: recorded, id } = await recordViaQuestionnaire(client, 'CSC-CORR-OWN');
    const original = (await bot.app.stores.decisions.get(TENANT_A, id))!;

    const form = await client.click(recorded, 'Correct this record');
    assert.deepEqual(cardProblems(form), []);
    assert.ok(Buffer.byteLength(JSON.stringify(form)) < 20_000);
    assert.match(cardText(form), new RegExp(`Correct record ${id}`));
    const values = formValues(form);
    assert.equal(values.channel, 'secure_system', 'pre-filled with the record’s values');
    assert.equal(values.purpose, 'safeguarding_child');

    const reason = 'The information went by phone, not the secure system.';
    const done = await client.click(form, 'Add this correction', {
      ...values,
      channel: 'phone',
      correctionReason: reason,
    });
    assert.match(cardText(done), /Correction recorded/);
    const history = await bot.app.stores.decisions.byCase(TENANT_A, 'CSC-CORR-OWN');
    assert.equal(history.length, 2);
    const correction = history.find((r) => r.kind === 'correction')!;
    assert.ok(correction, 'a correction entity');
    assert.match(cardText(done), new RegExp(correction.id));
    assert.equal(correction.parentId, id);
    assert.equal(correction.correctionReason, reason);
    assert.deepEqual(correction.correctedFields, ['channel']);
    assert.equal(correction.channel, 'phone');
    assert.equal(correction.caseReference, original.caseReference);
    assert.equal(correction.decidedBy.aadObjectId, alice.aadObjectId);
    assert.deepEqual(correction.openFollowUps, [], 'a correction opens no follow-up of its own');
    assert.deepEqual(await bot.app.stores.decisions.get(TENANT_A, id), original, 'the original is unchanged');

    // My decisions: the correction is listed with (and linked to) the original.
    const mine = await say(aliceChat(), 'my decisions case CSC-CORR-OWN');
    assert.deepEqual(idsOf(mine), [correction.id, id]);
    assert.match(cardText(mine), new RegExp(`Correction by its practitioner \\(of ${id}\\)`));
    assert.match(cardText(mine), /corrects channel — “The information went by phone/);
    assert.deepEqual(cardProblems(mine), []);
    // Its decisions (not the correction) can be chosen for a further correction, from the list itself.
    const chooser = findInput(mine, 'r');
    assert.ok(chooser, 'my decisions offers a correction');
    assert.deepEqual(
      (chooser.choices as Array<{ value: string }>).map((c) => c.value),
      [id],
    );
    const button = findExecute(mine, 'Correct the chosen record');
    assert.ok(button, 'beside the chooser');
    const again = await aliceChat().execute(String(button.verb), {
      ...(button.data as Record<string, unknown>),
      r: id,
    });
    assert.match(cardText(again.value), new RegExp(`Correct record ${id}`));
    // The form shows the record as it now stands (with the correction), and a further correction
    // is compared with that: only what changes again is named.
    const now = formValues(again.value);
    assert.equal(now.channel, 'phone');
    const second = await aliceChat().click(again.value as Card, 'Add this correction', {
      ...now,
      deciderRole: 'teacher',
      correctionReason: 'Wrong role too.',
    });
    assert.match(cardText(second), /Corrected: decider’s role\./);
    const latest = (await bot.app.stores.decisions.byCase(TENANT_A, 'CSC-CORR-OWN'))[0]!;
    assert.deepEqual(latest.correctedFields, ['deciderRole']);
    assert.equal(latest.channel, 'phone', 'the earlier correction is carried forward');
    assert.equal(latest.parentId, id);

    // A manager's case view shows both.
    const caseView = await say(new TeamsClient(bot.baseUrl, manager, personalChat()), 'case CSC-CORR-OWN');
    assert.deepEqual(idsOf(caseView), [latest.id, correction.id, id]);
    assert.match(cardText(caseView), /corrects channel/);
    assert.equal(findInput(caseView, 'r'), undefined, 'a manager is not offered corrections of others’ records');

    // The CSV: the correction is its own row, linked to its parent.
    const [header, ...rows] = await exportCase('CSC-CORR-OWN');
    assert.deepEqual(header, [...CSV_COLUMNS]);
    const col = (row: string[], name: (typeof CSV_COLUMNS)[number]) => row[CSV_COLUMNS.indexOf(name)];
    const corrRow = rows.find((r) => col(r, 'record_id') === correction.id)!;
    assert.ok(corrRow);
    assert.equal(col(corrRow, 'kind'), 'correction');
    assert.equal(col(corrRow, 'parent_id'), id);
    assert.equal(col(corrRow, 'correction_reason'), reason);
    assert.equal(col(corrRow, 'corrected_fields'), 'channel');
    assert.equal(col(corrRow, 'channel'), 'phone');
    const origRow = rows.find((r) => col(r, 'record_id') === id)!;
    assert.equal(col(origRow, 'channel'), 'secure_system');
    assert.equal(col(origRow, 'purpose'), 'safeguarding_child');
    assert.equal(col(origRow, 'decider_role'), 'designated_safeguarding_lead');
    assert.equal(col(origRow, 'review_by'), RECORD_FORM.reviewBy);
    assert.equal(col(origRow, 'risk_of_not_sharing'), RECORD_FORM.riskOfNotSharing);
  });

  it('a double-clicked or retried "Add this correction" records one correction', async () => {
    const client = aliceChat();
    const { card: recorded } = await recordViaQuestionnaire(client, 'CSC-CORR-DOUBLE');
    const form = await client.click(recorded, 'Correct this record');
    const inputs = { ...formValues(form), deciderRole: 'social_worker', correctionReason: 'I chose the wrong role.' };
    const [a, b] = await Promise.all([
      client.click(form, 'Add this correction', inputs),
      client.click(form, 'Add this correction', inputs),
    ]);
    assert.match(cardText(a), /Correction (already )?recorded/);
    assert.match(cardText(b), /Correction (already )?recorded/);
    const corrections = (await bot.app.stores.decisions.byCase(TENANT_A, 'CSC-CORR-DOUBLE')).filter(
      (r) => r.kind === 'correction',
    );
    assert.equal(corrections.length, 1);
    // Pressed once more later (a retry): the same correction, said so, nothing more written.
    const retry = await client.click(form, 'Add this correction', inputs);
    assert.match(cardText(retry), /Correction already recorded/);
    assert.match(cardText(retry), new RegExp(corrections[0]!.id));
    assert.equal(
      (await bot.app.stores.decisions.byCase(TENANT_A, 'CSC-CORR-DOUBLE')).filter((r) => r.kind === 'correction')
        .length,
      1,
    );
  });

  it('refuses a correction without a reason, without a change, or with contact details, and writes nothing', async () => {
    const client = aliceChat();
    const { card: recorded } = await recordViaQuestionnaire(client, 'CSC-CORR-REFUSE');
    const form = await client.click(recorded, 'Correct this record');
    const values = formValues(form);
    const before = await partitionRowCount();
    const tries: Array<[Record<string, string>, RegExp]> = [
      [{ channel: 'phone', correctionReason: '' }, /Reason: say why you are correcting the record/],
      [{ correctionReason: 'Just checking.' }, /Nothing was changed/],
      [{ channel: 'phone', correctionReason: 'Ring me on 07700 900123 about it' }, /remove the phone number/],
      [
        { informationOutline: 'write to mum@example.com', correctionReason: 'Outline was wrong.' },
        /Outline: remove the email address/,
      ],
      [{ purpose: 'curiosity', correctionReason: 'Purpose was wrong.' }, /Purpose: choose one of the options/],
    ];
    for (const [change, problem] of tries) {
      const refused = await client.click(form, 'Add this correction', { ...values, ...change });
      assert.match(cardText(refused), problem);
      assert.match(cardText(refused), /Not recorded yet/);
    }
    assert.equal(await partitionRowCount(), before, 'nothing was written');
  });

  it('a colleague’s record, a manager on someone else’s record, another tenant and a made-up id all get the same not-found answer, and nothing is written', async () => {
    const before = await partitionRowCount();
    const colleague = aliceChat();
    const managerChat = new TeamsClient(bot.baseUrl, manager, personalChat());
    const otherTenant = new TeamsClient(bot.baseUrl, bob, personalChat(TENANT_B));
    const save = {
      r: seededBob.id,
      k: '6f1f4f57-6f38-4c1a-9d5c-0d7b0c0f7a11',
      consentStatus: 'not_sought',
      subjectInformed: 'yes',
      channel: 'email',
      correctionReason: 'Overwriting a colleague.',
    };
    const attempts: Array<[TeamsClient, string, Record<string, unknown>]> = [
      [colleague, 'record.correct.open', { r: seededBob.id }],
      [colleague, 'record.correct.save', save],
      [managerChat, 'record.correct.open', { r: seededBob.id }],
      [managerChat, 'record.correct.save', save],
      [otherTenant, 'record.correct.open', { r: seededBob.id }],
      [otherTenant, 'record.correct.save', save],
      [colleague, 'record.correct.open', { r: 'D-20260101-ZZZZZZ' }],
      [colleague, 'record.correct.save', { ...save, r: 'D-20260101-ZZZZZZ' }],
      [colleague, 'record.correct.open', { r: "D-1' or 1 eq 1" }],
    ];
    for (const [client, verb, data] of attempts) {
      const res = await client.execute(verb, data);
      assert.equal(res.type, 'application/vnd.microsoft.activity.message', `${verb}: a message, not a card`);
      assert.equal(res.value, NOT_FOUND, `${verb} by ${client.user.name}: exactly the not-found answer`);
    }
    assert.equal(await partitionRowCount(), before, 'nothing was written');
    assert.equal((await bot.app.stores.decisions.byCase(TENANT_A, 'CSC-CORR-BOB')).length, 1);
    // Bob himself may correct it — in a personal chat: the form shows the record's free text.
    const own = await new TeamsClient(bot.baseUrl, bob, personalChat()).execute('record.correct.open', {
      r: seededBob.id,
    });
    assert.equal(res200Card(own), true);
    const group = { id: `19:${seededBob.id}@thread.v2`, conversationType: 'groupChat' as const, tenantId: TENANT_A };
    const inGroup = await new TeamsClient(bot.baseUrl, bob, group).execute('record.correct.open', { r: seededBob.id });
    assert.equal(
      inGroup.value,
      'For privacy, records are corrected in a personal chat with me: open one and type **my decisions**.',
    );
    assert.equal(await partitionRowCount(), before);
  });

  it('records written before the new fields still list, show in the case view, correct and export', async () => {
    const mine = await say(aliceChat(), 'my decisions case CSC-CORR-LEGACY');
    assert.deepEqual(idsOf(mine), [legacy.id]);
    const caseView = await say(new TeamsClient(bot.baseUrl, manager, personalChat()), 'case CSC-CORR-LEGACY');
    assert.deepEqual(idsOf(caseView), [legacy.id]);
    const [, row] = await exportCase('CSC-CORR-LEGACY');
    const col = (name: (typeof CSV_COLUMNS)[number]) => row![CSV_COLUMNS.indexOf(name)];
    assert.equal(col('record_id'), legacy.id);
    for (const name of [
      'purpose',
      'purpose_detail',
      'risk_of_not_sharing',
      'reason_for_not_sharing',
      'decider_role',
      'review_by',
      'correction_reason',
      'corrected_fields',
    ] as const)
      assert.equal(col(name), '', `${name} is blank on an old record`);
    // It can be corrected, adding what it lacked (the review date is needed: the person will be told later).
    const client = aliceChat();
    const res = await client.execute('record.correct.open', { r: legacy.id });
    const form = res.value as Card;
    assert.deepEqual(cardProblems(form), []);
    const done = await client.click(form, 'Add this correction', {
      ...formValues(form),
      purpose: 'prevent_detect_crime',
      reviewBy: RECORD_FORM.reviewBy!,
      correctionReason: 'Adding the purpose and review date.',
    });
    assert.match(cardText(done), /Correction recorded/);
    const correction = (await bot.app.stores.decisions.byCase(TENANT_A, 'CSC-CORR-LEGACY')).find(
      (r) => r.kind === 'correction',
    );
    assert.deepEqual(correction?.correctedFields, ['purpose', 'reviewBy']);
  });
});

function findInput(card: unknown, id: string): Record<string, unknown> | undefined {
  if (Array.isArray(card)) {
    for (const n of card) {
      const found = findInput(n, id);
      if (found) return found;
    }
  } else if (card && typeof card === 'object') {
    const o = card as Record<string, unknown>;
    if (o.id === id && typeof o.type === 'string' && o.type.startsWith('Input.')) return o;
    for (const v of Object.values(o)) {
      const found = findInput(v, id);
      if (found) return found;
    }
  }
  return undefined;
}

/** An Action.Execute anywhere on the card (an ActionSet in the body too), by title. */
function findExecute(card: unknown, title: string): Record<string, unknown> | undefined {
  if (Array.isArray(card)) {
    for (const n of card) {
      const found = findExecute(n, title);
      if (found) return found;
    }
  } else if (card && typeof card === 'object') {
    const o = card as Record<string, unknown>;
    if (o.type === 'Action.Execute' && o.title === title) return o;
    for (const v of Object.values(o)) {
      const found = findExecute(v, title);
      if (found) return found;
    }
  }
  return undefined;
}

function res200Card(res: { type: string }): boolean {
  return res.type === 'application/vnd.microsoft.card.adaptive';
}
