/**
 * Scheduled channel reminders, set up by typing in a team channel:
 *   remind weekly digest <schedule>          weekly digest of the team's open follow-ups
 *   remind practice <topic> <schedule>       a practice reminder drawn from the guidance
 *   reminders                                list this channel's reminders (Cancel on each)
 *   cancel reminder <id>
 * <schedule> is a preset ("weekly mon 09:00", "daily 09:00", "weekdays 08:30") or a 5-field cron
 * pattern, in Europe/London time. The scheduler (src/reminders) sends them.
 */
import { z } from 'zod';
import type { ScheduleKind } from '../../../storage/reminderStore';
import { PRACTICE_TOPICS, findTopic } from '../../../reminders/practiceTopics';
import { DEFAULT_TIMEZONE, formatLocal, nextRunAfter, parseSchedule } from '../../../reminders/schedule';
import type { AdaptiveCard } from '../../cards/templates';
import { messageCard } from '../../kit/messageCard';
import { isManager } from '../../kit/access';
import { sameId } from '../../kit/ids';
import { commandMatcher, type BotFeature, type CardActionResult, type Turn } from '../types';
import { captureConversation } from './capture';
import { describeReminder, reminderListCard } from './views';
import { VERBS } from '../../kit/verbs';

const MAX_PER_CHANNEL = 20;
const ReminderId = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^R-[0-9A-Z]{5}$/);
const CancelSchema = z.object({ id: ReminderId });

const send = (turn: Turn, card: AdaptiveCard) => turn.reply({ card });

function channelOf(turn: Turn): { conversationId: string; teamId: string; channelId: string } | undefined {
  const { scope } = turn.identity;
  if (scope.conversationKind !== 'channel' || !scope.teamId) return undefined;
  const channelId = scope.channelId ?? scope.conversationId.split(';')[0]!;
  return { conversationId: channelId, teamId: scope.teamId, channelId };
}

const NOT_A_CHANNEL = messageCard(
  'Reminders are set up in a team channel',
  'Type this in the team channel that should get the reminders (mention me first, e.g. "@Can I share? remind weekly digest weekly mon 09:00").',
  { style: 'warning' },
);

const topicList = () => PRACTICE_TOPICS.map((t) => `**${t.code}** — ${t.title} (${t.cite})`).join('\n\n');

async function create(turn: Turn, kind: ScheduleKind, scheduleText: string, topic?: string): Promise<void> {
  const channel = channelOf(turn);
  if (!channel) {
    await send(turn, NOT_A_CHANNEL);
    return;
  }
  const parsed = parseSchedule(scheduleText);
  if (!parsed.ok) {
    await send(turn, messageCard('When should I remind you?', parsed.problem, { style: 'warning' }));
    return;
  }
  const { stores, now, logger } = turn.services;
  const tenantId = turn.identity.scope.tenantId;
  const existing = await stores.reminders.listSchedules(tenantId, channel.conversationId);
  if (existing.length >= MAX_PER_CHANNEL) {
    await send(
      turn,
      reminderListCard(existing, `This channel already has ${MAX_PER_CHANNEL} reminders; cancel one first.`),
    );
    return;
  }
  const next = nextRunAfter(parsed.cron, now(), DEFAULT_TIMEZONE);
  if (!next) {
    await send(
      turn,
      messageCard('That schedule never fires', 'Please choose a schedule with future times.', { style: 'warning' }),
    );
    return;
  }
  // The scheduler posts to the channel through its stored reference: make sure it is there.
  await captureConversation(turn.services, turn.ctx, turn.identity.scope.tenantId, true);
  const reminder = await stores.reminders.createSchedule({
    tenantId,
    kind,
    ...(topic ? { topic } : {}),
    cron: parsed.cron,
    timezone: DEFAULT_TIMEZONE,
    scheduleText: parsed.text,
    conversationId: channel.conversationId,
    teamId: channel.teamId,
    channelId: channel.channelId,
    createdBy: turn.identity.user.aadObjectId,
    nextRunAt: next.toISOString(),
  });
  logger.info(
    { event: 'reminder.created', reminderId: reminder.id, kind, cron: parsed.cron },
    'channel reminder set up',
  );
  const all = await stores.reminders.listSchedules(tenantId, channel.conversationId);
  await send(
    turn,
    reminderListCard(
      all,
      `Set up ${reminder.id}: ${describeReminder(reminder)}, ${parsed.text} (${DEFAULT_TIMEZONE}). First one: ${formatLocal(next)}.`,
    ),
  );
}

