/**
 * Findings of the independent red team (issue 12's re-attack), each over HTTP against the real
 * restify server and a real Azurite, as a practitioner of an allowed tenant would send them.
 *
 *  F1  flooding a case hid a colleague's share from "withdraw consent";
 *  F7  "withdraw consent" took longer for an existing case than for an unknown one (timing oracle);
 *  F2  a questionnaire started during a storage outage could never be recorded;
 *  F4  contact details disguised as spaced letters, encoded "@", blank letters or number words got in;
 *  F5  a card whose state carried ~22,000 invalid answer keys held the event loop for 150–340 ms;
 *  F6  a forged replyToId made the bot overwrite another user's message with "out of date";
 *  F8  a forged "bot removed" conversationUpdate switched off reminders for every channel of a team.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import {
  TENANT_A,
  TeamsClient,
  cardOf,
  cardText,
  newUser,
  personalChat,
  startBot,
  type BotHarness,
  type Card,
  type TeamsUser,
} from '../../support/botHarness';
import { startFakeConnector } from '../../support/fakeConnector';
import { azuriteConnectionString, startAzurite, type AzuriteHandle } from '../../support/azurite';
import { RECORD_FORM, SHARE_WITHOUT_ASKING, answerAll, recordIdOf, stateFor } from '../robustness/support';
import { channelRoot, executeActions, referenceFor, shareWithoutConsent } from '../reminders/support';
import type { DecisionStore, NewRecord, StoredRecord } from '../../../src/storage/contract';
import { MAX_CASE_ENTRIES, cappedNotice, readCase } from '../../../src/bot/features/followUps/caseHistory';

let bot: BotHarness;
const manager = newUser('Morgan Manager');
const inPersonal = (user: TeamsUser) => new TeamsClient(bot.baseUrl, user, personalChat());

/** A decision that is not a share (no recipient), as a flood of "do not share" records would be. */
function notAShare(user: TeamsUser, caseReference: string): NewRecord {
  const {
    recipientAgency: _a,
    recipientRole: _r,
    channel: _c,
    ...rest
  } = shareWithoutConsent({
    user,
    conversation: personalChat(),
    caseReference,
    decision: 'do_not_share',
    openFollowUps: [],
  });
  return { ...rest, subjectInformed: 'not_applicable' };
}

/** Records `count` entries with at most 8 in flight (Azurite on a shared 2-core machine). */
async function recordMany(count: number, make: (i: number) => NewRecord): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < count) await bot.app.stores.decisions.record(make(next++));
    }),
  );
}

/** Every call the bot makes to the decision store while `run` runs (a spy: the real store still answers). */
async function decisionCallsDuring(run: () => Promise<unknown>): Promise<string[]> {
  const store = bot.app.stores.decisions as DecisionStore & Record<string, unknown>;
  const calls: string[] = [];
  const originals = { query: store.query, byCase: store.byCase };
  store.query = (q, pageSize, token) => {
    calls.push(`query ${JSON.stringify({ ...q, tenantId: undefined })}`);
    return originals.query.call(store, q, pageSize, token);
  };
  store.byCase = (tenantId, caseReference) => {
    calls.push(`byCase ${caseReference}`);
    return originals.byCase.call(store, tenantId, caseReference);
  };
  try {
    await run();
  } finally {
    Object.assign(store, originals);
  }
  return calls;
}

/**
 * A TCP relay in front of Azurite that can drop every connection and refuse new ones: a storage
 * outage the bot sees as connection failures, while Azurite itself keeps its data.
 */
