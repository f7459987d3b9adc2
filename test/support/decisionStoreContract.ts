/**
 * The DecisionStore contract, run against the Table store (real Azurite) and the in-memory one
 * (test/integration/storage/decisionStore.test.ts calls it for both), so the fake cannot drift:
 * round trip, ordering, paging, filters, idempotency bound to the minting user and scope, atomic
 * writes (the same seven rows per record, nothing partial), follow-ups, tenant isolation, tokens
 * and corrupt rows.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Logger } from '../../src/logger';
import type { DecisionStore, NewRecord, RecordQuery, StoredRecord } from '../../src/storage/contract';
import type { DayCounts } from '../../src/storage/decisionCounters';
import {
  CorruptEntityError,
  IdempotencyKeyInUseError,
  InvalidContinuationTokenError,
  InvalidQueryError,
  InvalidRecordError,
  UrgentEntryAlreadyRecordedError,
} from '../../src/storage/errors';
import { encodeKeyPart, normaliseCaseReference } from '../../src/storage/keys';
import { capturingLogger, newRecord, steppingClock } from './records';

/** One implementation under test, and a way to look underneath it at the rows it keeps. */
export interface DecisionStoreSubject {
  /** A store over the subject's one set of rows (several stores share them, as instances share a table). */
  make(options?: { logger?: Logger; now?: () => Date; byCaseLimit?: number }): DecisionStore;
  /** The RowKeys in a tenant's partition. */
  rowKeys(tenantId: string): Promise<string[]>;
  /** One raw row of a tenant's partition. */
  readRow(tenantId: string, rowKey: string): Promise<Record<string, unknown>>;
  /** Writes a raw row into a tenant's partition, as a hand edit or an older version would. */
  writeRow(
    tenantId: string,
    row: { rowKey: string } & Record<string, unknown>,
    mode: 'Merge' | 'Replace',
  ): Promise<void>;
  stop(): Promise<void>;
}

