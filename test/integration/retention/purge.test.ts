/**
 * Retention purge on a real Azurite: records older than now − RETENTION_DAYS go with every index
 * row and idempotency marker (one transaction each); everything younger is untouched (before/after
 * snapshot incl. ETags); queries stop returning the purged records; a young follow-up outlives its
 * purged parent (and is later purged with its parent-case index row, also for rows written before
 * the extraCaseKeys column); two instances delete each record once; a second run is a no-op; audit
 * entries are purged; work is bounded; rows missing already are tolerated; the croner schedule and
 * the app wiring run it; logs carry counts only.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { odata, type TableClient } from '@azure/data-tables';
import { createApp } from '../../../src/app';
import { loadConfig } from '../../../src/config';
import { createLogger } from '../../../src/logger';
import {
  createRetentionSystem,
  DEFAULT_RETENTION_SETTINGS,
  retentionSettingsFrom,
  type RetentionSystem,
} from '../../../src/retention';
import { TableAuditStore } from '../../../src/storage/auditStore';
import type { NewRecord, StoredRecord } from '../../../src/storage/contract';
import { idempotencyRowKey, indexPrefix, recordRowKey, tenantPartitionKey } from '../../../src/storage/decisionKeys';
import { TableDecisionStore } from '../../../src/storage/decisionStore';
import { encodeKeyPart } from '../../../src/storage/keys';
import { TableRetentionPurge, type PurgeCounts } from '../../../src/storage/retention';
import { createTables } from '../../../src/storage/tableClients';
import { capturingLogger, newRecord, type NewRecordOverrides } from '../../support/records';
import { rowKeysOf, startStorage, type StorageHarness } from '../../support/storageHarness';

const DAY = 86_400_000;
const RETENTION_DAYS = 2557;
const NOW = Date.parse('2033-06-01T12:00:00.000Z');
const CUTOFF = NOW - RETENTION_DAYS * DAY;

const A = 'tenant-a';
const B = 'tenant b/ü#?'; // every character that needs key escaping
const C = 'tenant-legacy';
const PREFIXES = ['rec|', 'idem|', 'all|', 'team|', 'user|', 'case|', 'outcome|'] as const;

let h: StorageHarness;
let t = NOW;
let store: TableDecisionStore;
const storeLogger = capturingLogger();

interface Row {
  pk: string;
  rk: string;
  recordId?: string;
  recordedAt?: string;
  raw: string;
}

/** Every row of the decisions table, keyed "pk rk", with its full content (ETag and Timestamp included). */
async function snapshot(client: TableClient = h.rawDecisions): Promise<Map<string, Row>> {
  const rows = new Map<string, Row>();
  for await (const e of client.listEntities<Record<string, unknown>>()) {
    rows.set(`${e.partitionKey} ${e.rowKey}`, {
      pk: e.partitionKey!,
      rk: e.rowKey!,
      recordId: typeof e.recordId === 'string' ? e.recordId : undefined,
      recordedAt: typeof e.recordedAt === 'string' ? e.recordedAt : undefined,
      raw: JSON.stringify(e),
    });
  }
  return rows;
}

/** Records (by id) whose record row says they were recorded before `cutoffMs`. */
function expiredIn(snap: Map<string, Row>, cutoffMs: number): Set<string> {
  const ids = new Set<string>();
  for (const row of snap.values()) {
    if (row.rk.startsWith('rec|') && row.recordedAt && Date.parse(row.recordedAt) < cutoffMs) ids.add(row.recordId!);
  }
  return ids;
}

/** The UTC day (YYYYMMDD) a summary counter row counts: sum|all|D|s, sum|team|T|D|s, sum|days|D|T. */
const counterDay = (rowKey: string) => rowKey.split('|')[rowKey.startsWith('sum|team|') ? 3 : 2]!;

/**
 * Expired records have no row left at all; the summary counters of every day wholly before the
 * cutoff's day are gone too; every other row is byte-for-byte (and ETag) unchanged. Returns how
 * many record rows went.
 */