async function cancel(turn: Turn, id: string): Promise<{ ok: boolean; text: string }> {
  const parsedId = ReminderId.safeParse(id);
  if (!parsedId.success)
    return {
      ok: false,
      text: 'Type **cancel reminder** followed by its id, e.g. "cancel reminder R-7F3KQ". Type **reminders** to see them.',
    };
  const tenantId = turn.identity.scope.tenantId;
  const me = turn.identity.user.aadObjectId;
  const reminder = await turn.services.stores.reminders.getSchedule(tenantId, parsedId.data);
  if (!reminder || !reminder.active) return { ok: false, text: `There is no active reminder ${parsedId.data}.` };
  if (!sameId(reminder.createdBy, me) && !(await isManager(turn.services, tenantId, me))) {
    return { ok: false, text: 'Only whoever set up this reminder, or a manager, can cancel it.' };
  }
  await turn.services.stores.reminders.cancelSchedule(tenantId, reminder.id, me);
  turn.services.logger.info({ event: 'reminder.cancelled', reminderId: reminder.id }, 'channel reminder cancelled');
  return { ok: true, text: `Cancelled ${reminder.id} (${describeReminder(reminder)}).` };
}

async function listCard(turn: Turn, notice?: string): Promise<AdaptiveCard> {
  const channel = channelOf(turn);
  if (!channel) return NOT_A_CHANNEL;
  return reminderListCard(
    await turn.services.stores.reminders.listSchedules(turn.identity.scope.tenantId, channel.conversationId),
    notice,
  );
}

async function onCancel(turn: Turn, data: Record<string, unknown>): Promise<CardActionResult> {
  const parsed = CancelSchema.safeParse(data);
  if (!parsed.success) return { message: 'That button could not be read.' };
  const result = await cancel(turn, parsed.data.id);
  if (!result.ok) return { message: result.text };
  return { card: await listCard(turn, result.text) };
}

export const remindersFeature: BotFeature = {
  commands: [
    {
      usage: 'remind weekly digest <schedule>',
      description:
        'In a team channel: a weekly digest of the team’s open follow-ups (e.g. "remind weekly digest weekly mon 09:00").',
      match: commandMatcher('remind weekly digest', 'remind digest'),
      handle: (turn, args) => create(turn, 'weekly_digest', args || 'weekly mon 09:00'),
    },
    {
      usage: 'remind practice <topic> <schedule>',
      description:
        'In a team channel: a practice reminder from the guidance (e.g. "remind practice verify-callers weekly wed 09:00").',
      match: commandMatcher('remind practice'),
      async handle(turn, args) {
        const [topicWord = '', ...rest] = args.split(/\s+/);
        const topic = findTopic(topicWord);
        if (!topic) {
          await send(
            turn,
            messageCard(
              'Which practice reminder?',
              `Choose a topic, then a schedule, e.g. "remind practice secure-email weekly mon 09:00". Topics:\n\n${topicList()}`,
            ),
          );
          return;
        }
        await create(turn, 'practice', rest.join(' ') || 'weekly mon 09:00', topic.code);
      },
    },
    {
      usage: 'reminders',
      description: 'In a team channel: list its reminders, with a Cancel button on each.',
      match: commandMatcher('reminders', 'list reminders'),
      async handle(turn) {
        await send(turn, await listCard(turn));
      },
    },
    {
      usage: 'cancel reminder <id>',
      description: 'Stop a channel reminder.',
      match: commandMatcher('cancel reminder'),
      async handle(turn, args) {
        const result = await cancel(turn, args);
        await send(
          turn,
          result.ok && channelOf(turn)
            ? await listCard(turn, result.text)
            : messageCard(result.ok ? 'Reminder cancelled' : 'Not cancelled', result.text, {
                style: result.ok ? 'good' : 'warning',
              }),
        );
      },
    },
  ],
  actions: [{ verb: VERBS.cancelReminder, handle: onCancel }],
};
