/**
 * CSV export: a manager gets a signed, 10-minute link in a personal chat; the bot's own HTTP
 * server streams the filtered rows as an attachment; expired, tampered or foreign links get 403;
 * formula-looking cells are neutralised; downloads are audited. Real Azurite + the real server.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../../src/config';
import { CSV_COLUMNS } from '../../../src/bot/features/records/csv';
import { issueDownloadToken } from '../../../src/bot/features/records/state';
import { sign } from '../../../src/bot/kit/signing';
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
  teamChannel,
  type BotHarness,
  type Card,
} from '../../support/botHarness';
import { cardProblems } from '../../support/cardValidation';
import { ClockedSeeder, PUBLIC_BASE_URL, SIGNING_SECRET, actionData, newestFirst, parseCsv } from './support';

const manager = newUser('Mona Manager');
const admin = newUser('Ada Admin');
const p1 = newUser('Pat One');
const TEAM = '19:export-team@thread.tacv2';

let bot: BotHarness;
const records: StoredRecord[] = [];
let formulaRecord: StoredRecord;
const config = loadConfig({ NODE_ENV: 'test', SIGNING_SECRET });

async function say(client: TeamsClient, text: string): Promise<Card> {
  const replies = await client.say(text);
  assert.equal(replies.length, 1);
  return cardOf(replies[0]!);
}

/** The download URL on an export card, pointed at the test server instead of PUBLIC_BASE_URL. */
function downloadUrl(card: Card): string {
  const open = (card.actions ?? []).find((a) => a.type === 'Action.OpenUrl');
  assert.ok(open, 'export card has a download link');
  const url = new URL(String(open.url));
  assert.equal(url.origin, PUBLIC_BASE_URL);
  assert.equal(url.pathname, '/downloads/decisions.csv');
  return `${bot.baseUrl}${url.pathname}${url.search}`;
}

/** The CSV body as rows (header first), checking it starts with a UTF-8 BOM (so Excel reads names right). */
async function csvRows(res: Response): Promise<string[][]> {
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
  return parseCsv(bytes.subarray(3).toString('utf8'));
}

const tokenOf = (url: string) => new URL(url).searchParams.get('token')!;
const withToken = (token: string) => `${bot.baseUrl}/downloads/decisions.csv?token=${encodeURIComponent(token)}`;