function assertPurged(
  before: Map<string, Row>,
  afterSnap: Map<string, Row>,
  expired: Set<string>,
  cutoffMs = CUTOFF,
): number {
  const cutoffDay = new Date(cutoffMs).toISOString().slice(0, 10).replace(/-/g, '');
  let gone = 0;
  let countersGone = 0;
  for (const [key, row] of before) {
    if (row.rk.startsWith('sum|')) {
      if (counterDay(row.rk) < cutoffDay) {
        assert.ok(!afterSnap.has(key), `counter row of an expired day still there (${row.rk.split('|')[1]})`);
        countersGone++;
      } else assert.equal(afterSnap.get(key)?.raw, row.raw, 'a counter row of a kept day changed or vanished');
      continue;
    }
    if (row.recordId !== undefined && expired.has(row.recordId)) {
      assert.ok(!afterSnap.has(key), `row of expired record ${row.recordId} (${row.rk.split('|')[0]}) still there`);
      gone++;
    } else {
      assert.equal(
        afterSnap.get(key)?.raw,
        row.raw,
        `younger row ${row.rk.split('|')[0]} of ${row.recordId} changed or vanished`,
      );
    }
  }
  for (const key of afterSnap.keys()) assert.ok(before.has(key), 'the purge must not create rows');
  assert.equal(afterSnap.size, before.size - gone - countersGone);
  return gone;
}

async function prefixCounts(tenantId: string): Promise<Record<string, number>> {
  const keys = await rowKeysOf(h.rawDecisions, tenantId);
  return Object.fromEntries(PREFIXES.map((p) => [p, keys.filter((k) => k.startsWith(p)).length]));
}

async function recordAt(ms: number, overrides: NewRecordOverrides = {}): Promise<StoredRecord> {
  t = ms;
  return (await store.record(newRecord(overrides))).record;
}

const tenantScope = (tenantId: string, extra: Partial<NewRecord['scope']> = {}) => ({ scope: { tenantId, ...extra } });
const channel = (tenantId: string, team: string) =>
  tenantScope(tenantId, {
    conversationKind: 'channel',
    conversationId: `19:${team}-root`,
    teamId: team,
    channelId: `19:${team}-root`,
  });

async function allIds(tenantId: string): Promise<string[]> {
  const ids: string[] = [];
  let token: string | undefined;
  do {
    const page = await store.query({ tenantId }, 7, token);
    ids.push(...page.items.map((r) => r.id));
    token = page.continuationToken;
  } while (token);
  return ids;
}

/** Drops the extraCaseKeys column from every row of a record: rows as written before the column existed. */
async function stripExtraCaseKeys(tenantId: string, recordId: string): Promise<void> {
  const filter = odata`PartitionKey eq ${tenantPartitionKey(tenantId)} and recordId eq ${recordId}`;
  let stripped = 0;
  for await (const e of h.rawDecisions.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
    if (!('extraCaseKeys' in e)) continue;
    const { etag: _etag, timestamp: _ts, extraCaseKeys: _x, ...rest } = e;
    await h.rawDecisions.upsertEntity({ ...rest, partitionKey: e.partitionKey!, rowKey: e.rowKey! }, 'Replace');
    stripped++;
  }
  assert.ok(stripped >= 7, 'the follow-up rows carried extraCaseKeys');
}

const seeded: Record<string, StoredRecord> = {};
const runLogs: Array<Record<string, unknown>> = [];
const runLogger = {
  info: (d: Record<string, unknown>) => void runLogs.push({ level: 'info', ...d }),
  warn: (d: Record<string, unknown>) => void runLogs.push({ level: 'warn', ...d }),
  error: (d: Record<string, unknown>) => void runLogs.push({ level: 'error', ...d }),
};
const systems: RetentionSystem[] = [];

/** A separate "instance": its own table clients, lease owner and logger. */
function instance(owner: string): RetentionSystem {
  const system = createRetentionSystem({
    tables: createTables(h.azurite.connectionString),
    logger: runLogger,
    settings: { ...DEFAULT_RETENTION_SETTINGS, retentionDays: RETENTION_DAYS, leaseTtlMs: 5_000 },
    now: () => new Date(NOW),
    owner,
  });
  systems.push(system);
  return system;
}

