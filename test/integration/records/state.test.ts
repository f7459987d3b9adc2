/**
 * The pieces under the records feature, without a server: signed card state and download tokens,
 * Previous/Next positions (and their bound), typed filters, and CSV cell neutralising.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../src/config';
import { neutraliseCell } from '../../../src/bot/features/records/csv';
import { parseFilterText, toRecordQuery } from '../../../src/bot/features/records/filters';
import {
  MAX_BACK,
  checkDownloadToken,
  firstState,
  issueDownloadToken,
  nextState,
  previousState,
  signState,
  verifyState,
} from '../../../src/bot/features/records/state';
import { displayText } from '../../../src/bot/features/records/views';
import { SIGNING_SECRET } from './support';

const config = loadConfig({ NODE_ENV: 'test', SIGNING_SECRET });
const base = firstState({
  tenantId: 't1',
  owner: 'u1',
  mode: 'manager',
  filter: { outcome: 'do_not_share' },
  pageSize: 25,
});

describe('records: signed state and tokens', () => {
  it('round-trips a signed card state and refuses any change to it', () => {
    const signed = signState(config, base);
    const ok = verifyState(config, signed);
    assert.ok(ok.ok);
    assert.deepEqual(ok.value, base);
    const [payload, sig] = signed.split('.') as [string, string];
    const flipped = `${payload.slice(0, -1)}${payload.endsWith('A') ? 'B' : 'A'}.${sig}`;
    assert.deepEqual(verifyState(config, flipped), { ok: false, reason: 'bad_signature' });
    const other = loadConfig({ NODE_ENV: 'test', SIGNING_SECRET: 'x'.repeat(40) });
    assert.deepEqual(verifyState(other, signed), { ok: false, reason: 'bad_signature' });
    assert.deepEqual(verifyState(config, 42), { ok: false, reason: 'malformed' });
  });

  it('download tokens expire after 10 minutes and are not interchangeable with card states', () => {
    const now = new Date('2026-11-20T10:00:00Z');
    const { token } = issueDownloadToken(config, { tenantId: 't1', actor: 'u1', filter: {}, now });
    assert.ok(checkDownloadToken(config, token, new Date('2026-11-20T10:09:59Z')).ok);
    assert.deepEqual(checkDownloadToken(config, token, new Date('2026-11-20T10:10:00Z')), {
      ok: false,
      reason: 'expired',
    });
    assert.deepEqual(checkDownloadToken(config, signState(config, base), now), { ok: false, reason: 'bad_signature' });
    assert.deepEqual(verifyState(config, token), { ok: false, reason: 'bad_signature' });
  });

  it('Next/Previous positions: back and forth exactly, and beyond the bound back to the first page', () => {
    let s = base;
    for (let i = 1; i <= 3; i++) s = nextState(s, `tok${i}`);
    assert.deepEqual({ p: s.p, t: s.t, b: s.b }, { p: 4, t: 'tok3', b: ['', 'tok1', 'tok2'] });
    const prev = previousState(s)!;
    assert.deepEqual(
      { p: prev.state.p, t: prev.state.t, b: prev.state.b, first: prev.isFirst },
      { p: 3, t: 'tok2', b: ['', 'tok1'], first: false },
    );
    const second = previousState(prev.state)!.state;
    assert.deepEqual({ p: second.p, t: second.t, b: second.b }, { p: 2, t: 'tok1', b: [''] });
    const first = previousState(second)!.state;
    assert.deepEqual({ p: first.p, t: first.t, b: first.b }, { p: 1, t: undefined, b: [] });
    assert.equal(previousState(first), undefined);

    let deep = base;
    for (let i = 1; i <= MAX_BACK + 5; i++) deep = nextState(deep, `tok${i}`);
    assert.equal(deep.b.length, MAX_BACK);
    let walk = deep;
    for (let i = 0; i < MAX_BACK; i++) walk = previousState(walk)!.state;
    const last = previousState(walk)!;
    assert.equal(last.isFirst, true);
    assert.equal(last.state.p, 1);
    assert.equal(last.state.t, undefined);
  });
});

describe('records: typed filters', () => {
  it('parses every filter, "team" meaning the current team, and refuses unknown words', () => {
    const parsed = parseFilterText(
      'team outcome SHARE_WITH_CONSENT practitioner 0A0B0C0D-1111-4222-8333-444455556666 from 2026-11-01 to 2026-11-20 case CS/12 rows 50',
      { here: '19:team@thread.tacv2' },
    );
    assert.ok(parsed.ok);
    assert.equal(parsed.pageSize, 50);
    assert.deepEqual(toRecordQuery('t1', parsed.filter), {
      tenantId: 't1',
      teamId: '19:team@thread.tacv2',
      decidedBy: '0a0b0c0d-1111-4222-8333-444455556666',
      decision: 'share_with_consent',
      caseReference: 'CS/12',
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-21T00:00:00.000Z',
    });
    const inPersonal = parseFilterText('team', {});
    assert.ok(!inPersonal.ok && /say which team/.test(inPersonal.problem));
    assert.ok(!parseFilterText('practitioner bob', {}).ok);
    assert.ok(!parseFilterText('outcome share', {}).ok);
    assert.ok(!parseFilterText('from 2026-13-01', {}).ok);
    assert.ok(!parseFilterText('rows 500', {}).ok);
    assert.ok(!parseFilterText('outcome do_not_share outcome seek_advice', {}).ok);
    assert.ok(!parseFilterText('drop table', {}).ok);
  });
});

describe('records: output safety', () => {
  it('neutralises formula cells and defuses template/markup text', () => {
    assert.equal(neutraliseCell('=1+1'), "'=1+1");
    assert.equal(neutraliseCell('+44 20'), "'+44 20");
    assert.equal(neutraliseCell('-1'), "'-1");
    assert.equal(neutraliseCell('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(neutraliseCell('\t=1'), "'\t=1");
    assert.equal(neutraliseCell('duty officer'), 'duty officer');
    assert.equal(displayText('${evil} [link](http://x) <b>'), '$\u200B{evil} (link)(http://x) b');
  });
});
