/**
 * A hostile colleague: a second practitioner in the same tenant and the same group chat, holding
 * everything the first one's cards show there (questionnaire state, idempotency key, record ids,
 * case references), tries every verb with it. Real restify, real Azurite, Teams-shaped activities.
 *
 *  - record with a colleague's idempotency key (issue 12, item 2): refused without revealing the
 *    colleague's record, and the submitter's own decision is still recorded;
 *  - withdraw consent / follow-up verbs on a colleague's case and records (item 3): the same answer
 *    as for a case or record that does not exist, nothing written, nothing copied; the same for
 *    "Correct this record" on a colleague's record (issue 16), by a colleague or a manager;
 *  - template syntax in user text (item 4): the card renders it as text, tells the truth about
 *    what was saved, and nothing the user typed reaches the logs.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
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
  type TeamsConversation,
  type TeamsUser,
} from '../../support/botHarness';
import { cardProblems } from '../../support/cardValidation';
import { RECORD_FORM, SHARE_WITHOUT_ASKING, answerAll, recordIdOf } from '../robustness/support';
import { executeActions, shareWithoutConsent } from '../reminders/support';
import { idempotencyRowKey, tenantPartitionKey } from '../../../src/storage/decisionKeys';
import type { StoredRecord } from '../../../src/storage/contract';

const CARD = 'application/vnd.microsoft.card.adaptive';
const NO_SUCH_ID = 'D-20200101-ZZZZZZ';
const NO_SUCH_ID_2 = 'D-20200101-YYYYYY';

type RecordData = { verb: string; s: { v: string; a: Record<string, string>; o: string; i: string }; k: string };

let bot: BotHarness;
const group: TeamsConversation = {
  id: `19:${randomUUID()}@thread.v2`,
  conversationType: 'groupChat',
  tenantId: TENANT_A,
};
const alice = newUser('Alice Practitioner');
const mallory = newUser('Mallory Colleague');
const manager = newUser('Morgan Manager');

const inGroup = (user: TeamsUser) => new TeamsClient(bot.baseUrl, user, group);
const inPersonal = (user: TeamsUser) => new TeamsClient(bot.baseUrl, user, personalChat());

async function outcomeCard(client: TeamsClient): Promise<Card> {
  const [first] = await client.say('start');
  return answerAll(client, cardOf(first!), SHARE_WITHOUT_ASKING);
}

const recordDataOf = (card: Card) => findAction(card, 'Record this decision').data as RecordData;

function formFor(caseReference: string, recipientRole: string) {
  return { ...RECORD_FORM, caseReference, recipientRole };
}

/** The invoke's card (asserting it is one). */
async function executeForCard(client: TeamsClient, verb: string, data: Record<string, unknown>): Promise<Card> {
  const res = await client.execute(verb, data);
  assert.equal(res.type, CARD, `expected a card, got ${res.type}: ${JSON.stringify(res.value)}`);
  return res.value as Card;
}

/** What a user is told for an action: the message text, or the card. */
async function answerTo(client: TeamsClient, verb: string, data: Record<string, unknown>): Promise<unknown> {
  const res = await client.execute(verb, data);
  return { type: res.type, value: res.value };
}

/** The same action through the Action.Submit fallback (a message whose value carries the verb): the replies. */
async function submitFallback(client: TeamsClient, verb: string, data: Record<string, unknown>): Promise<unknown> {
  const res = await client.post(
    client.activity({ type: 'message', value: { ...data, verb }, deliveryMode: 'expectReplies' }),
  );
  assert.equal(res.status, 200);
  const activities = (res.body as { activities?: Array<Record<string, unknown>> }).activities ?? [];
  return activities.map((a) => a.text ?? a.attachments);
}

async function historyOf(caseReference: string): Promise<StoredRecord[]> {
  return bot.app.stores.decisions.byCase(TENANT_A, caseReference);
}

async function recordsBy(user: TeamsUser): Promise<StoredRecord[]> {
  return (await bot.app.stores.decisions.query({ tenantId: TENANT_A, decidedBy: user.aadObjectId }, 100)).items;
}

