/**
 * The team summary's cards (summary, private placeholder) and the weekly digest with the team's
 * figures: each parses cleanly with the Adaptive Cards parser, is schema 1.5, and stays well
 * within Teams' message size — at its largest (every decision present, a team id of the longest
 * kind, the chart and the retention note) as well as empty. The chart's spec draws the counts given.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DECISIONS, type DecisionCode } from '../../../src/domain/contract';
import type { TeamSummary } from '../../../src/storage/teamSummary';
import { privateSummaryCard, summaryCard } from '../../../src/bot/features/summary/views';
import { digestCard } from '../../../src/bot/features/reminders/views';
import { chartSpec } from '../../../src/bot/features/summary/chart';
import { parseSummaryArgs } from '../../../src/bot/features/summary/period';
import { cardProblems } from '../../support/cardValidation';
import { cardText } from '../../support/botHarness';
import type { ScheduledReminder } from '../../../src/storage/reminderStore';

const CARD_BUDGET_BYTES = 20_000;
const bytes = (card: unknown) => Buffer.byteLength(JSON.stringify(card), 'utf8');

const counts = (n: number) =>
  Object.fromEntries(DECISIONS.map((d, i) => [d, n * (i + 1)])) as Record<DecisionCode, number>;

function figures(n: number) {
  const decisions = counts(n);
  const total = DECISIONS.reduce((s, d) => s + decisions[d], 0);
  return {
    from: '2026-09-02',
    to: '2026-11-30',
    decisions,
    totalDecisions: total,
    withoutConsent: n,
    withoutConsentPercent: total ? Math.round((100 * n) / total) : undefined,
    consentsWithdrawn: n,
    urgentNotRecorded: n,
    followUpsOverdue: n,
    adviceSought: decisions.seek_advice,
  };
}

const big: TeamSummary = {
  days: 90,
  teamId: `19:${'x'.repeat(100)}@thread.tacv2`,
  current: figures(1000),
  previous: figures(999),
  weeks: Array.from({ length: 13 }, (_, i) => ({
    weekStart: `2026-09-${String(2 + i).padStart(2, '0')}`,
    decisions: counts(7),
  })),
  retainedFrom: '2026-09-10',
};
const empty: TeamSummary = {
  days: 7,
  current: figures(0),
  previous: figures(0),
  weeks: [{ weekStart: '2026-11-24', decisions: counts(0) }],
};

describe('team summary cards', () => {
  it('the largest summary card parses and stays within the size budget', () => {
    const card = summaryCard({
      summary: big,
      request: { days: 90, team: big.teamId! },
      chartUrl: `https://bot.example.test/downloads/summary-chart.png?token=${'a'.repeat(600)}`,
      chartExpiresAt: new Date('2026-11-30T12:10:00Z'),
    });
    assert.deepEqual(cardProblems(card), []);
    assert.ok(bytes(card) < CARD_BUDGET_BYTES, `${bytes(card)} bytes`);
    const image = (card.body as Array<Record<string, unknown>>).find((e) => e.type === 'Image');
    assert.ok(image && typeof image.altText === 'string' && image.altText.length > 20, 'the image has alt text');
    assert.match(cardText(card), /Counted from 2026-09-10/);
    // The text alternative lists every decision that occurred, for screen readers.
    for (const label of ['Share with consent', 'Seek advice', 'Contact the originating agency'])
      assert.match(cardText(card), new RegExp(label));
  });

  it('an empty summary card has no image and says why; the private placeholder parses', () => {
    const card = summaryCard({ summary: empty, request: { days: 7 } });
    assert.deepEqual(cardProblems(card), []);
    assert.equal(
      (card.body as Array<Record<string, unknown>>).some((e) => e.type === 'Image'),
      false,
    );
    assert.match(cardText(card), /No decisions were recorded/);
    const placeholder = privateSummaryCard({ days: 30, team: '19:t@thread.tacv2' }, '29:user');
    assert.deepEqual(cardProblems(placeholder), []);
    assert.doesNotMatch(JSON.stringify(placeholder), /Decisions recorded/);
  });

  it('the digest with the team’s figures parses and carries counts only', () => {
    const reminder = {
      id: 'R-1',
      tenantId: 't',
      conversationId: 'c',
      teamId: 'T',
      kind: 'weekly_digest',
      scheduleText: 'Fridays 16:30',
    } as unknown as ScheduledReminder;
    const card = digestCard(reminder, [], new Date('2026-11-30T12:00:00Z'), { ...big, days: 7 });
    assert.deepEqual(cardProblems(card), []);
    assert.ok(bytes(card) < CARD_BUDGET_BYTES);
    assert.match(cardText(card), /Follow-ups overdue \(person not yet told\)/);
    // Posted to a channel: 1–4 become "fewer than 5", with no percentage from them; 0 and 5+ are shown.
    const small = digestCard(reminder, [], new Date('2026-11-30T12:00:00Z'), {
      ...empty,
      current: { ...figures(0), totalDecisions: 3, withoutConsent: 2, withoutConsentPercent: 67, urgentNotRecorded: 5 },
    });
    const smallText = cardText(small);
    assert.match(smallText, /Decisions recorded\nfewer than 5 · previous 0/);
    assert.match(smallText, /Shared without consent\nfewer than 5 · previous 0 \(—\)/);
    assert.doesNotMatch(smallText, /67%/);
    assert.match(smallText, /Urgent shares not yet recorded\n5 · previous 0/);
    const without = digestCard(reminder, [], new Date('2026-11-30T12:00:00Z'));
    assert.deepEqual(cardProblems(without), []);
    assert.doesNotMatch(cardText(without), /Decisions recorded/);
  });

  it('the chart spec draws exactly the weekly counts, and only non-zero ones', () => {
    const spec = chartSpec(big.weeks);
    const values = spec.data.values;
    assert.equal(values.length, 13 * DECISIONS.length);
    assert.equal(
      values.reduce((s, v) => s + v.count, 0),
      big.weeks.reduce((s, w) => s + DECISIONS.reduce((t, d) => t + w.decisions[d], 0), 0),
    );
    assert.deepEqual(chartSpec(empty.weeks).data.values, []);
  });

  it('summary arguments: periods, "team", and refusals', () => {
    assert.deepEqual(parseSummaryArgs('', undefined), { ok: true, request: { days: 30 } });
    const T1 = '19:abc_DEF-123@thread.tacv2';
    assert.deepEqual(parseSummaryArgs('90 days team', T1), { ok: true, request: { days: 90, team: T1 } });
    assert.deepEqual(parseSummaryArgs('team 19:abc@thread.skype 7', undefined), {
      ok: true,
      request: { days: 7, team: '19:abc@thread.skype' },
    });
    // Only Teams team-id syntax, within the length limit.
    for (const bad of [
      '19:abc',
      'team',
      '**Boss**',
      '19:a b@thread.tacv2',
      '19:a@thread.tacv2x',
      `19:${'a'.repeat(101)}@thread.tacv2`,
    ])
      assert.equal(parseSummaryArgs(`team ${bad}`, undefined).ok, false, bad);
    assert.equal(parseSummaryArgs('team', 'not a team id').ok, false);
    assert.equal(parseSummaryArgs('45', undefined).ok, false);
    assert.equal(parseSummaryArgs('team', undefined).ok, false);
    assert.equal(parseSummaryArgs('everything', 'T1').ok, false);
  });
});