before(async () => {
  h = await startStorage();
  store = new TableDecisionStore(h.tables.decisions, { logger: storeLogger, now: () => new Date(t) });

  // Tenant A: various ages, teams, chats, users, outcomes and cases; follow-ups across the cutoff.
  seeded.old1 = await recordAt(NOW - 3000 * DAY, { ...channel(A, 'team-1'), caseReference: 'CS-OLD-1' });
  seeded.old2 = await recordAt(NOW - 2600 * DAY, {
    ...tenantScope(A),
    decision: 'share_without_consent_justified',
    consentStatus: 'not_sought',
    reasonsWithoutConsent: 'risk of harm',
    caseReference: 'cs old 2',
    decidedBy: { aadObjectId: 'user-2', name: 'Sam Second' },
  });
  seeded.oldFollowUpSameCase = await recordAt(NOW - 2800 * DAY, {
    ...channel(A, 'team-1'),
    kind: 'follow_up_subject_informed',
    parentId: seeded.old1.id,
    caseReference: 'CS-OLD-1',
  });
  seeded.oldFollowUpOtherCase = await recordAt(NOW - 2590 * DAY, {
    ...tenantScope(A),
    kind: 'follow_up_party_informed',
    parentId: seeded.old2.id,
    caseReference: 'CS-OTHER-3',
  });
  seeded.justExpired = await recordAt(CUTOFF - 1, {
    ...channel(A, 'team-2'),
    caseReference: 'CS-EDGE',
    decision: 'seek_advice',
  });
  seeded.atCutoff = await recordAt(CUTOFF, {
    ...channel(A, 'team-2'),
    caseReference: 'CS-EDGE',
    decision: 'seek_advice',
  });
  seeded.justYoung = await recordAt(CUTOFF + 1, { ...tenantScope(A), caseReference: 'CS-EDGE' });
  seeded.youngFollowUp = await recordAt(CUTOFF + 1 * DAY, {
    ...channel(A, 'team-1'),
    kind: 'follow_up_subject_informed',
    parentId: seeded.old1.id,
    caseReference: 'CS-NEW-9',
  });
  seeded.young = await recordAt(NOW - 100 * DAY, { ...channel(A, 'team-1'), caseReference: 'CS-OLD-1' });
  seeded.newest = await recordAt(NOW - 1 * DAY, {
    ...tenantScope(A),
    caseReference: 'CS-NEW-9',
    decision: 'do_not_share',
  });
  // Tenant B (escaped partition key): one old, one young.
  seeded.bOld = await recordAt(NOW - 4000 * DAY, { ...tenantScope(B), caseReference: 'B-1' });
  seeded.bYoung = await recordAt(NOW - 5 * DAY, { ...tenantScope(B), caseReference: 'B-1' });
  // Tenant C: follow-ups written before the extraCaseKeys column existed.
  seeded.cParent = await recordAt(NOW - 3000 * DAY, { ...tenantScope(C), caseReference: 'C-PARENT' });
  seeded.cOldFollowUp = await recordAt(NOW - 2900 * DAY, {
    ...tenantScope(C),
    kind: 'follow_up_party_informed',
    parentId: seeded.cParent.id,
    caseReference: 'C-OLD-CHILD',
  });
  seeded.cYoungFollowUp = await recordAt(CUTOFF + 1.5 * DAY, {
    ...tenantScope(C),
    kind: 'follow_up_subject_informed',
    parentId: seeded.cParent.id,
    caseReference: 'C-CHILD',
  });
  await stripExtraCaseKeys(C, seeded.cOldFollowUp.id);
  await stripExtraCaseKeys(C, seeded.cYoungFollowUp.id);
});

after(async () => {
  for (const s of systems) await s.stop();
  await h?.azurite.stop();
});

