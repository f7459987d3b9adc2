/**
 * Team summary over HTTP against Azurite: a manager's figures are checked against records this
 * test writes (through the Table store, so the counters are the ones written with each record):
 * counts by decision, shared without consent, consents withdrawn, urgent shares not yet recorded,
 * overdue follow-ups, advice sought, each beside the previous period; one team's; an empty period;
 * a 90-day period crossing the retention boundary after a real purge. The chart link: a PNG for
 * the manager, refused after expiry, for a manager whose role was revoked, with a forged token, and
 * the figures never shown to a non-manager. Every card is validated with the Adaptive Cards parser.
 */
import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { loadConfig } from '../../../src/config';
import { sign } from '../../../src/bot/kit/signing';
import type { NewRecord, StoredRecord } from '../../../src/storage/contract';
import { TableDecisionStore } from '../../../src/storage/decisionStore';
import {
  TENANT_A,
  TENANT_B,
  TeamsClient,
  cardOf,
  cardText,
  newUser,
  personalChat,
  startBot,
  teamChannel,
  type BotHarness,
  type Card,
} from '../../support/botHarness';
import { cardProblems } from '../../support/cardValidation';

const SIGNING_SECRET = 'summary-test-signing-secret-0123456789abcdef';
const PUBLIC_BASE_URL = 'https://bot.example.test';
const TEAM = '19:summary-team@thread.tacv2';
const NOW = Date.parse('2026-11-30T12:00:00.000Z');
/** RETENTION_DAYS=60 at NOW: the cutoff is 2026-10-01T12:00Z, so 2026-10-02 is the first whole day kept. */
const RETENTION_DAYS = '60';

const manager = newUser('Mona Manager');
const managerB = newUser('Bea Manager');
const second = newUser('Sam Second');
const practitioner = newUser('Pat Practitioner');

let bot: BotHarness;
let clock = NOW;
const purged: StoredRecord[] = [];

/** Writes a record at a chosen time through the Table store (the counters come with it). */
let seedAt = 0;
let seeder: TableDecisionStore;
async function seed(at: string, o: Partial<NewRecord> & { team?: boolean; tenantId?: string }): Promise<StoredRecord> {
  seedAt = Date.parse(at);
  const { team, tenantId = TENANT_A, ...rest } = o;
  const scope: NewRecord['scope'] = team
    ? {
        tenantId,
        conversationId: `${TEAM}-general`,
        conversationKind: 'channel',
        teamId: TEAM,
        channelId: `${TEAM}-general`,
      }
    : { tenantId, conversationId: `a:${randomUUID()}`, conversationKind: 'personal' };
  const input: NewRecord = {
    idempotencyKey: randomUUID(),
    kind: 'decision',
    scope,
    decidedBy: { aadObjectId: practitioner.aadObjectId, name: 'Pat Practitioner' },
    rulePackVersion: '2026.11',
    ruleId: 'R-TEST',
    decision: 'share_with_consent',
    answers: { q1: 'yes' },
    consentStatus: 'sought_obtained',
    subjectInformed: 'yes',
    caseReference: `CS-${randomUUID().slice(0, 8)}`,
    openFollowUps: [],
    ...rest,
  };
  return (await seeder.record(input)).record;
}

const facts = (card: Card): Map<string, string> => {
  const out = new Map<string, string>();
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      const o = n as Record<string, unknown>;
      if (o.type === 'FactSet')
        for (const f of o.facts as Array<{ title: string; value: string }>) out.set(f.title, f.value);
      Object.values(o).forEach(walk);
    }
  };
  walk(card.body);
  return out;
};

/** "7 · previous 2" → [7, 2] (a percentage in brackets is checked separately). */
function figure(card: Card, title: string): [number, number] {
  const value = facts(card).get(title);
  assert.ok(value, `fact "${title}" on the card; facts: ${[...facts(card).keys()].join(', ')}`);
  const m = /^(\d+)(?: \([^)]*\))? · previous (\d+)/.exec(value);
  assert.ok(m, `fact "${title}" reads "${value}"`);
  return [Number(m[1]), Number(m[2])];
}

function validated(card: Card): Card {
  assert.deepEqual(cardProblems(card), []);
  assert.ok(Buffer.byteLength(JSON.stringify(card)) < 20_000, 'within Teams’ message size with room');
  return card;
}

async function summaryIn(client: TeamsClient, text: string): Promise<Card> {
  const replies = await client.say(text);
  assert.equal(replies.length, 1);
  return validated(cardOf(replies[0]!));
}