/** Asserts none of `secrets` appears anywhere in what was sent back. */
function assertReveals(nothingOf: readonly string[], answer: unknown, what: string): void {
  const json = JSON.stringify(answer);
  for (const secret of nothingOf)
    assert.ok(!json.includes(secret), `${what} must not reveal ${JSON.stringify(secret)}: ${json.slice(0, 600)}`);
}

describe('security: a hostile colleague in the same tenant and group chat', () => {
  before(async () => {
    bot = await startBot();
    await bot.app.stores.roles.grant(TENANT_A, manager.aadObjectId, 'manager');
  });
  after(async () => {
    await bot?.stop();
  });

  describe('record with a colleague’s idempotency key (item 2)', () => {
    let aliceOutcome: Card;
    let aliceId: string;
    const aliceCase = 'HC-ALICE-1';
    const aliceRole = 'Alice only duty officer';

    before(async () => {
      aliceOutcome = await outcomeCard(inGroup(alice));
      const recorded = await inGroup(alice).click(aliceOutcome, 'Record this decision', formFor(aliceCase, aliceRole));
      aliceId = recordIdOf(recorded)!;
      assert.ok(aliceId, cardText(recorded));
    });

    it('a colleague’s key from the group-chat card reveals nothing, and her own decision is recorded from the card she gets back', async () => {
      const client = inGroup(mallory);
      const own = recordDataOf(await outcomeCard(client));
      const malloryForm = formFor('HC-MALLORY-1', 'Mallory duty officer');
      const res = await client.execute('record', { ...own, k: recordDataOf(aliceOutcome).k, ...malloryForm });
      assert.equal(res.type, CARD);
      const card = res.value as Card;
      assertReveals([aliceCase, aliceRole, aliceId], card, 'the refused submission');
      assert.doesNotMatch(cardText(card), /already been recorded|Decision recorded/);
      assert.match(cardText(card), /Not recorded yet/);
      const viaFallback = await submitFallback(client, 'record', {
        ...own,
        k: recordDataOf(aliceOutcome).k,
        ...malloryForm,
      });
      assertReveals(
        [aliceCase, aliceRole, aliceId],
        viaFallback,
        'the refused submission through the Action.Submit fallback',
      );
      assert.match(JSON.stringify(viaFallback), /Not recorded yet/);
      assert.equal((await historyOf('HC-MALLORY-1')).length, 0, 'nothing stored under the foreign key');
      assert.notEqual(recordDataOf(card).k, recordDataOf(aliceOutcome).k, 'the card she gets back carries a fresh key');

      // One press on that card records her own decision; a double click stays one record.
      const [first, second] = await Promise.all([
        client.click(card, 'Record this decision', malloryForm),
        client.click(card, 'Record this decision', malloryForm),
      ]);
      const malloryId = recordIdOf(first);
      assert.ok(malloryId, cardText(first));
      assert.equal(recordIdOf(second), malloryId);
      const mine = await historyOf('HC-MALLORY-1');
      assert.equal(mine.length, 1);
      assert.equal(mine[0]!.decidedBy.aadObjectId, mallory.aadObjectId);
      assert.equal(mine[0]!.recipientRole, 'Mallory duty officer');

      // Alice's record is untouched, and her own retry is still idempotent.
      const hers = await historyOf(aliceCase);
      assert.deepEqual(
        hers.map((r) => r.id),
        [aliceId],
      );
      const retry = await inGroup(alice).click(aliceOutcome, 'Record this decision', formFor(aliceCase, aliceRole));
      assert.equal(recordIdOf(retry), aliceId);
      assert.match(cardText(retry), /already been recorded; nothing was saved twice/);
    });

    it('copying the colleague’s questionnaire id as well is refused by the store (the key is bound to the user who minted it)', async () => {
      // A user with no questionnaire of her own yet, so the superseded-card check does not stop her first.
      const trudy = newUser('Trudy Colleague');
      const aliceData = recordDataOf(aliceOutcome);
      const form = formFor('HC-TRUDY-1', 'Trudy duty officer');
      const res = await inGroup(trudy).execute('record', {
        ...aliceData,
        s: { ...aliceData.s, o: trudy.aadObjectId },
        ...form,
      });
      assert.equal(res.type, CARD);
      assertReveals([aliceCase, aliceRole, aliceId], res.value, 'the forged submission');
      assert.match(cardText(res.value), /Not recorded yet/);
      const recorded = await inGroup(trudy).click(res.value as Card, 'Record this decision', form);
      assert.ok(recordIdOf(recorded));
      assert.equal((await historyOf('HC-TRUDY-1'))[0]?.decidedBy.aadObjectId, trudy.aadObjectId);
      assert.equal((await historyOf(aliceCase)).length, 1);
    });

    it('the whole of the colleague’s card data is refused as someone else’s questionnaire', async () => {
      const res = await inGroup(mallory).execute('record', {
        ...recordDataOf(aliceOutcome),
        ...formFor('HC-MALLORY-2', 'x'),
      });
      assertReveals([aliceCase, aliceRole, aliceId], res.value, 'the replayed card');
      assert.match(String(res.value), /belongs to someone else/);
      assert.equal((await historyOf('HC-MALLORY-2')).length, 0);
    });

    it('the user’s own key from an earlier questionnaire does not swallow a new decision', async () => {
      const client = inGroup(alice);
      const second = recordDataOf(await outcomeCard(client));
      const form = formFor('HC-ALICE-2', 'second duty officer');
      const res = await client.execute('record', { ...second, k: recordDataOf(aliceOutcome).k, ...form });
      assert.equal(res.type, CARD);
      assert.doesNotMatch(cardText(res.value), /already been recorded/);
      assert.match(cardText(res.value), /Not recorded yet/);
      const recorded = await client.click(res.value as Card, 'Record this decision', form);
      const id = recordIdOf(recorded);
      assert.ok(id && id !== aliceId);
      assert.equal((await historyOf('HC-ALICE-2')).length, 1);
    });

    it('markers written before keys were bound (existing data) answer only the user whose record they point at', async () => {
      const client = inGroup(alice);
      const outcome = await outcomeCard(client);
      const form = formFor('HC-LEGACY-1', 'legacy duty officer');
      const legacyId = recordIdOf(await client.click(outcome, 'Record this decision', form))!;
      const k = recordDataOf(outcome).k;
      // Rewrite the marker as the earlier code wrote it: no minter, no scope.
      const table = bot.app.tables.decisions;
      const pk = tenantPartitionKey(TENANT_A);
      const marker = await table.getEntity<Record<string, unknown>>(pk, idempotencyRowKey(k));
      assert.equal(marker.mintedBy, alice.aadObjectId, 'new markers name their minter');
      await table.updateEntity(
        { partitionKey: pk, rowKey: idempotencyRowKey(k), entityKind: 'idem', schemaVersion: 1, recordId: legacyId },
        'Replace',
      );

      const trudy = newUser('Trudy Two');
      const data = recordDataOf(outcome);
      const res = await inGroup(trudy).execute('record', {
        ...data,
        s: { ...data.s, o: trudy.aadObjectId },
        ...formFor('HC-TRUDY-2', 'x'),
      });
      assertReveals(['HC-LEGACY-1', 'legacy duty officer', legacyId], res.value, 'a legacy marker');
      assert.match(cardText(res.value), /Not recorded yet/);
      assert.equal((await historyOf('HC-TRUDY-2')).length, 0);

      const retry = await client.click(outcome, 'Record this decision', form);
      assert.equal(recordIdOf(retry), legacyId, 'the owner’s retry still finds her record');
      assert.match(cardText(retry), /already been recorded/);
      assert.equal((await historyOf('HC-LEGACY-1')).length, 1);
    });
  });

  describe('withdraw consent and follow-ups on a colleague’s case (item 3)', () => {
    const caseRef = 'HC-CASE-3';
    let aliceShare: StoredRecord;
    let aliceQuiet: StoredRecord;
    let bobShare: StoredRecord;
    const bob = newUser('Bob Sharer');

    before(async () => {
      aliceShare = (
        await bot.app.stores.decisions.record(
          shareWithoutConsent({ user: alice, conversation: group, caseReference: caseRef, recipientAgency: 'police' }),
        )
      ).record;
      // A share whose person was already told: no subject follow-up owed.
      aliceQuiet = (
        await bot.app.stores.decisions.record(
          shareWithoutConsent({
            user: alice,
            conversation: group,
            caseReference: 'HC-CASE-3B',
            subjectInformed: 'yes',
            openFollowUps: [],
          }),
        )
      ).record;
      bobShare = (
        await bot.app.stores.decisions.record(
          shareWithoutConsent({
            user: bob,
            conversation: personalChat(),
            caseReference: caseRef,
            recipientAgency: 'health',
          }),
        )
      ).record;
    });

    it('withdraw consent answers an outsider exactly as for a case that does not exist, and records nothing', async () => {
      const client = inPersonal(mallory);
      const [onReal] = await client.say(`withdraw consent ${caseRef}`);
      const [onNone] = await client.say('withdraw consent HC-NONE-3');
      const real = JSON.stringify(cardOf(onReal!)).replaceAll(caseRef, '<case>');
      const none = JSON.stringify(cardOf(onNone!)).replaceAll('HC-NONE-3', '<case>');
      assert.equal(real, none, 'the same card for a real case and a missing one');
      assert.doesNotMatch(real, /colleague|share\(s\)|Police|Health/);
      assert.equal(
        (await historyOf(caseRef)).filter((r) => r.kind === 'consent_withdrawn').length,
        0,
        'no withdrawal written',
      );
      assert.deepEqual(await recordsBy(mallory).then((rs) => rs.filter((r) => r.caseReference === caseRef)), []);
    });

    it('every follow-up verb with the colleague’s record ids gets the not-found answer and writes nothing', async () => {
      const [reply] = await inPersonal(alice).say(`withdraw consent ${caseRef}`);
      const aliceCard = cardOf(reply!);
      const told = executeActions(aliceCard).find(
        (a) => a.verb === 'followUp.partyInformed' && a.data.s === aliceShare.id,
      );
      assert.ok(told, 'Alice gets a "Told them" for her share');
      const w = String(told.data.w);
      const before = (await historyOf(caseRef)).length;

      for (const client of [inPersonal(mallory), inGroup(mallory)]) {
        assert.deepEqual(
          await answerTo(client, 'followUp.partyInformed', told.data),
          await answerTo(client, 'followUp.partyInformed', { w: NO_SUCH_ID, s: NO_SUCH_ID_2 }),
          'told-them on a colleague’s share',
        );
        assert.deepEqual(
          await submitFallback(client, 'followUp.partyInformed', told.data),
          await submitFallback(client, 'followUp.partyInformed', { w: NO_SUCH_ID, s: NO_SUCH_ID_2 }),
          'the same through the Action.Submit fallback',
        );
        assert.deepEqual(
          await answerTo(client, 'followUp.withdrawalStatus', { w }),
          await answerTo(client, 'followUp.withdrawalStatus', { w: NO_SUCH_ID }),
          'refresh of a colleague’s withdrawal',
        );
        for (const r of [aliceShare.id, aliceQuiet.id]) {
          assert.deepEqual(
            await answerTo(client, 'followUp.subjectInformed', { r, how: 'told' }),
            await answerTo(client, 'followUp.subjectInformed', { r: NO_SUCH_ID, how: 'told' }),
            'subject-informed on a colleague’s decision',
          );
          assert.deepEqual(
            await answerTo(client, 'followUp.subjectInformed', { r, how: 'not_telling', why: 'no reason' }),
            await answerTo(client, 'followUp.subjectInformed', { r: NO_SUCH_ID, how: 'not_telling', why: 'no reason' }),
          );
        }
      }
      assert.equal((await historyOf(caseRef)).length, before, 'nothing was written to the case');
      assert.deepEqual(
        (await recordsBy(mallory)).filter((r) => r.caseReference.startsWith('HC-CASE-3')),
        [],
        'nothing copied into her own records',
      );
    });

    it('correcting a colleague’s record: the button data from her group-chat card, and a manager too, get the not-found answer and write nothing', async () => {
      // Alice records in the group chat: everyone there sees her record id. Her card there carries
      // no case-notes text (it holds her free text) and no correction button.
      const outcome = await outcomeCard(inGroup(alice));
      const recorded = await inGroup(alice).click(
        outcome,
        'Record this decision',
        formFor('HC-CORR-1', 'duty officer'),
      );
      const id = recordIdOf(recorded);
      assert.ok(id);
      assert.ok(
        !JSON.stringify(recorded).includes(RECORD_FORM.reasonsWithoutConsent!),
        'no free text on the shared card',
      );
      assert.ok(!(recorded.actions ?? []).some((a) => a.title === 'Correct this record'));
      assert.match(cardText(recorded), /shown only when you record in a personal chat/);
      const openData = { verb: 'record.correct.open', r: id };
      const saveData = {
        verb: 'record.correct.save',
        r: id,
        k: randomUUID(),
        ...RECORD_FORM,
        channel: 'email',
        correctionReason: 'Overwriting a colleague.',
      };
      const before = (await historyOf('HC-CORR-1')).length;
      for (const client of [inGroup(mallory), inPersonal(mallory), inPersonal(manager)]) {
        for (const [verb, data, none] of [
          ['record.correct.open', openData, { ...openData, r: NO_SUCH_ID }],
          ['record.correct.save', saveData, { ...saveData, r: NO_SUCH_ID }],
        ] as const) {
          assert.deepEqual(
            await answerTo(client, verb, data),
            await answerTo(client, verb, none),
            `${verb} by ${client.user.name}`,
          );
          assert.deepEqual(
            await submitFallback(client, verb, data),
            await submitFallback(client, verb, none),
            `${verb} through the Action.Submit fallback`,
          );
        }
      }
      assert.equal((await historyOf('HC-CORR-1')).length, before, 'nothing was written to the case');
      assert.deepEqual(
        (await recordsBy(mallory)).filter((r) => r.kind === 'correction'),
        [],
        'no correction in her name',
      );
      // Alice herself still can.
      const form = await executeForCard(inPersonal(alice), 'record.correct.open', openData);
      assert.match(cardText(form), new RegExp(`Correct record ${id}`));
    });

    it('a withdrawal an outsider recorded before this check existed lets her mark nothing and see nothing', async () => {
      const planted = (
        await bot.app.stores.decisions.record({
          ...shareWithoutConsent({ user: mallory, conversation: personalChat(), caseReference: caseRef }),
          kind: 'consent_withdrawn',
          consentStatus: 'withdrawn',
          subjectInformed: 'not_applicable',
          recipientAgency: undefined,
          recipientRole: undefined,
          openFollowUps: ['inform_all_parties_consent_withdrawn'],
        })
      ).record;
      const client = inPersonal(mallory);
      assert.deepEqual(
        await answerTo(client, 'followUp.partyInformed', { w: planted.id, s: aliceShare.id }),
        await answerTo(client, 'followUp.partyInformed', { w: NO_SUCH_ID, s: NO_SUCH_ID_2 }),
      );
      assert.deepEqual(
        await answerTo(client, 'followUp.withdrawalStatus', { w: planted.id }),
        await answerTo(client, 'followUp.withdrawalStatus', { w: NO_SUCH_ID }),
      );
      const informed = (await historyOf(caseRef)).filter((r) => r.kind === 'follow_up_party_informed');
      assert.deepEqual(informed, [], 'no "told" recorded');
      assert.ok(
        !(await recordsBy(mallory)).some((r) => r.recipientAgency === 'police'),
        "the colleague's recipient is not copied into her records",
      );
    });

    it('the people entitled still can: each sharer marks only their own share, a manager any share', async () => {
      // Bob shared in the case too: he sees the case's withdrawal with his share only.
      const [bobReply] = await inPersonal(bob).say(`withdraw consent ${caseRef}`);
      const bobCard = cardOf(bobReply!);
      assert.deepEqual(cardProblems(bobCard), []);
      const bobButtons = executeActions(bobCard).filter((a) => a.verb === 'followUp.partyInformed');
      assert.deepEqual(
        bobButtons.map((b) => b.data.s),
        [bobShare.id],
      );
      const w = String(bobButtons[0]!.data.w);
      // …and cannot mark Alice's, even with her share id.
      assert.deepEqual(
        await answerTo(inPersonal(bob), 'followUp.partyInformed', { w, s: aliceShare.id }),
        await answerTo(inPersonal(bob), 'followUp.partyInformed', { w: NO_SUCH_ID, s: NO_SUCH_ID_2 }),
      );
      const bobDone = await executeForCard(inPersonal(bob), 'followUp.partyInformed', bobButtons[0]!.data);
      assert.match(cardText(bobDone), /1 of 1 recipient\(s\) told|All 1 recipient\(s\) have been told/);
      const refreshed = await executeForCard(inPersonal(bob), 'followUp.withdrawalStatus', { w });
      assert.match(cardText(refreshed), /All 1 recipient\(s\) have been told/);

      // A manager sees every share and may mark Alice's.
      const [mgrReply] = await inPersonal(manager).say(`withdraw consent ${caseRef}`);
      const mgrButtons = executeActions(cardOf(mgrReply!)).filter((a) => a.verb === 'followUp.partyInformed');
      assert.deepEqual(
        mgrButtons.map((b) => b.data.s),
        [aliceShare.id],
        'Bob’s is already told; Alice’s is open',
      );
      await executeForCard(inPersonal(manager), 'followUp.partyInformed', mgrButtons[0]!.data);
      const informed = (await historyOf(caseRef)).filter((r) => r.kind === 'follow_up_party_informed');
      assert.deepEqual(
        new Set(informed.map((r) => `${r.parentId}:${r.decidedBy.aadObjectId}`)),
        new Set([`${bobShare.id}:${bob.aadObjectId}`, `${aliceShare.id}:${manager.aadObjectId}`]),
      );

      // Alice's own subject follow-up still works for her.
      const done = await executeForCard(inGroup(alice), 'followUp.subjectInformed', { r: aliceShare.id, how: 'told' });
      assert.match(cardText(done), /Follow-up recorded/);
    });
  });

  describe('template syntax in user text (item 4)', () => {
    const HOSTILE = [
      '${boom}',
      '${Jane Smith}',
      '$data',
      '$when',
      '${',
      '\\${x}',
      '@{x}',
      '${$root.record.id}',
      "${if(true, 'a', 'b')}",
      '${count(facts)}',
    ];
    const jane = newUser('${Jane Smith}');
    const recorded: Array<{ text: string; id: string; caseRef: string }> = [];

    it('a role, outline or reason with ${…} is recorded, shown as typed, and the card says so with the id', async () => {
      for (const [i, text] of HOSTILE.entries()) {
        const client = inPersonal(jane);
        const outcome = await outcomeCard(client);
        const caseRef = `HC-TPL-${i}`;
        const form = {
          ...RECORD_FORM,
          caseReference: caseRef,
          recipientRole: text,
          informationOutline: `Outline ${text}`,
          reasonsWithoutConsent: `Reason ${text}`,
        };
        const res = await client.execute('record', { ...recordDataOf(outcome), ...form });
        assert.equal(res.type, CARD, `${text}: ${JSON.stringify(res.value)}`);
        const card = res.value as Card;
        const id = recordIdOf(card);
        assert.ok(id, `${text}: the card gives the record id: ${cardText(card)}`);
        assert.match(cardText(card), /Decision recorded/);
        assert.ok(cardText(card).includes(`— ${text}`), `${text}: the role is shown as typed`);
        const stored = await bot.app.stores.decisions.get(TENANT_A, id);
        assert.equal(stored?.recipientRole, text);
        assert.equal(stored?.informationOutline, `Outline ${text}`);
        assert.equal(stored?.decidedBy.name, '${Jane Smith}');
        assert.equal((await historyOf(caseRef)).length, 1);
        recorded.push({ text, id, caseRef });
      }
    });

    it('a manager can open the withdrawal of such a case, and the follow-ups render the name as typed', async () => {
      for (const { text, id, caseRef } of recorded) {
        const [reply] = await inPersonal(manager).say(`withdraw consent ${caseRef}`);
        const card = cardOf(reply!);
        const text0 = cardText(card);
        assert.match(text0, /Consent withdrawn — case/, `${text}: ${text0}`);
        assert.ok(text0.includes(`— ${text}`), `${text}: the share's role is listed as typed`);
        assert.ok(text0.includes('${Jane Smith}'), `${text}: the practitioner's name is listed as typed`);
        assert.deepEqual(
          cardProblems(card).filter((p) => !p.startsWith('unresolved template expressions')),
          [],
        );
        const told = executeActions(card).find((a) => a.verb === 'followUp.partyInformed' && a.data.s === id)!;
        assert.match(cardText(await executeForCard(inPersonal(manager), told.verb, told.data)), /has been told/);
      }
      // The manager's case view and the practitioner's own list render the same text too.
      const [caseView] = await inPersonal(manager).say(`case ${recorded[0]!.caseRef}`);
      assert.ok(cardText(cardOf(caseView!)).includes(recorded[0]!.id), 'the case view lists the record');
      const [mine] = await inPersonal(jane).say('my decisions');
      assert.ok(
        recorded.every(({ id }) => cardText(cardOf(mine!)).includes(id)),
        'my decisions lists them all',
      );
      const owed = (
        await bot.app.stores.decisions.record(
          shareWithoutConsent({ user: jane, conversation: personalChat(), caseReference: 'HC-TPL-OWED' }),
        )
      ).record;
      const follow = await executeForCard(inPersonal(jane), 'followUp.subjectInformed', { r: owed.id, how: 'told' });
      assert.match(cardText(follow), /Follow-up recorded/);
      assert.ok(cardText(follow).includes('${Jane Smith}'));
    });

    it('nothing the users typed reached the logs, and no card failed to render', async () => {
      // Tampered card data lands in warnings too: an unknown verb, an unknown question id.
      const client = inPersonal(mallory);
      assert.match(String((await client.execute('boom.Jane-Smith', {})).value), /not recognised/);
      const outcome = recordDataOf(await outcomeCard(client));
      const tampered = await client.execute('answer', {
        s: { ...outcome.s, a: { ...outcome.s.a, 'boom.jane.smith': 'x' } },
        q: 'jane.smith.q',
        answer: 'x',
      });
      assert.match(cardText(tampered.value), /do not fit the questionnaire|could not be read/);
      assert.ok(
        bot.logs.some((l) => l.event === 'card.unknown_verb'),
        'the unknown verb was logged (without its text)',
      );
      assert.ok(
        bot.logs.some((l) => l.event === 'questionnaire.invalid_answers' && l.questionId === 'unknown'),
        'the refused answers were logged (without the id)',
      );
      const logged = JSON.stringify(bot.logs);
      for (const text of [
        'boom',
        'Jane Smith',
        'Jane-Smith',
        'jane.smith',
        '$root.record.id',
        "if(true, 'a', 'b')",
        'Alice only duty officer',
        'HC-ALICE-1',
        'HC-CASE-3',
      ]) {
        assert.ok(!logged.includes(text), `the logs must not contain ${JSON.stringify(text)}`);
      }
      assert.deepEqual(
        bot.logs.filter((l) => ['card.action_failed', 'card.render_failed', 'turn.error'].includes(String(l.event))),
        [],
        'no card or turn failed',
      );
    });
  });
});