export function describeDecisionStoreContract(name: string, start: () => Promise<DecisionStoreSubject>): void {
  describe(`DecisionStore contract: ${name}`, () => {
    let subject: DecisionStoreSubject;
    const logger = capturingLogger();
    let store: DecisionStore;

    before(async () => {
      subject = await start();
      store = subject.make({ logger, now: steppingClock() });
    });
    after(() => subject?.stop());

    const ids = (records: StoredRecord[]) => records.map((r) => r.id);
    const ENTITIES_PER_RECORD = 7; // idem, rec, all, team, user, case, outcome
    /** A tenant's rows less its summary counters (sum|…, counted by the 'daily counters' tests). */
    const recordRowKeys = async (tenantId: string) =>
      (await subject.rowKeys(tenantId)).filter((key) => !key.startsWith('sum|'));

    /** Pages through a query, checking the paging contract on the way; returns every item in order. */
    async function collectAll(
      s: DecisionStore,
      q: RecordQuery,
      pageSize: number,
    ): Promise<{ items: StoredRecord[]; pages: number }> {
      const items: StoredRecord[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const page = await s.query(q, pageSize, token);
        pages++;
        assert.ok(page.items.length <= pageSize, 'page larger than pageSize');
        if (page.continuationToken) assert.equal(page.items.length, pageSize, 'a page with a token should be full');
        items.push(...page.items);
        token = page.continuationToken;
        assert.ok(pages < 200, 'runaway paging');
      } while (token);
      assert.equal(new Set(ids(items)).size, items.length, 'duplicate records across pages');
      return { items, pages };
    }

    /** The reference answer: filter in memory, newest first. */
    function expected(all: StoredRecord[], q: RecordQuery): string[] {
      return all
        .filter((r) => r.scope.tenantId === q.tenantId)
        .filter((r) => q.teamId === undefined || (r.scope.teamId ?? r.scope.conversationId) === q.teamId)
        .filter((r) => q.decidedBy === undefined || r.decidedBy.aadObjectId === q.decidedBy)
        .filter(
          (r) =>
            q.caseReference === undefined ||
            normaliseCaseReference(r.caseReference) === normaliseCaseReference(q.caseReference),
        )
        .filter((r) => q.decision === undefined || r.decision === q.decision)
        .filter((r) => q.from === undefined || r.recordedAt >= new Date(q.from).toISOString())
        .filter((r) => q.to === undefined || r.recordedAt < new Date(q.to).toISOString())
        .sort((a, b) => (a.recordedAt < b.recordedAt ? 1 : a.recordedAt > b.recordedAt ? -1 : 0))
        .map((r) => r.id);
    }

    describe('record and get', () => {
      test('an urgent entry and the decision linked to it by urgentEntryId read back as written', async () => {
        const entry = (
          await store.record(
            newRecord({
              scope: { tenantId: 'urgent' },
              kind: 'urgent_share',
              decidedBy: { aadObjectId: 'aad-urgent', name: '' },
              answers: {},
              openFollowUps: [],
            }),
            { idempotencyScope: 'urgent_share' },
          )
        ).record;
        assert.equal((await store.get('urgent', entry.id))?.kind, 'urgent_share');
        const input = newRecord({ scope: { tenantId: 'urgent' }, urgentEntryId: entry.id });
        const { record } = await store.record(input);
        assert.equal((await store.get('urgent', record.id))?.urgentEntryId, entry.id);
        const mine = await store.query({ tenantId: 'urgent', decidedBy: 'aad-urgent' }, 10);
        assert.deepEqual(ids(mine.items), [entry.id]);
        await assert.rejects(
          store.record(newRecord({ scope: { tenantId: 'urgent' }, kind: 'urgent_shared' as never })),
          /kind/,
        );
      });

      test('one decision per urgent entry: concurrent decisions with other keys are refused, naming the one recorded; its replay is not', async () => {
        const tenantId = 'urgent-once';
        const { record: entry } = await store.record(
          newRecord({ scope: { tenantId }, kind: 'urgent_share', answers: {}, openFollowUps: [] }),
        );
        const first = newRecord({ scope: { tenantId }, urgentEntryId: entry.id });
        const results = await Promise.allSettled([
          store.record(first),
          store.record(first),
          store.record(newRecord({ scope: { tenantId }, urgentEntryId: entry.id })),
          store.record(newRecord({ scope: { tenantId }, urgentEntryId: entry.id })),
        ]);
        const made = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.record.id] : []));
        const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
        assert.equal(new Set(made).size, 1, 'exactly one decision records the entry');
        assert.ok(refused.length >= 2, 'the decisions with other keys are refused');
        for (const err of refused) {
          assert.ok(err instanceof UrgentEntryAlreadyRecordedError, String(err));
          assert.equal(err.recordId, made[0]);
        }
        const decisions = (await store.byCase(tenantId, first.caseReference)).filter((r) => r.kind === 'decision');
        assert.equal(decisions.length, 1);
        const from = entry.recordedAt.slice(0, 10);
        const to = new Date(Date.parse(from) + 86_400_000).toISOString().slice(0, 10);
        const urgentDay = (await store.dailyCounts(tenantId, { from, to })).find((c) => c.day === from);
        assert.equal(urgentDay?.urgentRecorded, 1, 'the entry counts as recorded once');
        // A later decision (after the first has landed) is refused the same way.
        await assert.rejects(
          store.record(newRecord({ scope: { tenantId }, urgentEntryId: entry.id })),
          UrgentEntryAlreadyRecordedError,
        );
        assert.equal((await store.record(first)).created, false, 'the same submission again is its replay');
      });

      test('round trip: what is recorded is what is read back', async () => {
        const input = newRecord({ scope: { tenantId: 'rt' }, reasonsWithoutConsent: undefined });
        const { record, created } = await store.record(input);
        assert.equal(created, true);
        assert.match(record.id, /^D-\d{8}-[0-9A-HJKMNP-TV-Z]{6}$/);
        assert.equal(record.id.slice(2, 10), record.recordedAt.slice(0, 10).replace(/-/g, ''));
        const { id: _id, recordedAt: _at, ...rest } = record;
        assert.deepEqual(rest, JSON.parse(JSON.stringify(input)));
        assert.deepEqual(await store.get('rt', record.id), record);
        // Ids are read aloud and retyped: lower case and look-alike letters still find it.
        assert.deepEqual(await store.get('rt', ` ${record.id.toLowerCase()} `), record);
        assert.equal(await store.get('rt', 'D-20000101-ZZZZZZ'), undefined);
        assert.equal(await store.get('rt', 'not an id'), undefined);
        assert.equal((await recordRowKeys('rt')).length, ENTITIES_PER_RECORD);
      });

      test('awkward ids (slashes, hashes, question marks, unicode) are stored and found', async () => {
        const tenantId = 'odd/tenant#?';
        const input = newRecord({
          scope: {
            tenantId,
            conversationId: '19:x/y#z?@thread.v2',
            conversationKind: 'channel',
            teamId: '19:team\\/#?~|@thread',
          },
          decidedBy: { aadObjectId: 'user|with|pipes', name: 'Zoë' },
          caseReference: 'Réf/ 42#?',
        });
        const { record } = await store.record(input);
        assert.deepEqual(await store.get(tenantId, record.id), record);
        const byTeam = await store.query({ tenantId, teamId: '19:team\\/#?~|@thread' }, 10);
        assert.deepEqual(ids(byTeam.items), [record.id]);
        assert.deepEqual(ids((await store.query({ tenantId, decidedBy: 'user|with|pipes' }, 10)).items), [record.id]);
        assert.deepEqual(ids(await store.byCase(tenantId, 'réf/42#?')), [record.id]);
      });

      test('invalid input is refused with the field named, not stored', async () => {
        await assert.rejects(
          store.record(newRecord({ scope: { tenantId: 'bad' }, caseReference: '  ' })),
          (err: Error) => {
            assert.ok(err instanceof InvalidRecordError);
            assert.match(err.message, /caseReference/);
            return true;
          },
        );
        await assert.rejects(
          store.record({ ...newRecord(), decision: 'maybe' } as unknown as NewRecord),
          InvalidRecordError,
        );
        await assert.rejects(store.record(newRecord({ informationOutline: 'x'.repeat(5000) })), InvalidRecordError);
        assert.equal((await recordRowKeys('bad')).length, 0);
      });
    });

    describe('ordering and paging', () => {
      const tenantId = 'paging';
      const recorded: StoredRecord[] = [];
      before(async () => {
        for (let i = 0; i < 25; i++) recorded.push((await store.record(newRecord({ scope: { tenantId } }))).record);
      });

      test('newest first', async () => {
        const page = await store.query({ tenantId }, 25);
        assert.deepEqual(ids(page.items), ids(recorded).reverse());
        assert.equal(page.continuationToken, undefined);
      });

      test('continuation tokens walk 4 pages with no gaps or duplicates', async () => {
        const { items, pages } = await collectAll(store, { tenantId }, 7);
        assert.equal(pages, 4);
        assert.deepEqual(ids(items), ids(recorded).reverse());
      });

      test('an exact multiple of the page size ends without an empty extra page', async () => {
        const { pages, items } = await collectAll(store, { tenantId }, 5);
        assert.equal(pages, 5);
        assert.equal(items.length, 25);
      });

      test('page size is validated', async () => {
        await assert.rejects(store.query({ tenantId }, 0), InvalidQueryError);
        await assert.rejects(store.query({ tenantId }, 1001), InvalidQueryError);
        await assert.rejects(store.query({ tenantId, from: 'last tuesday' }, 5), InvalidQueryError);
      });
    });

    describe('filters', () => {
      const tenantId = 'filters';
      const all: StoredRecord[] = [];
      const teams = [
        { conversationKind: 'channel' as const, conversationId: '19:c1@thread.tacv2', teamId: 'team-1' },
        { conversationKind: 'channel' as const, conversationId: '19:c2@thread.tacv2', teamId: '19:team/2#x?' },
        { conversationKind: 'groupChat' as const, conversationId: '19:chat-9@thread.v2' },
      ];
      const users = ['u-1', 'u-2', 'u-3'];
      const cases = ['CS-1', 'cs 2', 'Ref/3#'];
      const decisions = [
        'share_with_consent',
        'do_not_share',
        'seek_advice',
        'share_without_consent_justified',
      ] as const;

      before(async () => {
        for (let i = 0; i < 36; i++) {
          const input = newRecord({
            scope: { tenantId, ...teams[i % 3] },
            decidedBy: { aadObjectId: users[Math.floor(i / 3) % 3]!, name: 'P' },
            caseReference: cases[Math.floor(i / 2) % 3]!,
            decision: decisions[i % 4]!,
          });
          all.push((await store.record(input)).record);
        }
      });

      test('each filter and combinations match an in-memory reference, newest first, across pages', async () => {
        const mid = all[12]!.recordedAt;
        const late = all[30]!.recordedAt;
        const queries: Omit<RecordQuery, 'tenantId'>[] = [
          {},
          { teamId: 'team-1' },
          { teamId: '19:team/2#x?' },
          { teamId: '19:chat-9@thread.v2' },
          { decidedBy: 'u-2' },
          { caseReference: 'cs-1' },
          { caseReference: 'CS2' },
          { caseReference: 'ref/3#' },
          { decision: 'do_not_share' },
          { from: mid },
          { to: mid },
          { from: mid, to: late },
          { teamId: 'team-1', decidedBy: 'u-1' },
          { teamId: 'team-1', decision: 'share_with_consent' },
          { decidedBy: 'u-3', decision: 'seek_advice', from: mid },
          { caseReference: 'CS-1', teamId: '19:team/2#x?' },
          { caseReference: 'CS 2', decidedBy: 'u-2', decision: 'do_not_share' },
          { teamId: '19:chat-9@thread.v2', from: mid, to: late },
          { decision: 'share_without_consent_justified', to: late },
          {
            teamId: 'team-1',
            decidedBy: 'u-1',
            caseReference: 'CS-1',
            decision: 'share_with_consent',
            from: all[0]!.recordedAt,
            to: late,
          },
          { teamId: 'no-such-team' },
          { from: late, to: mid },
        ];
        for (const partial of queries) {
          const q = { tenantId, ...partial };
          const want = expected(all, q);
          const { items } = await collectAll(store, q, 4);
          assert.deepEqual(ids(items), want, `query ${JSON.stringify(partial)}`);
        }
        // Sanity: the set-up really spreads records across values.
        assert.ok(expected(all, { tenantId, teamId: 'team-1', decidedBy: 'u-1' }).length > 0);
      });

      test('date bounds: from is inclusive, to is exclusive', async () => {
        const at = all[20]!.recordedAt;
        assert.deepEqual(ids((await store.query({ tenantId, from: at, to: at }, 10)).items), []);
        const one = await store.query({ tenantId, from: at, to: new Date(Date.parse(at) + 1).toISOString() }, 10);
        assert.deepEqual(ids(one.items), [all[20]!.id]);
      });

      test('tenant isolation: another tenant sees none of it', async () => {
        assert.deepEqual((await store.query({ tenantId: 'someone-else' }, 10)).items, []);
        assert.deepEqual((await store.query({ tenantId: 'someone-else', teamId: 'team-1' }, 10)).items, []);
        assert.deepEqual(await store.byCase('someone-else', 'CS-1'), []);
        assert.equal(await store.get('someone-else', all[0]!.id), undefined);
        // A token minted for one tenant's query does not work for another's.
        const page = await store.query({ tenantId }, 3);
        assert.ok(page.continuationToken);
        await assert.rejects(
          store.query({ tenantId: 'someone-else' }, 3, page.continuationToken),
          InvalidContinuationTokenError,
        );
      });
    });

    describe('tampered continuation tokens', () => {
      const tenantId = 'tokens';
      let token: string;
      before(async () => {
        for (let i = 0; i < 4; i++) await store.record(newRecord({ scope: { tenantId } }));
        token = (await store.query({ tenantId }, 2)).continuationToken!;
      });

      const decode = (t: string) => JSON.parse(Buffer.from(t, 'base64url').toString('utf8')) as Record<string, unknown>;
      const encode = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

      test('garbage, edits and tokens for other queries give a clear error', async () => {
        const bad = [
          'not-a-token',
          'abc!def',
          token.slice(0, -3),
          encode({ ...decode(token), v: 2 }),
          encode({ ...decode(token), after: 'rec|D-20261126-AAAAAA' }), // outside the index range
          encode({ v: 1, f: decode(token).f, server: 'bm90IGpzb24' }), // altered service position
          encode({ ...decode(token), extra: true }),
        ];
        for (const t of bad) {
          await assert.rejects(store.query({ tenantId }, 2, t), InvalidContinuationTokenError, `token ${t}`);
        }
        // Same tenant, different filters.
        await assert.rejects(store.query({ tenantId, decision: 'do_not_share' }, 2, token), /different query/);
        // The genuine token still works.
        assert.equal((await store.query({ tenantId }, 2, token)).items.length, 2);
      });
    });

    describe('idempotency', () => {
      test('sequential double submit returns the first record and writes nothing more', async () => {
        const input = newRecord({ scope: { tenantId: 'idem-seq' } });
        const first = await store.record(input);
        const second = await store.record(input);
        assert.equal(first.created, true);
        assert.equal(second.created, false);
        assert.deepEqual(second.record, first.record);
        assert.equal((await recordRowKeys('idem-seq')).length, ENTITIES_PER_RECORD);
      });

      test('concurrent submits with one key produce exactly one record and one set of index rows', async () => {
        const tenantId = 'idem-concurrent';
        const input = newRecord({ scope: { tenantId } });
        const racers = subject.make({ logger }); // real clock
        const results = await Promise.all(Array.from({ length: 8 }, () => racers.record(input)));
        assert.equal(results.filter((r) => r.created).length, 1);
        assert.equal(new Set(results.map((r) => r.record.id)).size, 1);
        const keys = await recordRowKeys(tenantId);
        assert.equal(keys.length, ENTITIES_PER_RECORD);
        assert.equal(keys.filter((k) => k.startsWith('rec|')).length, 1);
        assert.deepEqual(ids((await racers.query({ tenantId }, 10)).items), [results[0]!.record.id]);
      });

      test('the same key in another tenant is a different record', async () => {
        const input = newRecord({ scope: { tenantId: 'idem-t1' } });
        const a = await store.record(input);
        const b = await store.record({ ...input, scope: { ...input.scope, tenantId: 'idem-t2' } });
        assert.equal(b.created, true);
        assert.notEqual(a.record.scope.tenantId, b.record.scope.tenantId);
      });
    });

    describe('idempotency keys are bound to the user and scope that minted them', () => {
      const other = { aadObjectId: '00000000-0000-0000-0000-0000000000bb', name: 'Other Practitioner' };

      test("another user's key is refused without the record, writes nothing, and leaves the owner's retry idempotent", async () => {
        const tenantId = 'idem-foreign';
        const mine = newRecord({ scope: { tenantId }, caseReference: 'CS-OWNER' });
        const first = await store.record(mine, { idempotencyScope: 'q1' });
        const before = await recordRowKeys(tenantId);
        await assert.rejects(
          store.record({ ...mine, decidedBy: other, caseReference: 'CS-OTHER' }, { idempotencyScope: 'q1' }),
          (err: Error) =>
            err instanceof IdempotencyKeyInUseError &&
            !err.message.includes('CS-OWNER') &&
            !err.message.includes(first.record.id),
        );
        assert.deepEqual(await recordRowKeys(tenantId), before, 'nothing written');
        // The same user under another scope (another questionnaire) is not a retry either.
        await assert.rejects(store.record(mine, { idempotencyScope: 'q2' }), IdempotencyKeyInUseError);
        await assert.rejects(store.record(mine), IdempotencyKeyInUseError);
        // The owner's retry, same scope, any letter case of her id: the one record.
        const again = await store.record(
          { ...mine, decidedBy: { ...mine.decidedBy, aadObjectId: mine.decidedBy.aadObjectId.toUpperCase() } },
          { idempotencyScope: 'q1' },
        );
        assert.equal(again.created, false);
        assert.equal(again.record.id, first.record.id);
      });

      test('concurrent submits of one key by two users: one record, the loser refused', async () => {
        const tenantId = 'idem-race-users';
        const input = newRecord({ scope: { tenantId } });
        const racers = subject.make({ logger });
        const results = await Promise.allSettled(
          [0, 1, 2, 3].map((i) => racers.record(i % 2 ? { ...input, decidedBy: other } : input)),
        );
        const won = results.filter(
          (r): r is PromiseFulfilledResult<Awaited<ReturnType<typeof store.record>>> => r.status === 'fulfilled',
        );
        const lost = results.filter((r) => r.status === 'rejected');
        assert.equal(new Set(won.map((r) => r.value.record.id)).size, 1);
        const winner = won[0]!.value.record.decidedBy.aadObjectId;
        assert.ok(
          won.every((r) => r.value.record.decidedBy.aadObjectId === winner),
          'only the minter gets the record',
        );
        assert.equal(won.length, 2);
        assert.ok(lost.every((r) => (r as PromiseRejectedResult).reason instanceof IdempotencyKeyInUseError));
        assert.equal((await recordRowKeys(tenantId)).length, ENTITIES_PER_RECORD);
      });

      test('a marker written before binding (no minter) answers only the user its record names', async () => {
        const tenantId = 'idem-legacy';
        const input = newRecord({ scope: { tenantId } });
        const first = await store.record(input, { idempotencyScope: 'q1' });
        const rowKey = `idem|${encodeKeyPart(input.idempotencyKey)}`;
        await subject.writeRow(
          tenantId,
          { rowKey, entityKind: 'idem', schemaVersion: 1, recordId: first.record.id },
          'Replace',
        );
        await assert.rejects(store.record({ ...input, decidedBy: other }), IdempotencyKeyInUseError);
        const again = await store.record(input, { idempotencyScope: 'whatever' });
        assert.equal(again.created, false);
        assert.equal(again.record.id, first.record.id);
      });
    });

    describe('follow-ups and byCase', () => {
      const tenantId = 'cases';

      test('a follow-up linked by parentId is listed with its decision, newest first', async () => {
        const decision = (
          await store.record(
            newRecord({ scope: { tenantId }, caseReference: 'CS-77', openFollowUps: ['inform_subject_later'] }),
          )
        ).record;
        await store.record(newRecord({ scope: { tenantId }, caseReference: 'CS-78' }));
        const followUp = (
          await store.record(
            newRecord({
              scope: { tenantId },
              kind: 'follow_up_subject_informed',
              parentId: decision.id,
              caseReference: 'cs 77',
              subjectInformed: 'yes',
            }),
          )
        ).record;
        // Typed with a different case reference: still filed under the parent's case.
        const partyInformed = (
          await store.record(
            newRecord({
              scope: { tenantId },
              kind: 'follow_up_party_informed',
              parentId: decision.id,
              caseReference: 'CS-77-typo',
            }),
          )
        ).record;
        assert.deepEqual(ids(await store.byCase(tenantId, 'CS-77')), [partyInformed.id, followUp.id, decision.id]);
        assert.deepEqual(ids(await store.byCase(tenantId, 'CS-77-TYPO')), [partyInformed.id]);
        assert.deepEqual(ids((await store.query({ tenantId, caseReference: 'CS-77' }, 10)).items), [
          partyInformed.id,
          followUp.id,
          decision.id,
        ]);
        assert.deepEqual(await store.byCase(tenantId, '   '), []);
      });

      test('a correction is a linked entity with its reason and corrected values, written with its index rows; the original is unchanged', async () => {
        const decision = (
          await store.record(
            newRecord({
              scope: { tenantId },
              caseReference: 'CS-CORR',
              purpose: 'safeguarding_child',
              deciderRole: 'teacher',
              reviewBy: '2026-12-20',
              riskOfNotSharing: 'Harm at home.',
            }),
          )
        ).record;
        const before = (await recordRowKeys(tenantId)).length;
        const { record: correction } = await store.record(
          newRecord({
            scope: { tenantId },
            kind: 'correction',
            parentId: decision.id,
            caseReference: 'CS-CORR',
            channel: 'phone',
            purpose: 'prevent_detect_crime',
            correctionReason: 'Wrong purpose and channel.',
            correctedFields: ['purpose', 'channel'],
            openFollowUps: [],
          }),
        );
        assert.equal(
          (await recordRowKeys(tenantId)).length,
          before + ENTITIES_PER_RECORD,
          'record, marker and every index row',
        );
        assert.deepEqual(await store.get(tenantId, correction.id), correction);
        assert.deepEqual(await store.get(tenantId, decision.id), decision, 'the original is unchanged');
        assert.equal(decision.reviewBy, '2026-12-20');
        assert.deepEqual(ids(await store.byCase(tenantId, 'CS-CORR')), [correction.id, decision.id]);
        // The new fields are checked like the old ones.
        await assert.rejects(
          store.record(newRecord({ scope: { tenantId }, purpose: 'gossip' as never })),
          InvalidRecordError,
        );
        await assert.rejects(
          store.record(newRecord({ scope: { tenantId }, reviewBy: '20-12-2026' })),
          InvalidRecordError,
        );
        await assert.rejects(
          store.record(newRecord({ scope: { tenantId }, correctedFields: ['caseReference' as never] })),
          InvalidRecordError,
        );
      });

      test('a parentId that does not exist (or belongs to another tenant) is refused', async () => {
        await assert.rejects(
          store.record(
            newRecord({ scope: { tenantId }, kind: 'follow_up_party_informed', parentId: 'D-20261126-AAAAAA' }),
          ),
          InvalidRecordError,
        );
        const other = (await store.record(newRecord({ scope: { tenantId: 'cases-other' } }))).record;
        await assert.rejects(
          store.record(newRecord({ scope: { tenantId }, kind: 'follow_up_party_informed', parentId: other.id })),
          InvalidRecordError,
        );
      });

      test('byCase is bounded', async () => {
        const small = subject.make({ logger, byCaseLimit: 3 });
        for (let i = 0; i < 5; i++) await store.record(newRecord({ scope: { tenantId }, caseReference: 'BIG-1' }));
        assert.equal((await small.byCase(tenantId, 'BIG-1')).length, 3);
        assert.ok(logger.lines.some((l) => l.level === 'warn' && /truncated/.test(l.message)));
      });
    });

    describe('corrupt stored entities', () => {
      const tenantId = 'corrupt';

      test('a damaged record row gives a clear, logged CorruptEntityError without its content', async () => {
        const { record } = await store.record(newRecord({ scope: { tenantId } }));
        const raw = await subject.readRow(tenantId, `rec|${record.id}`);
        const damaged = { ...JSON.parse(raw.record as string), decision: 'perhaps' };
        await subject.writeRow(tenantId, { rowKey: `rec|${record.id}`, record: JSON.stringify(damaged) }, 'Merge');
        const before = logger.lines.length;
        await assert.rejects(store.get(tenantId, record.id), (err: Error) => {
          assert.ok(err instanceof CorruptEntityError);
          assert.match(err.message, /decision/);
          assert.match(err.message, new RegExp(`rec\\|${record.id}`));
          assert.doesNotMatch(err.message, /Attendance|Pat Practitioner|CS-1001/);
          return true;
        });
        const logged = logger.lines.slice(before);
        assert.equal(logged.length, 1);
        assert.equal(logged[0]!.level, 'error');
        assert.doesNotMatch(JSON.stringify(logged), /Attendance|Pat Practitioner/);
      });

      test('unparseable JSON, missing columns and rows copied from another tenant are all refused', async () => {
        const plant = async (rowKey: string, props: Record<string, unknown>) =>
          subject.writeRow(tenantId, { rowKey, ...props }, 'Replace');
        await plant('rec|D-20261126-CRPT01', {
          entityKind: 'rec',
          recordId: 'D-20261126-CRPT01',
          record: '{"id": "D-2026',
        });
        await assert.rejects(store.get(tenantId, 'D-20261126-CRPT01'), /not valid JSON/);
        await plant('rec|D-20261126-CRPT02', { entityKind: 'rec', recordId: 'D-20261126-CRPT02' });
        await assert.rejects(store.get(tenantId, 'D-20261126-CRPT02'), CorruptEntityError);
        const foreign = (await store.record(newRecord({ scope: { tenantId: 'victim' } }))).record;
        await plant(`rec|${foreign.id}`, { entityKind: 'rec', recordId: foreign.id, record: JSON.stringify(foreign) });
        await assert.rejects(store.get(tenantId, foreign.id), /tenant or id mismatch/);
      });

      test('a damaged index row fails the query clearly', async () => {
        await subject.writeRow(
          tenantId,
          { rowKey: 'all|0000000000000|D-20261126-CRPT03', entityKind: 'idx' },
          'Replace',
        );
        await assert.rejects(
          store.query({ tenantId }, 50),
          (err: Error) => err instanceof CorruptEntityError && /all index row/.test(err.message),
        );
      });
    });

    describe('daily counters (the team summary)', () => {
      const at = (iso: string) => subject.make({ logger, now: () => new Date(iso) });
      const day = (counts: DayCounts[], d: string) => counts.find((c) => c.day === d);

      test('each record adds to its day, tenant-wide and for its Teams team, in the same write', async () => {
        const tenantId = 'sum-basic';
        const team = { tenantId, conversationKind: 'channel' as const, conversationId: '19:c@thread', teamId: 'T-1' };
        const mar10 = at('2026-03-10T08:00:00.000Z');
        await mar10.record(newRecord({ scope: team }));
        await mar10.record(
          newRecord({
            scope: team,
            decision: 'share_without_consent_justified',
            consentStatus: 'not_sought',
            subjectInformed: 'will_inform',
            reviewBy: '2026-03-20',
          }),
        );
        await mar10.record(newRecord({ scope: { tenantId }, decision: 'seek_advice' }));
        const withdrawn = newRecord({ scope: { tenantId }, kind: 'consent_withdrawn', consentStatus: 'withdrawn' });
        await at('2026-03-11T23:59:59.999Z').record(withdrawn);

        const all = await store.dailyCounts(tenantId, { from: '2026-03-01', to: '2026-04-01' });
        assert.deepEqual(
          all.map((c) => c.day),
          ['2026-03-10', '2026-03-11', '2026-03-20'],
        );
        assert.equal(day(all, '2026-03-10')!.decisions.share_with_consent, 1);
        assert.equal(day(all, '2026-03-10')!.decisions.share_without_consent_justified, 1);
        assert.equal(day(all, '2026-03-10')!.decisions.seek_advice, 1);
        assert.equal(day(all, '2026-03-10')!.noConsent, 1);
        assert.equal(day(all, '2026-03-11')!.withdrawn, 1);
        assert.equal(day(all, '2026-03-20')!.reviewDue, 1, 'filed under its review date');

        const teamOnly = await store.dailyCounts(tenantId, { from: '2026-03-01', to: '2026-04-01', teamId: 'T-1' });
        assert.equal(day(teamOnly, '2026-03-10')!.decisions.share_with_consent, 1);
        assert.equal(day(teamOnly, '2026-03-10')!.decisions.seek_advice, 0, 'a personal-chat record is in no team');
        assert.equal(day(teamOnly, '2026-03-11'), undefined);
        // [from, to): the end day is excluded, the start day included.
        assert.deepEqual(
          (await store.dailyCounts(tenantId, { from: '2026-03-11', to: '2026-03-20' })).map((c) => c.day),
          ['2026-03-11'],
        );
        assert.deepEqual(await store.dailyCounts(tenantId, { from: '2026-01-01', to: '2026-02-01' }), []);
        assert.deepEqual(await store.dailyCounts('sum-other-tenant', { from: '2026-03-01', to: '2026-04-01' }), []);
      });

      test('follow-ups and urgent shares settle the counts of the entries they close', async () => {
        const tenantId = 'sum-links';
        const s = at('2026-05-04T10:00:00.000Z');
        const { record: pending } = await s.record(
          newRecord({ scope: { tenantId }, subjectInformed: 'not_informing', reviewBy: '2026-05-08' }),
        );
        await at('2026-05-09T10:00:00.000Z').record(
          newRecord({
            scope: { tenantId },
            kind: 'follow_up_subject_informed',
            parentId: pending.id,
            subjectInformed: 'yes',
          }),
        );
        const { record: urgent } = await s.record(newRecord({ scope: { tenantId }, kind: 'urgent_share' }));
        await s.record(newRecord({ scope: { tenantId }, kind: 'urgent_share' }));
        await at('2026-05-06T10:00:00.000Z').record(newRecord({ scope: { tenantId }, urgentEntryId: urgent.id }));
        // Naming a record that is not an urgent entry counts nothing.
        await s.record(newRecord({ scope: { tenantId }, urgentEntryId: pending.id }));
        const counts = await store.dailyCounts(tenantId, { from: '2026-05-01', to: '2026-06-01' });
        assert.equal(day(counts, '2026-05-08')!.reviewDue, 1);
        assert.equal(day(counts, '2026-05-08')!.reviewDone, 1, 'closed against its review date');
        assert.equal(day(counts, '2026-05-04')!.urgent, 2);
        assert.equal(day(counts, '2026-05-04')!.urgentRecorded, 1, 'counted on the urgent entry’s day');
        assert.equal(day(counts, '2026-05-06')!.decisions.share_with_consent, 1);
        assert.equal(day(counts, '2026-05-09'), undefined, 'the follow-up itself is no decision');
      });

      test('a withdrawal linked to a team decision counts under that team, tenant-wide once', async () => {
        const tenantId = 'sum-withdrawn-team';
        const team = { tenantId, conversationKind: 'channel' as const, conversationId: '19:c@thread', teamId: 'T-W' };
        const s = at('2026-06-02T10:00:00.000Z');
        const { record: share } = await s.record(newRecord({ scope: team }));
        await s.record(
          newRecord({ scope: { tenantId }, kind: 'consent_withdrawn', consentStatus: 'withdrawn', parentId: share.id }),
        );
        const span = { from: '2026-06-02', to: '2026-06-03' };
        assert.equal((await store.dailyCounts(tenantId, { ...span, teamId: 'T-W' }))[0]?.withdrawn, 1);
        assert.equal((await store.dailyCounts(tenantId, span))[0]?.withdrawn, 1);
      });

      test('a replayed submission counts once; concurrent records of one day all count', async () => {
        const tenantId = 'sum-concurrent';
        const s = at('2026-07-01T12:00:00.000Z');
        const input = newRecord({ scope: { tenantId } });
        await s.record(input);
        await s.record(input);
        await Promise.all(Array.from({ length: 16 }, () => s.record(newRecord({ scope: { tenantId } }))));
        const [only] = await store.dailyCounts(tenantId, { from: '2026-07-01', to: '2026-07-02' });
        assert.equal(only!.decisions.share_with_consent, 17);
      });

      test('a damaged counter row fails the counts clearly', async () => {
        await subject.writeRow('sum-corrupt', { rowKey: 'sum|all|20260105|03', d_do_not_share: 'many' }, 'Replace');
        await assert.rejects(
          store.dailyCounts('sum-corrupt', { from: '2026-01-01', to: '2026-02-01' }),
          CorruptEntityError,
        );
      });

      test('a span that is not days, or longer than the limit, is refused', async () => {
        await assert.rejects(store.dailyCounts('t', { from: '2026-01-01', to: '2027-06-01' }), InvalidQueryError);
        await assert.rejects(store.dailyCounts('t', { from: '2026-02-01', to: '2026-01-01' }), InvalidQueryError);
        await assert.rejects(store.dailyCounts('t', { from: "x' or 1", to: '2026-01-01' }), InvalidQueryError);
      });
    });
  });
}
