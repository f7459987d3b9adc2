/**
 * Conversation references for proactive messages: saved when the bot is installed or added to a
 * conversation (and, once per process per conversation, when someone talks to it), marked inactive
 * when it is uninstalled or removed. Never breaks a turn: storage trouble is logged and ignored.
 *
 * Team channels are saved under the channel's root id (channelData.channel.id), not the thread id
 * of the message (…;messageid=…), so reminders start a new post instead of replying in a thread.
 */
import { TurnContext, type Activity } from 'botbuilder';
import type { ConversationMeta, StoredConversationReference } from '../../../storage/conversationStore';
import { kindOf } from '../../identity';
import type { BotServices } from '../types';
import { errorFields } from '../../../logger';

/** Refresh a conversation seen in messages at most this often per process. */
const REFRESH_MS = 24 * 3_600_000;
const MAX_REMEMBERED = 10_000;
const recentlySaved = new Map<string, number>();

interface ChannelDataShape {
  team?: { id?: string };
  channel?: { id?: string };
  eventType?: string;
}

/**
 * True when the activity says the bot has left the whole team, not one conversation of it: the team
 * was deleted, the bot (the activity's recipient, never just any member) was removed from the team
 * (Teams' conversationUpdate, eventType "teamMemberRemoved"), or the app was uninstalled from it.
 * Anything else — e.g. a conversationUpdate naming the bot with no such event type — stops sends in
 * that one conversation only, so one forged or odd event cannot silence every channel of a team.
 */
function leavesWholeTeam(activity: Partial<Activity>): boolean {
  const eventType = (activity.channelData as ChannelDataShape | undefined)?.eventType;
  if (activity.type === 'installationUpdate') return true;
  if (activity.type !== 'conversationUpdate') return false;
  if (eventType === 'teamDeleted' || eventType === 'teamHardDeleted') return true;
  const botId = activity.recipient?.id;
  return eventType === 'teamMemberRemoved' && Boolean(botId && activity.membersRemoved?.some((m) => m.id === botId));
}

/**
 * The reference and metadata to store for the conversation an activity came from. `tenantId` is
 * the one the turn pipeline read from the activity and checked against the allow-list.
 */
function conversationOf(
  activity: Partial<Activity>,
  tenantId: string | undefined,
): { tenantId: string; reference: StoredConversationReference; meta: ConversationMeta } | undefined {
  if (!tenantId || !activity.conversation?.id || !activity.serviceUrl || !activity.recipient?.id || !activity.channelId)
    return undefined;
  const channelData = (activity.channelData ?? {}) as ChannelDataShape;
  const teamId = channelData.team?.id;
  // installationUpdate / conversationUpdate in a team may omit conversationType; a team id means a channel.
  const kind = teamId ? 'channel' : kindOf(activity.conversation.conversationType);
  const base = TurnContext.getConversationReference(activity);
  const rootId =
    kind === 'channel'
      ? (channelData.channel?.id ?? activity.conversation.id.split(';')[0]!)
      : activity.conversation.id;
  // Field by field, never by spreading the activity's objects: a chat's or channel's name (which
  // may name a child), display names and anything else the activity carries stay out of storage.
  const isGroup = base.conversation?.isGroup;
  const reference: StoredConversationReference = {
    serviceUrl: activity.serviceUrl,
    channelId: activity.channelId,
    conversation: {
      id: rootId,
      tenantId,
      conversationType: kind,
      ...(typeof isGroup === 'boolean' ? { isGroup } : {}),
    },
    bot: { id: activity.recipient.id },
    ...(kind === 'personal' && base.user?.id
      ? { user: { id: base.user.id, ...(base.user.aadObjectId ? { aadObjectId: base.user.aadObjectId } : {}) } }
      : {}),
    ...(base.locale ? { locale: base.locale } : {}),
  };
  const meta: ConversationMeta = {
    kind,
    ...(teamId ? { teamId } : {}),
    ...(kind === 'channel' ? { channelId: rootId } : {}),
  };
  return { tenantId, reference, meta };
}

/**
 * Saves the conversation's reference. `force` skips the once-per-day cache (install events). Only
 * called for activities the turn pipeline admitted, so the tenant is an allowed one.
 */
export async function captureConversation(
  services: BotServices,
  ctx: TurnContext,
  tenantId: string | undefined,
  force = false,
): Promise<void> {
  const found = conversationOf(ctx.activity, tenantId);
  if (!found) return;
  const key = `${found.tenantId}|${found.reference.conversation.id}`;
  const last = recentlySaved.get(key);
  if (!force && last !== undefined && Date.now() - last < REFRESH_MS) return;
  try {
    await services.stores.conversations.upsert(found.tenantId, found.reference, found.meta);
    if (recentlySaved.size >= MAX_REMEMBERED) recentlySaved.clear();
    recentlySaved.set(key, Date.now());
  } catch (err) {
    services.logger.warn(
      { event: 'conversation.capture_failed', kind: found.meta.kind, err: errorFields(err) },
      'could not save the conversation reference',
    );
  }
}

/** The bot was uninstalled or removed: stop proactive sends there (every channel of the team, for a team). */
export async function forgetConversation(
  services: BotServices,
  ctx: TurnContext,
  tenantId: string | undefined,
  reason: string,
): Promise<void> {
  const found = conversationOf(ctx.activity, tenantId);
  if (!found) return;
  try {
    const ids = new Set([found.reference.conversation.id]);
    if (found.meta.teamId && leavesWholeTeam(ctx.activity)) {
      for await (const c of services.stores.conversations.listActive(found.tenantId))
        if (c.teamId === found.meta.teamId) ids.add(c.conversationId);
    }
    for (const id of ids) {
      await services.stores.conversations.markInactive(found.tenantId, id, reason);
      recentlySaved.delete(`${found.tenantId}|${id}`);
    }
    services.logger.info(
      { event: 'conversation.deactivated', kind: found.meta.kind, count: ids.size, reason },
      'bot removed from a conversation',
    );
  } catch (err) {
    services.logger.warn(
      { event: 'conversation.forget_failed', err: errorFields(err) },
      'could not mark the conversation inactive',
    );
  }
}

/** True when the bot itself is among the members in a conversationUpdate list. */
export function includesBot(ctx: TurnContext, members: ReadonlyArray<{ id: string }> | undefined): boolean {
  const botId = ctx.activity.recipient?.id;
  return Boolean(botId && members?.some((m) => m.id === botId));
}
