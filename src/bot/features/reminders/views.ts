/** Cards for scheduled channel reminders: practice reminders, the weekly digest, and the list. */
import { rulePack } from '../../../domain';
import type { StoredRecord } from '../../../storage/contract';
import type { FollowUpTracker, ScheduledReminder } from '../../../storage/reminderStore';
import { renderCard, type AdaptiveCard } from '../../cards/templates';
import { VERBS } from '../../kit/verbs';
import { findTopic } from '../../../reminders/practiceTopics';
import { formatLocal } from '../../../reminders/schedule';
import type { TeamSummary } from '../../../storage/teamSummary';
import { periodText, SMALL_COUNT_LIMIT, summaryFacts } from '../../kit/summaryFacts';

export function describeReminder(r: ScheduledReminder): string {
  if (r.kind === 'weekly_digest') return 'Weekly digest of open follow-ups';
  return `Practice: ${findTopic(r.topic ?? '')?.title ?? r.topic ?? 'reminder'}`;
}

export function practiceCard(r: ScheduledReminder): AdaptiveCard | undefined {
  const topic = findTopic(r.topic ?? '');
  if (!topic) return undefined;
  return renderCard('reminder-practice', { topic, id: r.id, schedule: r.scheduleText });
}

export function digestCard(
  r: ScheduledReminder,
  open: Array<{ tracker: FollowUpTracker; record?: StoredRecord }>,
  now: Date,
  summary?: TeamSummary,
): AdaptiveCard {
  const overdue = open.filter((o) => o.tracker.dueAt <= now.toISOString());
  const items = open.map(({ tracker, record }) => {
    const days = Math.max(
      0,
      Math.floor((now.getTime() - Date.parse(record?.recordedAt ?? tracker.dueAt)) / 86_400_000),
    );
    return {
      title: tracker.id,
      value: `${record?.decidedBy.name || 'A practitioner'} — person not yet recorded as told (${days} day(s) since the decision${tracker.dueAt <= now.toISOString() ? ', overdue' : ''})`,
    };
  });
  return renderCard('reminder-digest', {
    headerStyle: overdue.length > 0 ? 'warning' : 'good',
    summary:
      open.length === 0
        ? 'No follow-ups are open for decisions made in this team. Thank you.'
        : `${open.length} decision(s) made in this team shared information without consent and the person has not yet been recorded as told (${overdue.length} overdue). Each practitioner has a card in their personal chat to record it in one click.`,
    items,
    guidance: rulePack.followUpTexts.digest.text,
    // The team's figures only (counts): never a case or a person.
    hasSummary: summary !== undefined,
    summaryTitle: summary ? `This team, last 7 days (${periodText(summary.current)}) · previous 7 days` : '',
    // Posted to a channel: small counts are suppressed (src/bot/kit/summaryFacts.ts).
    summaryFacts: summary ? summaryFacts(summary, { byDecision: false, suppressSmall: true }) : [],
    summaryNote: `Counts from 1 to ${SMALL_COUNT_LIMIT - 1} are shown as “fewer than ${SMALL_COUNT_LIMIT}”, so no single case can be picked out.`,
    id: r.id,
    schedule: r.scheduleText,
  });
}

export function reminderListCard(reminders: readonly ScheduledReminder[], notice?: string): AdaptiveCard {
  return renderCard('reminder-list', {
    title: 'Reminders in this channel',
    hasNotice: Boolean(notice),
    notice: notice ?? '',
    reminders: reminders.map((r) => ({
      id: r.id,
      what: describeReminder(r),
      schedule: `${r.scheduleText} (${r.timezone})`,
      next: formatLocal(r.nextRunAt, r.timezone),
      cancelData: { verb: VERBS.cancelReminder, id: r.id },
    })),
  });
}