describe('retention purge', () => {
  let firstRun: PurgeCounts;
  let expiredAtNow: Set<string>;

  test('seeding wrote 7 rows per record, 8 for follow-ups filed under a second case', async () => {
    const snap = await snapshot();
    const rowsOf = (id: string) => [...snap.values()].filter((r) => r.recordId === id).length;
    assert.equal(rowsOf(seeded.old1!.id), 7);
    assert.equal(rowsOf(seeded.oldFollowUpSameCase!.id), 7);
    assert.equal(rowsOf(seeded.oldFollowUpOtherCase!.id), 8);
    assert.equal(rowsOf(seeded.youngFollowUp!.id), 8);
    assert.equal(rowsOf(seeded.cYoungFollowUp!.id), 8);
  });

  test('expired records go with ALL their index rows and idempotency markers; every younger row is untouched', async () => {
    const before = await snapshot();
    const countsBefore = { A: await prefixCounts(A), B: await prefixCounts(B), C: await prefixCounts(C) };
    expiredAtNow = expiredIn(before, CUTOFF);
    const expectedExpired = [
      'old1',
      'old2',
      'oldFollowUpSameCase',
      'oldFollowUpOtherCase',
      'justExpired',
      'bOld',
      'cParent',
      'cOldFollowUp',
    ];
    assert.deepEqual([...expiredAtNow].sort(), expectedExpired.map((k) => seeded[k]!.id).sort());

    const started = Date.now();
    const result = await instance('instance-1').runRetentionPurge({ now: new Date(NOW) });
    console.log(`first purge: ${Date.now() - started} ms`);
    assert.equal(result.ran, true);
    assert.ok(result.ran);
    firstRun = result.counts;

    const afterSnap = await snapshot();
    const gone = assertPurged(before, afterSnap, expiredAtNow);
    assert.equal(gone, 8 * 7 + 2, '8 records of 7 rows, two of them follow-ups with an 8th (parent-case) row');
    assert.equal(firstRun.recordsDeleted, expiredAtNow.size);
    assert.equal(firstRun.rowsDeleted, gone);
    assert.equal(firstRun.recordsAlreadyGone, 0);
    assert.equal(firstRun.corruptSkipped, 0);
    assert.equal(firstRun.truncated, false);
    assert.equal(firstRun.tenants, 3);
    assert.equal(firstRun.cutoff, new Date(CUTOFF).toISOString());

    // Raw row counts per RowKey prefix, per tenant: exactly the expired records' rows are gone.
    const expectedDrop = (tenantId: string) => {
      const drop: Record<string, number> = Object.fromEntries(PREFIXES.map((p) => [p, 0]));
      for (const row of before.values()) {
        if (row.pk !== encodeKeyPart(tenantId) || !expiredAtNow.has(row.recordId!)) continue;
        drop[`${row.rk.split('|')[0]}|`]!++;
      }
      return drop;
    };
    for (const [name, tenantId] of [
      ['A', A],
      ['B', B],
      ['C', C],
    ] as const) {
      const now = await prefixCounts(tenantId);
      const drop = expectedDrop(tenantId);
      for (const p of PREFIXES) assert.equal(now[p], countsBefore[name][p]! - drop[p]!, `tenant ${name} ${p}`);
    }
    // Tenant A lost 5 records: 5 rec, 5 idem, 5 all, 5 team, 5 user, 6 case (one follow-up under a second case), 5
    // outcome.
    assert.deepEqual(expectedDrop(A), {
      'rec|': 5,
      'idem|': 5,
      'all|': 5,
      'team|': 5,
      'user|': 5,
      'case|': 6,
      'outcome|': 5,
    });
  });

  test('queries, byCase, get and idempotency lookups no longer return purged records', async () => {
    assert.deepEqual(
      await allIds(A),
      [seeded.newest, seeded.young, seeded.youngFollowUp, seeded.justYoung, seeded.atCutoff].map((r) => r!.id),
    );
    assert.deepEqual(await allIds(B), [seeded.bYoung!.id]);
    assert.deepEqual(
      (await store.query({ tenantId: A, teamId: 'team-2' }, 50)).items.map((r) => r.id),
      [seeded.atCutoff!.id],
    );
    assert.deepEqual((await store.query({ tenantId: A, decision: 'share_without_consent_justified' }, 50)).items, []);
    assert.deepEqual((await store.query({ tenantId: A, decidedBy: 'user-2' }, 50)).items, []);
    assert.deepEqual(
      (await store.byCase(A, 'CS-OTHER-3')).map((r) => r.id),
      [],
    );
    assert.deepEqual(
      (await store.byCase(A, 'cs old 2')).map((r) => r.id),
      [],
    );
    assert.deepEqual(
      (await store.byCase(A, 'CS-EDGE')).map((r) => r.id),
      [seeded.justYoung!.id, seeded.atCutoff!.id],
    );
    for (const key of ['old1', 'old2', 'oldFollowUpOtherCase', 'justExpired', 'bOld', 'cParent'] as const) {
      const r = seeded[key]!;
      assert.equal(await store.get(r.scope.tenantId, r.id), undefined, `${key} still readable`);
      assert.equal(
        await store.findByIdempotencyKey(r.scope.tenantId, r.idempotencyKey),
        undefined,
        `${key} idempotency marker left`,
      );
    }
    assert.equal(
      (await store.get(A, seeded.atCutoff!.id))?.id,
      seeded.atCutoff!.id,
      'recorded exactly at the cutoff: kept',
    );
  });

  test('a follow-up younger than the cutoff survives its purged parent, still filed under the parent’s case', async () => {
    assert.equal(await store.get(A, seeded.old1!.id), undefined);
    const fu = await store.get(A, seeded.youngFollowUp!.id);
    assert.equal(fu?.parentId, seeded.old1!.id);
    // The chain outlives its first decision: byCase(parent's case) still shows the follow-up (and the young decision).
    assert.deepEqual(
      (await store.byCase(A, 'CS-OLD-1')).map((r) => r.id),
      [seeded.young!.id, seeded.youngFollowUp!.id],
    );
    assert.deepEqual(
      (await store.byCase(A, 'CS-NEW-9')).map((r) => r.id),
      [seeded.newest!.id, seeded.youngFollowUp!.id],
    );
    assert.deepEqual(
      (await store.byCase(C, 'C-PARENT')).map((r) => r.id),
      [seeded.cYoungFollowUp!.id],
    );
  });

  test('a second run is a no-op: the lease says completed, and a direct purge finds nothing', async () => {
    const before = await snapshot();
    const again = await instance('instance-2').runRetentionPurge({ now: new Date(NOW) });
    assert.deepEqual(again, { ran: false, runKey: again.runKey, reason: 'completed' });
    const direct = await new TableRetentionPurge(h.tables).purge(new Date(CUTOFF), {
      maxRecords: 1000,
      maxAuditEntries: 1000,
    });
    assert.equal(direct.recordsDeleted + direct.rowsDeleted + direct.recordsAlreadyGone + direct.corruptSkipped, 0);
    assert.equal(direct.truncated, false);
    const afterSnap = await snapshot();
    assert.deepEqual(
      [...afterSnap.entries()].map(([k, r]) => [k, r.raw]),
      [...before.entries()].map(([k, r]) => [k, r.raw]),
    );
  });

  test('logs carry counts only, never record content', () => {
    const done = runLogs.filter((l) => l.event === 'retention.purge_done');
    assert.equal(done.length, 1);
    assert.deepEqual(Object.keys(done[0]!).sort(), [
      'auditEntriesDeleted',
      'corruptSkipped',
      'counterRowsDeleted',
      'cutoff',
      'durationMs',
      'event',
      'level',
      'recordsAlreadyGone',
      'recordsDeleted',
      'retentionDays',
      'rowsDeleted',
      'tenants',
      'truncated',
    ]);
    const all = JSON.stringify([...runLogs, ...storeLogger.lines]);
    for (const secret of [
      'CS-',
      'cs old',
      'Pat Practitioner',
      'Sam Second',
      'risk of harm',
      'Attendance',
      'C-PARENT',
      'team-1',
    ]) {
      assert.ok(!all.includes(secret), `log mentions ${secret}`);
    }
    assert.equal(runLogs.filter((l) => l.level === 'error').length, 0);
  });

  test('missing rows (a partial record, or rows removed by hand) are tolerated', async () => {
    const tenantId = 'tenant-partial';
    const r1 = await recordAt(NOW - 3000 * DAY, { ...tenantScope(tenantId), caseReference: 'P-1' });
    const r2 = await recordAt(NOW - 3001 * DAY, { ...tenantScope(tenantId), caseReference: 'P-2' });
    const young = await recordAt(NOW - 1 * DAY, { ...tenantScope(tenantId), caseReference: 'P-1' });
    const pk = encodeKeyPart(tenantId);
    await h.rawDecisions.deleteEntity(pk, idempotencyRowKey(r1.idempotencyKey));
    await h.rawDecisions.deleteEntity(
      pk,
      (await rowKeysOf(h.rawDecisions, tenantId, indexPrefix('outcome', r1.decision))).find((k) => k.endsWith(r1.id))!,
    );
    await h.rawDecisions.deleteEntity(pk, recordRowKey(r2.id));
    const before = await snapshot();
    const counts = await new TableRetentionPurge(h.tables).purge(new Date(CUTOFF), {
      maxRecords: 1000,
      maxAuditEntries: 1000,
    });
    assert.equal(counts.recordsDeleted, 2);
    assert.equal(counts.rowsDeleted, 5 + 6);
    assertPurged(before, await snapshot(), new Set([r1.id, r2.id]));
    assert.deepEqual(await allIds(tenantId), [young.id]);
  });

  test('work per run is bounded; the next run continues', async () => {
    const tenantId = 'tenant-backlog';
    const old: StoredRecord[] = [];
    for (let i = 0; i < 5; i++)
      old.push(await recordAt(NOW - (3000 + i) * DAY, { ...tenantScope(tenantId), caseReference: `BL-${i}` }));
    const young = await recordAt(NOW - DAY, { ...tenantScope(tenantId) });
    const purge = new TableRetentionPurge(h.tables);
    const limits = { maxRecords: 2, maxAuditEntries: 1000 };
    const runs = [
      await purge.purge(new Date(CUTOFF), limits),
      await purge.purge(new Date(CUTOFF), limits),
      await purge.purge(new Date(CUTOFF), limits),
    ];
    assert.deepEqual(
      runs.map((r) => [r.recordsDeleted, r.truncated]),
      [
        [2, true],
        [2, true],
        [1, false],
      ],
    );
    assert.deepEqual(await allIds(tenantId), [young.id]);
    const left = await rowKeysOf(h.rawDecisions, tenantId);
    assert.equal(left.filter((key) => !key.startsWith('sum|')).length, 7, 'the young record’s rows');
  });

  test('two instances: with the lease one purges and the other stands back; without it, each record is still deleted once', async () => {
    const tenantId = 'tenant-many';
    const seed = async (n: number, ageDays: number) => {
      for (let i = 0; i < n; i++)
        await recordAt(NOW - (ageDays + i / 10) * DAY, { ...tenantScope(tenantId), caseReference: `M-${i % 4}` });
    };
    await seed(24, 2700);
    await seed(3, 30);
    // A new run (another minute, so another lease key); its cutoff is a minute earlier, before the edge records.
    const nowA = new Date(NOW - 60_000);
    const cutoffA = nowA.getTime() - RETENTION_DAYS * DAY;

    let before = await snapshot();
    let expired = expiredIn(before, cutoffA);
    assert.equal(expired.size, 24);
    const [one, two] = await Promise.all([
      instance('instance-3').runRetentionPurge({ now: nowA }),
      instance('instance-4').runRetentionPurge({ now: nowA }),
    ]);
    const ran = [one, two].filter((r) => r.ran);
    assert.equal(ran.length, 1, 'exactly one instance purges a given run');
    assert.ok(ran[0]!.ran && ran[0]!.counts.recordsDeleted === 24);
    assertPurged(before, await snapshot(), expired, cutoffA);

    // Lease-less: two purgers (own clients, small pages, concurrency) racing over the same records.
    await seed(40, 2800);
    before = await snapshot();
    expired = expiredIn(before, cutoffA);
    assert.equal(expired.size, 40);
    const racer = () =>
      new TableRetentionPurge(createTables(h.azurite.connectionString), { pageSize: 5, concurrency: 4 });
    const [x, y] = await Promise.all(
      [racer(), racer()].map((p) => p.purge(new Date(cutoffA), { maxRecords: 1000, maxAuditEntries: 1000 })),
    );
    assert.equal(x!.recordsDeleted + y!.recordsDeleted, 40, 'each record deleted exactly once');
    assert.equal(x!.rowsDeleted + y!.rowsDeleted, 40 * 7);
    assert.equal(x!.corruptSkipped + y!.corruptSkipped, 0);
    console.log(
      `racing purgers: ${x!.recordsDeleted}/${y!.recordsDeleted} deleted, ${x!.recordsAlreadyGone}/${y!.recordsAlreadyGone} already gone`,
    );
    assertPurged(before, await snapshot(), expired, cutoffA);
    assert.equal((await allIds(tenantId)).length, 3);
  });

  test('audit entries older than the retention period are purged (tenants found in the audit table too)', async () => {
    const audit = new TableAuditStore(h.tables.audit);
    const entry = (tenantId: string, atMs: number, action: string) =>
      audit.write({
        tenantId,
        actorAadObjectId: 'manager-1',
        action,
        filter: { tenantId },
        resultCount: 1,
        at: new Date(atMs).toISOString(),
      });
    await entry(A, NOW - 3000 * DAY, 'old');
    await entry(A, CUTOFF - 1, 'old');
    await entry(A, CUTOFF, 'at_cutoff');
    await entry(A, NOW - DAY, 'young');
    // > one transaction
    for (let i = 0; i < 130; i++) await entry('tenant-audit-only', NOW - 2600 * DAY - i * 1000, 'old');
    await entry('tenant-audit-only', NOW - 10 * DAY, 'young');

    const counts = await new TableRetentionPurge(h.tables).purge(new Date(CUTOFF), {
      maxRecords: 1000,
      maxAuditEntries: 1000,
    });
    assert.equal(counts.auditEntriesDeleted, 132);
    assert.deepEqual(
      (await audit.list(A)).map((e) => e.action),
      ['young', 'at_cutoff'],
    );
    assert.deepEqual(
      (await audit.list('tenant-audit-only')).map((e) => e.action),
      ['young'],
    );
    assert.equal(counts.recordsDeleted, 0);
  });

  test('later, the surviving follow-ups expire and go with their parent-case rows (also rows without extraCaseKeys)', async () => {
    const later = NOW + 2 * DAY;
    const before = await snapshot();
    const laterCutoff = later - RETENTION_DAYS * DAY;
    const expired = expiredIn(before, laterCutoff);
    assert.deepEqual(
      [...expired].sort(),
      [seeded.atCutoff!, seeded.justYoung!, seeded.youngFollowUp!, seeded.cYoungFollowUp!].map((r) => r.id).sort(),
    );
    const result = await instance('instance-5').runRetentionPurge({ now: new Date(later) });
    assert.ok(result.ran);
    assert.equal(result.counts.recordsDeleted, 4);
    assert.equal(result.counts.rowsDeleted, 7 + 7 + 8 + 8);
    assertPurged(before, await snapshot(), expired, laterCutoff);
    assert.deepEqual(await store.byCase(A, 'CS-OLD-1').then((rs) => rs.map((r) => r.id)), [seeded.young!.id]);
    assert.deepEqual(await store.byCase(C, 'C-PARENT'), []);
    assert.deepEqual(await rowKeysOf(h.rawDecisions, C), []);
    // The legacy follow-up's parent was gone, so its parent-case row was found by the case-index scan.
    assert.ok(
      runLogs.some((l) => l.level === 'warn' && l.recordId === seeded.cYoungFollowUp!.id),
      'fallback scan used',
    );
  });
});