async function outageSwitch(
  target: number,
): Promise<{ port: number; down(): void; up(): void; close(): Promise<void> }> {
  let isDown = false;
  const sockets = new Set<net.Socket>();
  const track = (sock: net.Socket) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => sock.destroy());
  };
  const server = net.createServer((client) => {
    track(client);
    if (isDown) return void client.destroy();
    const upstream = net.connect(target, '127.0.0.1');
    track(upstream);
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    down() {
      isDown = true;
      for (const sock of sockets) sock.destroy();
    },
    up() {
      isDown = false;
    },
    close: () => {
      for (const sock of sockets) sock.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('red-team findings', () => {
  before(async () => {
    bot = await startBot();
    await bot.app.stores.roles.grant(TENANT_A, manager.aadObjectId, 'manager');
  });
  after(async () => {
    await bot?.stop();
  });

  describe('F1/F7: withdraw consent on a flooded case', () => {
    const caseRef = `FLOOD-${randomUUID().slice(0, 8).toUpperCase()}`;
    const alice = newUser('Alice Sharer');
    const mallory = newUser('Mallory Flooder');
    let aliceShare: StoredRecord;

    before(async () => {
      aliceShare = (
        await bot.app.stores.decisions.record(
          shareWithoutConsent({
            user: alice,
            conversation: personalChat(),
            caseReference: caseRef,
            recipientAgency: 'police',
          }),
        )
      ).record;
      // More entries than byCase keeps (500), all newer than Alice's share, under the same case
      // reference typed differently.
      await recordMany(520, () => notAShare(mallory, caseRef.toLowerCase()));
    });

    it('the colleague whose share was pushed out of the newest 500 can still withdraw consent and sees their share', async () => {
      const [reply] = await inPersonal(alice).say(`withdraw consent ${caseRef}`);
      const card = cardOf(reply!);
      assert.doesNotMatch(cardText(card), /No shares of yours/, 'Alice is entitled: she recorded a share in the case');
      const told = executeActions(card).filter((a) => a.verb === 'followUp.partyInformed');
      assert.deepEqual(
        told.map((a) => a.data.s),
        [aliceShare.id],
        'her share is listed, with its "Told them" button',
      );
    });

    it("a manager's withdrawal lists every share of the case, however many entries came after it", async () => {
      const [reply] = await inPersonal(manager).say(`withdraw consent ${caseRef}`);
      const card = cardOf(reply!);
      const told = executeActions(card).filter((a) => a.verb === 'followUp.partyInformed');
      assert.ok(
        told.some((a) => a.data.s === aliceShare.id),
        'the oldest share is not silently left out of the §1 duty to tell',
      );
      assert.doesNotMatch(cardText(card), /could be read/, 'a case of ~520 entries is read whole: no cap notice');
    });

    it('an unentitled user gets the unknown-case answer after the same storage reads, never reading the case (F7)', async () => {
      const outsider = newUser('Olly Outsider');
      const client = inPersonal(outsider);
      let onReal: unknown;
      let onNone: unknown;
      const realCalls = await decisionCallsDuring(
        async () => ([onReal] = await client.say(`withdraw consent ${caseRef}`)),
      );
      const noneCalls = await decisionCallsDuring(
        async () => ([onNone] = await client.say('withdraw consent NO-SUCH-CASE-7')),
      );
      const real = JSON.stringify(cardOf(onReal as Record<string, unknown>)).replaceAll(caseRef, '<case>');
      assert.equal(
        real,
        JSON.stringify(cardOf(onNone as Record<string, unknown>)).replaceAll('NO-SUCH-CASE-7', '<case>'),
        'the unknown-case card',
      );
      assert.match(real, /No shares of yours/);
      assert.deepEqual(
        realCalls.map((c) => c.replace(caseRef, '<case>')),
        noneCalls.map((c) => c.replace('NO-SUCH-CASE-7', '<case>')),
        'the same reads for a 521-entry case and an unknown one',
      );
      assert.deepEqual(
        realCalls,
        [`query ${JSON.stringify({ decidedBy: outsider.aadObjectId, caseReference: caseRef })}`],
        'one query of the user’s own records, and no case history',
      );
    });

    it('reading a case pages through it and says when it stopped at the limit', async () => {
      const ref = `CAP-${randomUUID().slice(0, 8)}`;
      await recordMany(7, () => notAShare(mallory, ref));
      const whole = await readCase(bot.app.stores.decisions, TENANT_A, ref, 7);
      assert.equal(whole.records.length, 7);
      assert.equal(whole.capped, false);
      const cut = await readCase(bot.app.stores.decisions, TENANT_A, ref, 5);
      assert.deepEqual(
        cut.records.map((r) => r.id),
        whole.records.slice(0, 5).map((r) => r.id),
        'the newest five',
      );
      assert.equal(cut.capped, true);
      assert.match(cappedNotice(true) ?? '', new RegExp(`more than ${MAX_CASE_ENTRIES} entries`));
      assert.equal(cappedNotice(false), undefined);
    });
  });

  describe('F2: a questionnaire started while storage is down', () => {
    let azurite: AzuriteHandle;
    let relay: Awaited<ReturnType<typeof outageSwitch>>;
    let outageBot: BotHarness;

    before(async () => {
      azurite = await startAzurite();
      relay = await outageSwitch(azurite.port);
      outageBot = await startBot(
        { LOG_LEVEL: 'warn', AZURE_STORAGE_CONNECTION_STRING: azuriteConnectionString(relay.port) },
        { azurite },
      );
    });
    after(async () => {
      await outageBot?.stop();
      await relay?.close();
      await azurite?.stop();
    });

    const outcomeOf = async (client: TeamsClient): Promise<Card> =>
      answerAll(client, cardOf((await client.say('start'))[0]!), SHARE_WITHOUT_ASKING);
    const record = (client: TeamsClient, card: Card, caseReference: string) =>
      client.click(card, 'Record this decision', { ...RECORD_FORM, caseReference });

    it('can be recorded once storage is back, and the questionnaires it and later ones superseded still cannot', async () => {
      const client = new TeamsClient(outageBot.baseUrl, newUser('Olive Outage'), personalChat());
      const before = await outcomeOf(client); // its start is on record
      relay.down();
      let older: Card;
      let newest: Card;
      try {
        // Questions need no storage: both run to the outcome while storage is down.
        older = await outcomeOf(client);
        newest = await outcomeOf(client);
        assert.match(cardText(await record(client, newest, 'OUT-F2-1')), /NOT SAVED/);
      } finally {
        relay.up();
      }
      assert.ok(
        outageBot.logs.some((l) => l.event === 'questionnaire.session_not_saved'),
        'the starts really could not be written',
      );

      const recorded = await record(client, newest, 'OUT-F2-1');
      assert.match(cardText(recorded), /Decision recorded/, 'the newest card is recorded, not called out of date');
      const id = recordIdOf(recorded);
      assert.ok(id && (await outageBot.app.stores.decisions.get(TENANT_A, id)), 'and it is stored');

      for (const stale of [older, before]) {
        const refused = await record(client, stale, 'OUT-F2-2');
        assert.match(cardText(refused), /newer questionnaire/, 'a card superseded by the newest is still refused');
      }
      assert.equal((await outageBot.app.stores.decisions.byCase(TENANT_A, 'OUT-F2-2')).length, 0);
    });

    it('a card claiming a start time in the future does not pass for the newest', async () => {
      const client = new TeamsClient(outageBot.baseUrl, newUser('Fred Future'), personalChat());
      const old = await outcomeOf(client);
      await outcomeOf(client); // the current one
      const action = (old.actions ?? []).find((a) => a.title === 'Record this decision')!;
      const data = action.data as { s: Record<string, unknown> };
      const forged = { ...action, data: { ...data, s: { ...data.s, t: Date.now() + 24 * 3_600_000 } } };
      const refused = await record(client, { ...old, actions: [forged] }, 'OUT-F2-3');
      assert.match(cardText(refused), /newer questionnaire/);
    });
  });

  describe('F5: card state with tens of thousands of answer keys', () => {
    it('is refused as unreadable, quickly, and a bounded-size state still works', async () => {
      const user = newUser('Kay Keys');
      const client = inPersonal(user);
      const a = Object.fromEntries(Array.from({ length: 22_000 }, (_, i) => [`!${i.toString(36)}`, '!']));
      const data = { s: { v: 'any', a, o: user.aadObjectId, i: randomUUID() }, q: 'route', answer: 'sharing_out' };
      assert.ok(JSON.stringify(data).length > 200_000, 'a ~240 KB card submission');
      const started = Date.now();
      const res = await client.execute('answer', data);
      const ms = Date.now() - started;
      assert.match(JSON.stringify(res.value), /could not be read/);
      // The fix itself is proven in process, best of 3, by patternTiming.test.ts; over HTTP on a
      // shared 2-core machine one request's wall time is printed and held to the 1 s budget only.
      console.log(`F5: a 22,000-key card state was answered in ${ms} ms (143–337 ms before the fix)`);
      assert.ok(ms < 1_000, `the whole request took ${ms} ms`);
      // Just over the key limit, valid keys: refused the same way; a real card still steps on.
      const over = Object.fromEntries(Array.from({ length: 61 }, (_, i) => [`q${i}`, 'x']));
      assert.match(
        JSON.stringify((await client.execute('answer', { ...data, s: { ...data.s, a: over } })).value),
        /could not be read/,
      );
      const first = cardOf((await client.say('start'))[0]!);
      assert.match(cardText(await client.click(first, 'Next', { answer: 'sharing_out' })), /question 2 of at most/);
    });
  });

  describe('F8: "bot removed" events', () => {
    const teamId = `19:team-${randomUUID()}@thread.tacv2`;
    const general = channelRoot(teamId);
    const other = channelRoot(teamId);
    const member = newUser('Tess Teammate');
    const active = async (c: { channelId: string }) =>
      (await bot.app.stores.conversations.get(TENANT_A, c.channelId))?.active;
    const update = (c: typeof general, extra: Record<string, unknown>) => {
      const client = new TeamsClient(bot.baseUrl, member, c);
      return client.post(client.activity({ type: 'conversationUpdate', ...extra }));
    };

    before(async () => {
      for (const c of [general, other])
        await bot.app.stores.conversations.upsert(TENANT_A, referenceFor('http://127.0.0.1:9/', c), {
          kind: 'channel',
          teamId,
          channelId: c.channelId,
        });
    });

    it('only the bot itself being removed from the team switches off every channel of it', async () => {
      // Someone else removed from the team: nothing changes.
      assert.ok(
        (
          await update(general, {
            membersRemoved: [{ id: member.id }],
            channelData: { tenant: { id: TENANT_A }, team: { id: teamId }, eventType: 'teamMemberRemoved' },
          })
        ).status < 300,
      );
      assert.deepEqual([await active(general), await active(other)], [true, true]);

      // A conversationUpdate naming the bot but no team-level event: that conversation only.
      assert.ok((await update(general, { membersRemoved: [{ id: '28:bot' }] })).status < 300);
      assert.deepEqual(
        [await active(general), await active(other)],
        [false, true],
        'the other channel keeps its reminders',
      );

      // Teams' event for the bot removed from the team: the whole team.
      assert.ok(
        (
          await update(other, {
            membersRemoved: [{ id: '28:bot' }],
            channelData: { tenant: { id: TENANT_A }, team: { id: teamId }, eventType: 'teamMemberRemoved' },
          })
        ).status < 300,
      );
      assert.deepEqual([await active(general), await active(other)], [false, false]);
    });
  });

  describe('F6: a forged replyToId on a card action', () => {
    it('never makes the bot overwrite a message it did not send for that user', async () => {
      const connector = await startFakeConnector();
      try {
        const group = {
          id: `19:${randomUUID()}@thread.v2`,
          conversationType: 'groupChat' as const,
          tenantId: TENANT_A,
        };
        const attacker = new TeamsClient(bot.baseUrl, newUser('Ada Attacker'), group, connector.serviceUrl);
        const victimMessage = 'victim-card-message-1';
        const startAgain = async () => {
          assert.ok((await attacker.post(attacker.activity({ type: 'message', text: 'start' }))).status < 300);
          await connector.waitFor(() => connector.postsTo(group.id).length > 0, 5000, 'the new card to be sent');
        };

        // "Start" from a card with no questionnaire state, naming the victim's message as the card.
        await attacker.execute('start', {}, { replyToId: victimMessage });
        await startAgain();
        // "Start over" with unreadable state, and with the attacker's own valid state.
        await attacker.execute('restart', { s: 'garbage' }, { replyToId: victimMessage });
        await startAgain();
        const own = (
          connector.postsTo(group.id).at(-1)!.activity.attachments as Array<{
            content: { actions: Array<{ data?: { s?: unknown } }> };
          }>
        )[0]!.content.actions.find((a) => a.data?.s)!.data!.s;
        await attacker.execute('restart', { s: own }, { replyToId: victimMessage });
        await startAgain();

        await new Promise((r) => setTimeout(r, 200));
        assert.deepEqual(
          connector.updates.filter((u) => u.activityId === victimMessage),
          [],
          'the victim’s message is never updated',
        );
        assert.ok(
          connector.updates.every((u) => /^activity-/.test(u.activityId)),
          'only messages the bot sent are closed',
        );
      } finally {
        await connector.stop();
      }
    });
  });

  describe('F4: disguised contact details in the record form', () => {
    const disguises = [
      'j s m i t h @ g m a i l . c o m',
      'j.smith%40nhs.net',
      'j.smith&#64;nhs.net',
      'j.smith&#x40;nhs.net',
      'j.smith&commat;nhs&period;net',
      '07700\u2800900\u2800123',
      'zero seven seven zero zero 900123',
      'oh seven seven double oh nine hundred one two three',
    ];

    it('each red-team disguise is refused and nothing is recorded; near misses are recorded', async () => {
      const user = newUser('Dee Disguise');
      const client = inPersonal(user);
      const submit = (informationOutline: string, caseReference: string) =>
        client.execute('record', {
          s: stateFor(user.aadObjectId, SHARE_WITHOUT_ASKING),
          k: randomUUID(),
          ...RECORD_FORM,
          informationOutline,
          caseReference,
        });
      for (const [n, text] of disguises.entries()) {
        const res = await submit(text, `F4-${n}`);
        assert.match(
          cardText(res.value),
          /Not recorded yet — please check: Outline: remove the (email address|phone number)/,
          text,
        );
        assert.equal((await bot.app.stores.decisions.byCase(TENANT_A, `F4-${n}`)).length, 0, text);
      }
      for (const [n, text] of [
        'seven children at home',
        'rang at ten past nine, one or two times',
        'options a b c discussed',
      ].entries()) {
        assert.match(cardText((await submit(text, `F4-OK-${n}`)).value), /Decision recorded/, text);
      }
    });
  });

  describe('second attack F6: card state p/v echoed into the "out of date" card', () => {
    it('a v or p that is not a pack version / pack id is refused as unreadable; a real older version is not echoed', async () => {
      const user = newUser('Vic Version');
      const client = inPersonal(user);
      const first = cardOf((await client.say('start'))[0]!);
      const next = (first.actions ?? []).find((a) => a.title === 'Next')!;
      const data = next.data as { s: Record<string, unknown> } & Record<string, unknown>;
      const answer = (s: Record<string, unknown>) =>
        client.execute('answer', { ...data, s: { ...data.s, ...s }, answer: 'sharing_out' });
      for (const forged of [
        { v: '[Re-verify here](https://ev.il/x)' },
        { v: '2015.10-r2 [x](https://ev.il/x)' },
        { p: '2015-local](https://ev.il/x' },
        { p: 'A.B' },
      ]) {
        const res = await answer(forged);
        const text = cardText(res.value);
        assert.match(text, /could not be read/, JSON.stringify(forged));
        assert.doesNotMatch(text, /ev\.il|A\.B/, 'nothing from the card is echoed');
      }
      // Well-formed but not the pack in use: the "start again" card names only the pack in use.
      const older = cardText((await answer({ v: '1999.01-r7' })).value);
      assert.match(older, /earlier version of the guidance rules/);
      assert.doesNotMatch(older, /1999\.01-r7/);
      const other = cardText((await answer({ p: 'some-other-pack' })).value);
      assert.match(other, /another rule pack/);
      assert.doesNotMatch(other, /some-other-pack/);
      // A genuine card still steps on.
      assert.match(cardText(await client.click(first, 'Next', { answer: 'sharing_out' })), /question 2 of at most/);
    });
  });
});
