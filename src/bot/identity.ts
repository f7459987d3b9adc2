/**
 * Who is asking, and from where: parsed from the inbound activity with zod.
 *
 * Teams puts the tenant in conversation.tenantId and channelData.tenant.id, the user's AAD object id
 * in from.aadObjectId, and the team/channel in channelData. Anything missing that a record needs is
 * a clear refusal, never a guess.
 */
import type { Activity } from 'botbuilder';
import { z } from 'zod';
import type { ConversationKind, ConversationScope, Practitioner } from '../storage/contract';
import { userTextSchema } from './userText';

const ActivityIdentitySchema = z.object({
  from: z.object({
    id: z.string().min(1),
    /** Stored with every record the user makes (and exported): cleaned like any typed text. */
    name: userTextSchema(200).optional(),
    aadObjectId: z.string().min(1).max(64).optional(),
  }),
  conversation: z.object({
    id: z.string().min(1).max(1024),
    conversationType: z.string().optional(),
    tenantId: z.string().max(64).optional(),
  }),
  channelData: z
    .object({
      tenant: z
        .object({ id: z.string().max(64) })
        .partial()
        .optional(),
      team: z
        .object({ id: z.string().max(1024) })
        .partial()
        .optional(),
      channel: z
        .object({ id: z.string().max(1024) })
        .partial()
        .optional(),
    })
    .partial()
    .optional(),
});

export interface Identity {
  user: Practitioner;
  scope: ConversationScope;
}

export type IdentityResult = { ok: true; identity: Identity } | { ok: false; problem: string };

export function kindOf(conversationType: string | undefined): ConversationKind {
  if (conversationType === 'channel') return 'channel';
  if (conversationType === 'groupChat') return 'groupChat';
  return 'personal';
}

/** The tenant allow-list: empty or '*' allows any tenant (config refuses empty in production). */
export function isTenantAllowed(allowed: readonly string[], tenantId: string | undefined): boolean {
  if (allowed.length === 0 || allowed.includes('*')) return true;
  return tenantId !== undefined && allowed.includes(tenantId);
}

/** What the turn pipeline reads from an activity, once per turn: its tenant (if any) and who is asking. */
export interface ActivityFacts {
  /** The tenant the activity names, checked against the allow-list before anything else. */
  tenantId: string | undefined;
  identity: IdentityResult;
}

const UNREADABLE: IdentityResult = {
  ok: false,
  problem: 'The message did not say who sent it or from which conversation.',
};

/** One zod parse per activity: the tenant for the allow-list and the identity for the features. */
export function readActivity(activity: Partial<Activity>): ActivityFacts {
  const parsed = ActivityIdentitySchema.safeParse(activity);
  if (!parsed.success) return { tenantId: undefined, identity: UNREADABLE };
  const tenantId = parsed.data.conversation.tenantId ?? parsed.data.channelData?.tenant?.id;
  return { tenantId, identity: identityFrom(parsed.data, tenantId) };
}

function identityFrom(a: z.infer<typeof ActivityIdentitySchema>, tenantId: string | undefined): IdentityResult {
  if (!tenantId) return { ok: false, problem: 'The message did not say which organisation (tenant) it came from.' };
  if (!a.from.aadObjectId)
    return {
      ok: false,
      problem: 'Your Microsoft Entra identity was not included with the message, so nothing can be recorded for you.',
    };
  const kind = kindOf(a.conversation.conversationType);
  return {
    ok: true,
    identity: {
      user: { aadObjectId: a.from.aadObjectId, name: a.from.name ?? '' },
      scope: {
        tenantId,
        conversationId: a.conversation.id,
        conversationKind: kind,
        teamId: a.channelData?.team?.id,
        channelId: a.channelData?.channel?.id,
      },
    },
  };
}