describe('scheduling and app wiring', () => {
  test('settings: disabled under NODE_ENV=test unless opted in; env overrides are validated', () => {
    assert.equal(retentionSettingsFrom(loadConfig({ NODE_ENV: 'test' })).enabled, false);
    assert.equal(
      retentionSettingsFrom(loadConfig({ NODE_ENV: 'test', RETENTION_PURGE_ENABLED: 'true' })).enabled,
      true,
    );
    const s = retentionSettingsFrom(
      loadConfig({ RETENTION_PURGE_CRON: '0 3 * * *', RETENTION_PURGE_MAX_RECORDS: '500', RETENTION_DAYS: '30' }),
    );
    assert.deepEqual(
      [s.enabled, s.cron, s.timezone, s.maxRecordsPerRun, s.retentionDays],
      [true, '0 3 * * *', 'Europe/London', 500, 30],
    );
    assert.throws(() => loadConfig({ RETENTION_PURGE_CRON: 'every day at 3' }));
    assert.throws(() => loadConfig({ RETENTION_PURGE_TIMEZONE: 'Mars/Olympus' }));
  });

  test('the app starts the croner job when opted in and stops it on close', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
          lines.push(JSON.parse(line) as Record<string, unknown>);
        cb();
      },
    });
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      AZURE_STORAGE_CONNECTION_STRING: h.azurite.connectionString,
    });
    const off = await createApp(config, { reminders: false, logger: createLogger('info', sink) });
    assert.equal(off.retention.enabled, false, 'off by default under NODE_ENV=test');
    assert.equal(off.retention.settings.retentionDays, config.RETENTION_DAYS);
    await off.close();

    const app = await createApp(config, {
      reminders: false,
      logger: createLogger('info', sink),
      retention: { settings: { enabled: true, cron: '* * * * * *' } },
    });
    await app.listen();
    try {
      assert.ok(app.retention.job.nextRun() instanceof Date);
      const deadline = Date.now() + 5_000;
      while (!lines.some((l) => l.event === 'retention.purge_done') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      const done = lines.find((l) => l.event === 'retention.purge_done');
      assert.ok(done, 'a scheduled run finished');
      assert.equal(done.retentionDays, 2557);
    } finally {
      await app.close();
    }
    assert.equal(app.retention.job.nextRun(), undefined, 'stopped with the app');
  });
});