/** In a channel: the placeholder, then the asker's refresh (the user-specific view Teams asks for). */
async function summaryInChannel(client: TeamsClient, text: string): Promise<Card> {
  const placeholder = await summaryIn(client, text);
  const refresh = (
    placeholder.refresh as { action: { verb: string; data: Record<string, unknown> }; userIds: string[] }
  ).action;
  assert.deepEqual((placeholder.refresh as { userIds: string[] }).userIds, [client.user.id]);
  assert.doesNotMatch(cardText(placeholder), /Decisions recorded/, 'the conversation sees no figures');
  const res = await client.execute(refresh.verb, refresh.data);
  assert.equal(res.type, 'application/vnd.microsoft.card.adaptive');
  return validated(res.value as Card);
}

function chartUrl(card: Card): string | undefined {
  const image = (card.body ?? []).find((e) => (e as { type?: string }).type === 'Image') as
    { url: string; altText: string } | undefined;
  if (!image) return undefined;
  assert.ok(image.altText.length > 20, 'the image has alternative text');
  const url = new URL(image.url);
  assert.equal(url.origin, PUBLIC_BASE_URL);
  assert.equal(url.pathname, '/downloads/summary-chart.png');
  return `${bot.baseUrl}${url.pathname}${url.search}`;
}

describe('team summary over HTTP (Azurite)', () => {
  before(async () => {
    bot = await startBot(
      {
        MANAGER_AAD_OBJECT_IDS: `${TENANT_A}:${manager.aadObjectId},${TENANT_B}:${managerB.aadObjectId}`,
        SIGNING_SECRET,
        PUBLIC_BASE_URL,
        RETENTION_DAYS,
      },
      { app: { now: () => new Date(clock) } },
    );
    seeder = new TableDecisionStore(bot.app.tables.decisions, { now: () => new Date(seedAt) });
    // Before the retention cutoff (2026-10-01T12:00Z): purged below, and never counted.
    purged.push(await seed('2026-09-15T10:00:00Z', { decision: 'do_not_share' }));
    purged.push(await seed('2026-10-01T06:00:00Z', { decision: 'do_not_share', team: true }));
    // The previous 30 days (2026-10-02 … 2026-10-31).
    await seed('2026-10-05T09:00:00Z', {});
    await seed('2026-10-20T09:00:00Z', { decision: 'do_not_share', team: true });
    // The last 30 days (2026-11-01 … 2026-11-30).
    const a1 = await seed('2026-11-03T09:00:00Z', { team: true });
    await seed('2026-11-10T09:00:00Z', {
      team: true,
      decision: 'share_without_consent_justified',
      consentStatus: 'not_sought',
      subjectInformed: 'will_inform',
      reviewBy: '2026-11-20', // passed, never followed up: overdue
    });
    const a3 = await seed('2026-11-12T09:00:00Z', {
      decision: 'share_legal_obligation',
      consentStatus: 'sought_refused',
      subjectInformed: 'not_informing',
      reviewBy: '2026-11-15',
    });
    await seed('2026-11-16T09:00:00Z', {
      kind: 'follow_up_subject_informed',
      parentId: a3.id,
      subjectInformed: 'yes',
      caseReference: a3.caseReference,
    }); // closes a3's review: not overdue
    await seed('2026-11-20T09:00:00Z', { decision: 'seek_advice' });
    await seed('2026-11-21T09:00:00Z', { decision: 'do_not_share', team: true });
    await seed('2026-11-22T09:00:00Z', {
      kind: 'consent_withdrawn',
      parentId: a1.id,
      consentStatus: 'withdrawn',
      team: true,
      caseReference: a1.caseReference,
    });
    const u1 = await seed('2026-11-05T09:00:00Z', { kind: 'urgent_share', team: true });
    await seed('2026-11-06T09:00:00Z', { kind: 'urgent_share' }); // never recorded
    await seed('2026-11-07T09:00:00Z', {
      decision: 'share_without_consent_justified',
      consentStatus: 'not_sought',
      urgentEntryId: u1.id,
    });
    await seed('2026-11-29T09:00:00Z', { subjectInformed: 'will_inform', reviewBy: '2026-12-05' }); // not due yet
    // Another tenant's decision, never in tenant A's figures.
    await seed('2026-11-15T09:00:00Z', { tenantId: TENANT_B, decision: 'seek_advice' });

    const run = await bot.app.retention.runRetentionPurge({ now: new Date(NOW) });
    assert.ok(run, 'the purge ran');
  });
  after(() => bot?.stop());

  it('the purge removed the records before the cutoff (the boundary the summary respects)', async () => {
    for (const r of purged) assert.equal(await bot.app.stores.decisions.get(TENANT_A, r.id), undefined);
    // …and the summary counters of the days wholly before the cutoff's day (2026-10-01) with them.
    const counterDays: string[] = [];
    for await (const row of bot.app.tables.decisions.listEntities({
      queryOptions: { filter: `PartitionKey eq '${TENANT_A}' and RowKey ge 'sum|' and RowKey lt 'sum}'` },
    })) {
      const key = String(row.rowKey);
      counterDays.push(key.split('|')[key.startsWith('sum|team|') ? 3 : 2]!);
    }
    assert.ok(counterDays.includes('20261001'), 'the cutoff’s own day is kept (it counts retained records too)');
    assert.ok(counterDays.includes('20261005'));
    assert.deepEqual(
      counterDays.filter((d) => d < '20261001'),
      [],
      'no counter of an expired day is left (2026-09-15 had one)',
    );
  });

  it('a manager’s 30-day summary: each figure from the records written, beside the previous 30 days', async () => {
    const card = await summaryIn(new TeamsClient(bot.baseUrl, manager, personalChat()), 'team summary');
    assert.match(cardText(card), /Team summary: last 30 days/);
    assert.match(
      cardText(card),
      /Whole organisation · 2026-11-01 to 2026-11-30 \(previous period 2026-10-02 to 2026-10-31\)/,
    );
    assert.deepEqual(figure(card, 'Decisions recorded'), [7, 2]);
    assert.deepEqual(figure(card, 'Share with consent'), [2, 1]);
    assert.deepEqual(figure(card, 'Share without consent — justified'), [2, 0]);
    assert.deepEqual(figure(card, 'Share — legal obligation'), [1, 0]);
    assert.deepEqual(figure(card, 'Do not share'), [1, 1]);
    assert.deepEqual(figure(card, 'Shared without consent'), [3, 0]);
    assert.match(facts(card).get('Shared without consent')!, /^3 \(43%\) · previous 0 \(0%\)$/);
    assert.deepEqual(figure(card, 'Consents withdrawn'), [1, 0]);
    assert.deepEqual(figure(card, 'Urgent shares not yet recorded'), [1, 0]);
    assert.deepEqual(figure(card, 'Follow-ups overdue (person not yet told)'), [1, 0]);
    assert.deepEqual(figure(card, 'Advice sought'), [1, 0]);
    assert.equal(
      facts(card).has('Seek consent first'),
      false,
      'decisions that occurred in neither period are left out',
    );
    assert.doesNotMatch(cardText(card), /retention/, 'no retention note: both periods are inside it');
    assert.deepEqual(
      (card.actions ?? []).map((a) => a.title),
      ['7 days', '30 days ✓', '90 days'],
    );
    const audit = await bot.app.stores.audit.list(TENANT_A, 20);
    const entry = audit.find((e) => e.action === 'team_summary' && e.actorAadObjectId === manager.aadObjectId);
    assert.ok(entry, 'the summary was audited');
    assert.equal(entry.resultCount, 7);
    assert.equal(entry.filter.days, 30);
  });

  it('one team’s summary in its channel, shown to the asking manager alone', async () => {
    const channel = new TeamsClient(bot.baseUrl, manager, teamChannel(TEAM));
    const card = await summaryInChannel(channel, 'team summary team');
    // Named "This team", never by its raw id (card text is markdown).
    assert.match(cardText(card), /This team · 2026-11-01 to 2026-11-30/);
    assert.doesNotMatch(cardText(card), /summary-team/, 'the id stays in button data only');
    assert.deepEqual(figure(card, 'Decisions recorded'), [3, 1]);
    assert.deepEqual(figure(card, 'Shared without consent'), [1, 0]);
    assert.deepEqual(figure(card, 'Consents withdrawn'), [1, 0]);
    // The team's urgent share was recorded (from a personal chat): counted against the entry's team.
    assert.deepEqual(figure(card, 'Urgent shares not yet recorded'), [0, 0]);
    assert.deepEqual(figure(card, 'Follow-ups overdue (person not yet told)'), [1, 0]);
    assert.deepEqual(figure(card, 'Advice sought'), [0, 0]);
  });

  it('an empty period says so and has no chart; the period before it still shows', async () => {
    const channel = new TeamsClient(bot.baseUrl, manager, teamChannel(TEAM));
    const card = await summaryInChannel(channel, 'team summary 7 team');
    assert.match(cardText(card), /last 7 days/);
    assert.deepEqual(figure(card, 'Decisions recorded'), [0, 1]);
    assert.deepEqual(figure(card, 'Consents withdrawn'), [0, 1]);
    assert.match(facts(card).get('Shared without consent')!, /^0 \(—\) · previous 0 \(0%\)$/);
    assert.equal(chartUrl(card), undefined);
    assert.match(cardText(card), /No decisions were recorded in this period/);
  });

  it('a 90-day period crossing the retention boundary counts from the first whole day kept, and says so', async () => {
    const client = new TeamsClient(bot.baseUrl, manager, personalChat());
    const first = await summaryIn(client, 'team summary');
    const card = validated(await client.click(first, '90 days'));
    assert.match(cardText(card), /Counted from 2026-10-02/);
    assert.match(cardText(card), /2026-10-02 to 2026-11-30/);
    // The two purged records are gone from the figures; the period before is wholly past retention.
    assert.deepEqual(figure(card, 'Decisions recorded'), [9, 0]);
    assert.deepEqual(figure(card, 'Do not share'), [2, 0]);
    assert.match(cardText(card), /previous period nothing to count/);
  });

  it('the chart: a PNG for the manager, audited; refused after expiry', async () => {
    const card = await summaryIn(new TeamsClient(bot.baseUrl, manager, personalChat()), 'team summary');
    const url = chartUrl(card);
    assert.ok(url, 'the card shows the chart');
    const res = await fetch(url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.match(res.headers.get('cache-control') ?? '', /no-store/);
    const png = PNG.sync.read(Buffer.from(await res.arrayBuffer()));
    assert.equal(png.width, 480);
    assert.ok(png.height > 100);
    const audit = await bot.app.stores.audit.list(TENANT_A, 50);
    assert.ok(audit.some((e) => e.action === 'team_summary_chart' && e.actorAadObjectId === manager.aadObjectId));

    clock = NOW + 11 * 60_000;
    try {
      const late = await fetch(url);
      assert.equal(late.status, 403);
      assert.match(await late.text(), /not valid or has expired/);
    } finally {
      clock = NOW;
    }
  });

  it('the chart link is refused once its manager is no longer one, and when forged', async () => {
    await bot.app.stores.roles.grant(TENANT_A, second.aadObjectId, 'manager');
    const card = await summaryIn(new TeamsClient(bot.baseUrl, second, personalChat()), 'team summary');
    const url = chartUrl(card)!;
    assert.equal((await fetch(url)).status, 200);
    await bot.app.stores.roles.revoke(TENANT_A, second.aadObjectId);
    const refused = await fetch(url);
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /no longer a manager/);

    // A token the bot did not sign for charts (here: a CSV link's key) is refused.
    const config = loadConfig({ NODE_ENV: 'test', SIGNING_SECRET });
    const forged = sign(config.SIGNING_SECRET!, 'records-csv-download-v1', {
      v: 1,
      tn: TENANT_A,
      a: manager.aadObjectId,
      r: { days: 30 },
      exp: Math.floor(NOW / 1000) + 600,
      jti: 'forged-jti-0001',
    });
    const res = await fetch(`${bot.baseUrl}/downloads/summary-chart.png?token=${encodeURIComponent(forged)}`);
    assert.equal(res.status, 403);
    assert.equal((await fetch(`${bot.baseUrl}/downloads/summary-chart.png`)).status, 403);
  });

  it('a chart link fetched again and again: the same PNG, drawn once, audited once; revoked, refused', async () => {
    const third = newUser('Tess Third');
    await bot.app.stores.roles.grant(TENANT_A, third.aadObjectId, 'manager');
    const card = await summaryIn(new TeamsClient(bot.baseUrl, third, personalChat()), 'team summary');
    const url = chartUrl(card)!;
    const jti = (await bot.app.stores.audit.list(TENANT_A, 50)).find(
      (e) => e.action === 'team_summary' && e.actorAadObjectId === third.aadObjectId,
    )?.filter.jti;
    assert.ok(typeof jti === 'string', 'the summary audit names the link');
    const bodies: Buffer[] = [];
    // Three at once, then two more.
    const fetchPng = async () => {
      const res = await fetch(url);
      assert.equal(res.status, 200);
      return Buffer.from(await res.arrayBuffer());
    };
    bodies.push(...(await Promise.all([fetchPng(), fetchPng(), fetchPng()])));
    bodies.push(await fetchPng(), await fetchPng());
    for (const body of bodies) assert.ok(body.equals(bodies[0]!), 'every fetch gets the same PNG');
    const chartAudits = (await bot.app.stores.audit.list(TENANT_A, 100)).filter(
      (e) => e.action === 'team_summary_chart' && e.actorAadObjectId === third.aadObjectId,
    );
    assert.equal(chartAudits.length, 1, 'one audit entry for the link');
    assert.equal(
      bot.logs.filter((l) => l.event === 'summary.chart_drawn' && l.jti === jti).length,
      1,
      'drawn once for the link',
    );
    // The role is still checked on every fetch: the cached chart is not served once it is revoked.
    await bot.app.stores.roles.revoke(TENANT_A, third.aadObjectId);
    const refused = await fetch(url);
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /no longer a manager/);
  });

  it('a non-manager gets no figures, by command or by a copied button', async () => {
    const client = new TeamsClient(bot.baseUrl, practitioner, personalChat());
    const card = await summaryIn(client, 'team summary 90');
    assert.match(cardText(card), /Only managers can see the team summary/);
    assert.doesNotMatch(cardText(card), /Decisions recorded/);
    const res = await client.execute('summary.show', { verb: 'summary.show', days: 30 });
    assert.doesNotMatch(cardText(res.value), /Decisions recorded/);
    assert.match(cardText(res.value), /Only managers/);
    assert.equal(
      (await bot.app.stores.audit.list(TENANT_A, 50)).some((e) => e.actorAadObjectId === practitioner.aadObjectId),
      false,
    );
  });

  it('another tenant’s manager sees only their own tenant; bad arguments get the usage', async () => {
    const card = await summaryIn(new TeamsClient(bot.baseUrl, managerB, personalChat(TENANT_B)), 'team summary');
    assert.deepEqual(figure(card, 'Decisions recorded'), [1, 0]);
    assert.deepEqual(figure(card, 'Advice sought'), [1, 0]);
    const client = new TeamsClient(bot.baseUrl, manager, personalChat());
    assert.match(cardText(await summaryIn(client, 'team summary 45')), /7\*\*, \*\*30\*\* or \*\*90/);
    assert.match(cardText(await summaryIn(client, 'team summary team')), /not a team channel/);
    const tampered = await client.execute('summary.show', { verb: 'summary.show', days: 3650 });
    assert.match(JSON.stringify(tampered.value), /could not be read/);
  });

  it('the team must be a Teams team id: markdown or template is refused and never echoed; "team team" is refused', async () => {
    const client = new TeamsClient(bot.baseUrl, manager, personalChat());
    const typed = cardText(await summaryIn(client, 'team summary 30 team **Boss**[click](https://evil.example/x)'));
    assert.match(typed, /give a Teams team id/);
    assert.doesNotMatch(typed, /Boss|evil\.example|Decisions recorded/);
    const template = cardText(await summaryIn(client, 'team summary team 19:${x}@thread.tacv2'));
    assert.match(template, /give a Teams team id/);
    assert.doesNotMatch(template, /\$\{x\}|Decisions recorded/);
    // "team team" used to read a team called "team".
    const twice = cardText(await summaryIn(client, 'team summary team team'));
    assert.match(twice, /give a Teams team id/);
    assert.doesNotMatch(twice, /Decisions recorded/);
    // Too long, even in the right form.
    const long = cardText(await summaryIn(client, `team summary team 19:${'a'.repeat(101)}@thread.tacv2`));
    assert.match(long, /give a Teams team id/);

    // The same in a button's data: refused, nothing echoed.
    for (const team of ['X\n\n# Injected heading\n[link](https://evil.example/x)', 'team', `${TEAM} `]) {
      const res = await client.execute('summary.show', { verb: 'summary.show', days: 30, team });
      const body = JSON.stringify(res.value);
      assert.match(body, /could not be read/);
      assert.doesNotMatch(body, /Injected|evil\.example|Decisions recorded/);
    }

    // A real team id asked for from a personal chat: shown, under a short neutral label, not the id.
    const res = await client.execute('summary.show', { verb: 'summary.show', days: 30, team: TEAM });
    const text = cardText(res.value);
    assert.match(text, /Team ref [0-9a-f]{8} · 2026-11-01 to 2026-11-30/);
    assert.doesNotMatch(text, /summary-team/, 'the id stays in button data only');
  });
});