describe('records: CSV export', () => {
  before(async () => {
    bot = await startBot({
      MANAGER_AAD_OBJECT_IDS: `${TENANT_A}:${manager.aadObjectId}`,
      ADMIN_AAD_OBJECT_IDS: `${TENANT_A}:${admin.aadObjectId}`,
      SIGNING_SECRET,
      PUBLIC_BASE_URL,
    });
    const seed = new ClockedSeeder(bot.app.tables.decisions);
    records.push(
      ...(await seed.recordAll(
        Array.from({ length: 1005 }, (_, i) => ({
          at: new Date(Date.parse('2026-09-01T00:00:00Z') + i * 60_000),
          o: {
            tenantId: TENANT_A,
            teamId: i % 2 ? TEAM : undefined,
            by: { aadObjectId: p1.aadObjectId, name: 'Pat, "the" One' },
            decision: i % 5 === 0 ? 'do_not_share' : 'share_with_consent',
          },
        })),
      )),
    );
    formulaRecord = await seed.record('2026-09-03T00:00:00Z', {
      tenantId: TENANT_A,
      teamId: TEAM,
      by: { aadObjectId: p1.aadObjectId, name: '@SUM(1+1)' },
      decision: 'do_not_share',
      recipientRole: '=HYPERLINK("http://evil.example","click")',
      informationOutline: '+1+cmd|calc',
      reasonsWithoutConsent: '-2+3',
      caseReference: '=CASE',
    });
    records.push(formulaRecord);
    await seed.record('2026-09-02T00:00:00Z', {
      tenantId: TENANT_B,
      by: { aadObjectId: p1.aadObjectId, name: 'B' },
      decision: 'do_not_share',
    });
  });
  after(async () => bot?.stop());

  const managerChat = () => new TeamsClient(bot.baseUrl, manager, personalChat(TENANT_A));

  it('streams the filtered rows as a no-store CSV attachment, across store pages, and audits the download', async () => {
    const card = await say(managerChat(), 'export outcome do_not_share');
    assert.match(cardText(card), /Your CSV export is ready/);
    assert.match(cardText(card), /outcome do_not_share/);
    assert.deepEqual(cardProblems(card), []);
    const res = await fetch(downloadUrl(card));
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/csv; charset=utf-8/);
    assert.match(res.headers.get('content-disposition') ?? '', /^attachment; filename="decisions-\d{8}-\d{4}\.csv"$/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const [header, ...rows] = await csvRows(res);
    assert.deepEqual(header, [...CSV_COLUMNS]);
    const expected = newestFirst(records.filter((r) => r.decision === 'do_not_share'));
    assert.deepEqual(
      rows.map((r) => r[0]),
      expected,
    );
    const one = rows.find((r) => r[0] === records[5]!.id)!;
    const col = (name: (typeof CSV_COLUMNS)[number]) => one[CSV_COLUMNS.indexOf(name)];
    assert.equal(col('decided_by_name'), 'Pat, "the" One', 'commas and quotes survive');
    assert.equal(col('decided_by_aad_object_id'), p1.aadObjectId);
    assert.equal(col('recipient_agency'), 'police');
    assert.equal(col('open_follow_ups'), 'inform_subject_later');
    assert.equal(col('team_id'), TEAM);

    const audit = await bot.app.stores.audit.list(TENANT_A, 50);
    const issued = audit.find((e) => e.action === 'export_link_issued');
    const served = audit.find((e) => e.action === 'export_csv');
    assert.ok(issued && served);
    assert.equal(served.actorAadObjectId, manager.aadObjectId);
    assert.equal(served.resultCount, expected.length);
    assert.equal(served.filter.outcome, 'do_not_share');
    assert.equal(served.filter.jti, issued.filter.jti);
  });

  it('a whole tenant export spans several store pages with no gaps or duplicates', async () => {
    const res = await fetch(downloadUrl(await say(managerChat(), 'export')));
    const rows = (await csvRows(res)).slice(1);
    assert.equal(rows.length, records.length);
    assert.deepEqual(
      rows.map((r) => r[0]),
      newestFirst(records),
    );
  });

  it('neutralises cells a spreadsheet would run as formulas', async () => {
    const res = await fetch(downloadUrl(await say(managerChat(), `export team ${TEAM} from 2026-09-03 to 2026-09-03`)));
    const rows = await csvRows(res);
    const row = rows.find((r) => r[0] === formulaRecord.id)!;
    const col = (name: (typeof CSV_COLUMNS)[number]) => row[CSV_COLUMNS.indexOf(name)];
    assert.equal(col('recipient_role'), `'=HYPERLINK("http://evil.example","click")`);
    assert.equal(col('information_outline'), "'+1+cmd|calc");
    assert.equal(col('reasons_without_consent'), "'-2+3");
    assert.equal(col('decided_by_name'), "'@SUM(1+1)");
    assert.equal(col('case_reference'), "'=CASE");
    for (const r of rows) for (const cell of r) assert.doesNotMatch(cell, /^[=+\-@]/);
  });

  it('expired, tampered, cross-purpose and missing tokens get 403', async () => {
    const url = downloadUrl(await say(managerChat(), 'export'));
    const token = tokenOf(url);
    const [payload, sig] = token.split('.') as [string, string];
    const expired = issueDownloadToken(config, {
      tenantId: TENANT_A,
      actor: manager.aadObjectId,
      filter: {},
      now: new Date(Date.now() - 11 * 60_000),
    }).token;
    const json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const otherTenant = `${Buffer.from(JSON.stringify({ ...json, tn: TENANT_B })).toString('base64url')}.${sig}`;
    const longer = `${Buffer.from(JSON.stringify({ ...json, exp: Number(json.exp) + 86_400 })).toString('base64url')}.${sig}`;
    const cardStateKey = sign(SIGNING_SECRET, 'records-card-state-v1', json);
    const wrongSecret = sign('another-secret-another-secret-another-secret', 'records-csv-download-v1', json);
    for (const [name, bad] of Object.entries({
      expired,
      otherTenant,
      longer,
      cardStateKey,
      wrongSecret,
      garbage: 'abc',
      empty: '',
    })) {
      const res = await fetch(withToken(bad));
      assert.equal(res.status, 403, name);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.match(await res.text(), /not valid or has expired/);
    }
    assert.equal((await fetch(`${bot.baseUrl}/downloads/decisions.csv`)).status, 403);
    assert.ok(bot.logs.some((l) => l.event === 'download.refused' && l.reason === 'expired'));
    assert.ok(bot.logs.some((l) => l.event === 'download.refused' && l.reason === 'bad_signature'));
  });

  it('a link stops working when its manager loses the role', async () => {
    const grantee = newUser('Temporary Manager');
    const adminChat = new TeamsClient(bot.baseUrl, admin, personalChat(TENANT_A));
    await say(adminChat, `grant manager ${grantee.aadObjectId}`);
    const url = downloadUrl(
      await say(new TeamsClient(bot.baseUrl, grantee, personalChat(TENANT_A)), 'export outcome do_not_share'),
    );
    assert.equal((await fetch(url)).status, 200);
    await say(adminChat, `revoke manager ${grantee.aadObjectId}`);
    const res = await fetch(url);
    assert.equal(res.status, 403);
    assert.match(await res.text(), /no longer a manager/);
  });

  it('export is for managers only, and links are only given in a personal chat', async () => {
    assert.match(
      cardText(await say(new TeamsClient(bot.baseUrl, p1, personalChat(TENANT_A)), 'export')),
      /Only managers/,
    );
    const inChannel = await say(new TeamsClient(bot.baseUrl, manager, teamChannel(TEAM)), 'export team');
    assert.match(cardText(inChannel), /only given in a personal chat/);
    assert.equal(
      (inChannel.actions ?? []).some((a) => a.type === 'Action.OpenUrl'),
      false,
    );
  });

  it('the Export CSV button on a list exports the list’s filters', async () => {
    const client = managerChat();
    const list = await say(client, `recent decisions team ${TEAM} outcome do_not_share`);
    const res = await client.execute('records.export', actionData(list, 'Export CSV'));
    const card = res.value as Card;
    assert.match(cardText(card), /team 19:export-team@thread.tacv2 · outcome do_not_share/);
    const rows = (await csvRows(await fetch(downloadUrl(card)))).slice(1);
    assert.deepEqual(
      rows.map((r) => r[0]),
      newestFirst(records.filter((r) => r.decision === 'do_not_share' && r.scope.teamId === TEAM)),
    );
    const back = await client.click(card, 'Back to the list');
    assert.match(cardText(back), /Recent decisions/);
  });
});
