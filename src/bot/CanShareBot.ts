/**
 * The turn pipeline for the Teams bot. Every activity, whatever its type (message, invoke,
 * installationUpdate add/remove, conversationUpdate members added/removed, anything else), first
 * goes through `onTurnActivity` below: the activity is read once (tenant and identity), and one
 * from a tenant that is not allowed gets no data and no storage work, only a log line and a plain
 * refusal. Then text commands and card actions are dispatched to the features, each with a `Turn`
 * whose `reply` is the one way a card or message is sent. Features never see an activity from a
 * tenant that is not allowed or from a user without an Entra identity.
 */
import {
  TeamsActivityHandler,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type InvokeResponse,
} from 'botbuilder';
import { z } from 'zod';
import { isTenantAllowed, readActivity, type ActivityFacts, type Identity } from './identity';
import { commandTextOf } from './userText';
import { ADAPTIVE_CARD_CONTENT_TYPE, adaptiveAttachment } from './cards/attachment';
import { welcomeCard } from './features/welcome';
import { captureConversation, forgetConversation, includesBot } from './features/reminders/capture';
import { messageCard } from './kit/messageCard';
import { tenantPack, withReviewBanner } from './kit/rulePacks';
import { errorFields, type LoggedError } from '../logger';
import {
  commandMatcher,
  type BotFeature,
  type BotServices,
  type CardAction,
  type CardActionResult,
  type MessageCommand,
  type Turn,
} from './features/types';

const MESSAGE_CONTENT_TYPE = 'application/vnd.microsoft.activity.message';
const NOT_AVAILABLE = 'This bot is not available to your organisation.';
const UNKNOWN_USER = 'Sorry, I could not tell who you are.';

/** Where the pipeline keeps what it read from the activity, for the handlers of the same turn. */
const FACTS_KEY = Symbol('canShare.activityFacts');

const isGreetingOrHelp = commandMatcher('help', 'hi', 'hello', 'hey', 'menu', '\\?');

/** The Action.Submit fallback (clients without Universal Actions) sends the action data as message.value. */
const SubmitFallbackSchema = z.object({ verb: z.string().min(1).max(64) }).passthrough();

const InvokeValueSchema = z.object({
  action: z.object({
    type: z.literal('Action.Execute'),
    verb: z.string().min(1).max(64),
    data: z.record(z.string(), z.unknown()).optional(),
  }),
});

/** A card or a message as an outgoing activity (the one way the bot sends either). */
async function send(ctx: TurnContext, result: CardActionResult): Promise<string | undefined> {
  const sent = await ctx.sendActivity(
    'card' in result ? { attachments: [adaptiveAttachment(result.card)] } : result.message,
  );
  return sent?.id;
}

/** A card or a message as the answer to an Action.Execute invoke (the clicked card is replaced by a card). */
function invokeResponseFor(result: CardActionResult): AdaptiveCardInvokeResponse {
  return 'card' in result
    ? { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: result.card as never }
    : { statusCode: 200, type: MESSAGE_CONTENT_TYPE, value: result.message as never };
}

export class CanShareBot extends TeamsActivityHandler {
  private readonly commands: MessageCommand[];
  private readonly actions = new Map<string, CardAction>();

  constructor(
    private readonly services: BotServices,
    features: readonly BotFeature[],
  ) {
    super();
    this.commands = features.flatMap((f) => f.commands);
    for (const action of features.flatMap((f) => f.actions)) {
      if (this.actions.has(action.verb)) throw new Error(`card verb "${action.verb}" is registered twice`);
      this.actions.set(action.verb, action);
    }

    this.onMessage(async (ctx, next) => {
      await this.handleMessage(ctx);
      // Conversation references for reminders (once per conversation per process; never fails the turn).
      await captureConversation(this.services, ctx, this.factsOf(ctx).tenantId);
      await next();
    });
    this.onInstallationUpdateAdd(async (ctx, next) => {
      await captureConversation(this.services, ctx, this.factsOf(ctx).tenantId, true);
      await send(ctx, { card: welcomeCard(this.commands) });
      await next();
    });
    this.onInstallationUpdateRemove(async (ctx, next) => {
      await forgetConversation(this.services, ctx, this.factsOf(ctx).tenantId, 'uninstalled');
      await next();
    });
    this.onMembersAdded(async (ctx, next) => {
      if (includesBot(ctx, ctx.activity.membersAdded))
        await captureConversation(this.services, ctx, this.factsOf(ctx).tenantId, true);
      await next();
    });
    this.onMembersRemoved(async (ctx, next) => {
      if (includesBot(ctx, ctx.activity.membersRemoved))
        await forgetConversation(this.services, ctx, this.factsOf(ctx).tenantId, 'bot_removed');
      await next();
    });
  }

  /**
   * The pipeline step every activity goes through before any handler: read the activity once, and
   * refuse it if its tenant is not on the allow-list (a message or card action gets a plain
   * refusal, anything else nothing; never data, never storage work).
   */
  protected override async onTurnActivity(ctx: TurnContext): Promise<void> {
    const facts = readActivity(ctx.activity);
    if (!isTenantAllowed(this.services.config.ALLOWED_TENANT_IDS, facts.tenantId)) {
      this.services.logger.warn(
        { event: 'tenant.refused', tenantId: facts.tenantId ?? null, type: ctx.activity.type },
        'activity from a tenant that is not allowed',
      );
      await this.refuseTenant(ctx);
      return;
    }
    ctx.turnState.set(FACTS_KEY, facts);
    await super.onTurnActivity(ctx);
  }

  private async refuseTenant(ctx: TurnContext): Promise<void> {
    if (ctx.activity.type === 'message') {
      await send(ctx, { message: NOT_AVAILABLE });
    } else if (ctx.activity.type === 'invoke') {
      const refusal: InvokeResponse =
        ctx.activity.name === 'adaptiveCard/action'
          ? { status: 200, body: invokeResponseFor({ message: NOT_AVAILABLE }) }
          : { status: 403 };
      await ctx.sendActivity({ type: 'invokeResponse', value: refusal });
    }
  }

  private factsOf(ctx: TurnContext): ActivityFacts {
    const facts = ctx.turnState.get(FACTS_KEY) as ActivityFacts | undefined;
    // Only reachable if a handler ran outside onTurnActivity: treat it as unreadable, never as allowed.
    return facts ?? { tenantId: undefined, identity: { ok: false, problem: UNKNOWN_USER } };
  }

  /** The features' view of this turn, or why there is none (no Entra identity, no tenant). */
  private turnFor(ctx: TurnContext): { turn?: Turn; problem?: string } {
    const { identity } = this.factsOf(ctx);
    if (!identity.ok) return { problem: identity.problem };
    return { turn: newTurn(ctx, identity.identity, this.services) };
  }

  private async handleMessage(ctx: TurnContext): Promise<void> {
    const { turn, problem } = this.turnFor(ctx);
    if (!turn) {
      await send(ctx, { message: problem ?? UNKNOWN_USER });
      return;
    }

    const fallback = SubmitFallbackSchema.safeParse(ctx.activity.value);
    if (fallback.success) {
      await turn.reply(await this.runAction(turn, fallback.data.verb, fallback.data, 'fallback'));
      return;
    }

    const typed = commandTextOf(ctx.activity);
    if (!typed.ok) {
      // Bad input, not a turn error: a clear answer, and a log line with the reason only (never the text).
      this.services.logger.warn({ event: 'message.bad_input', reason: typed.reason }, 'message text refused');
      await turn.reply({ card: messageCard('I could not read that', typed.problem, { style: 'warning' }) });
      return;
    }
    const text = typed.text;
    if (text === '' || isGreetingOrHelp(text) !== undefined) {
      // The organisation's own pack (as last known if storage is down), with its review banner if it needs one.
      const tp = await tenantPack(turn);
      await turn.reply({ card: withReviewBanner(welcomeCard(this.commands, tp.pack), tp.needsReview) });
      return;
    }
    for (const command of this.commands) {
      const args = command.match(text);
      if (args !== undefined) {
        await command.handle(turn, args);
        return;
      }
    }
    // Never echo the text back into logs: it may contain personal data.
    this.services.logger.info({ event: 'message.unknown_command', length: text.length }, 'unrecognised message');
    await turn.reply({
      card: messageCard(
        'I did not recognise that',
        'Type **start** to ask "can I share?", or **help** to see everything I can do.',
      ),
    });
  }

  private async runAction(
    turn: Turn,
    verb: string,
    data: Record<string, unknown>,
    path: 'invoke' | 'fallback',
  ): Promise<CardActionResult> {
    const action = this.actions.get(verb);
    if (!action) {
      // The verb came from card data (user input): its length only, never the text.
      this.services.logger.warn({ event: 'card.unknown_verb', length: verb.length }, 'unknown card action');
      return {
        message: 'That button is not recognised — it may be from an older card. Type "help" to see what I can do.',
      };
    }
    const refusal = privacyRefusal(action, turn, path);
    if (refusal) return refusal;
    return action.handle(turn, data);
  }

  /**
   * botbuilder reads `value.action.type` without checking that `action` exists, so an
   * adaptiveCard/action invoke without an action object threw a TypeError (turn error, an error
   * reply sent to the conversation, HTTP 501). Such invokes are refused here with 400 instead.
   */
  protected override async onInvokeActivity(ctx: TurnContext): Promise<InvokeResponse> {
    const value = ctx.activity.value as { action?: unknown } | undefined;
    if (ctx.activity.name === 'adaptiveCard/action' && (typeof value?.action !== 'object' || value.action === null)) {
      return { status: 400, body: BAD_INVOKE };
    }
    return super.onInvokeActivity(ctx);
  }

  protected override async onAdaptiveCardInvoke(
    ctx: TurnContext,
    invokeValue: AdaptiveCardInvokeValue,
  ): Promise<AdaptiveCardInvokeResponse> {
    const parsed = InvokeValueSchema.safeParse(invokeValue);
    if (!parsed.success) return BAD_INVOKE;
    const { turn, problem } = this.turnFor(ctx);
    if (!turn) return invokeResponseFor({ message: problem ?? UNKNOWN_USER });
    try {
      return invokeResponseFor(
        await this.runAction(turn, parsed.data.action.verb, parsed.data.action.data ?? {}, 'invoke'),
      );
    } catch (err) {
      this.services.logger.error(
        { event: 'card.action_failed', verb: parsed.data.action.verb, err: errorSummary(err) },
        'card action failed',
      );
      return invokeResponseFor({
        card: messageCard(
          'Something went wrong',
          'Sorry — that did not work, and nothing was recorded. Please try again, or type "start" to begin again.',
          {
            style: 'attention',
          },
        ),
      });
    }
  }
}

function newTurn(ctx: TurnContext, identity: Identity, services: BotServices): Turn {
  return {
    ctx,
    identity,
    services,
    post: (result) => send(ctx, result),
    reply: async (result) => {
      await send(ctx, result);
    },
  };
}

const BAD_INVOKE: AdaptiveCardInvokeResponse = {
  statusCode: 400,
  type: 'application/vnd.microsoft.error',
  value: { code: 'BadRequest', message: 'Not a valid Action.Execute invoke.' } as never,
};

/** Error class, code and stack frames only: never the message (it can quote user input), the activity or its text. */
export function errorSummary(err: unknown): LoggedError {
  return errorFields(err);
}

const PERSONAL_CHAT_ONLY: CardActionResult = {
  card: messageCard(
    'Please do this in a personal chat',
    'This shows records only you should see, so I only show it in a personal chat with you. Open a chat with me and try there.',
    { style: 'warning' },
  ),
};

/**
 * The action's privacy (see ActionPrivacy) against where its answer would be seen. Checked before
 * the handler, so nothing is read from storage for an answer that could not be shown.
 */
function privacyRefusal(action: CardAction, turn: Turn, path: 'invoke' | 'fallback'): CardActionResult | undefined {
  if (!action.privacy || turn.identity.scope.conversationKind === 'personal') return undefined;
  if (action.privacy === 'personal-chat' || path === 'fallback') return PERSONAL_CHAT_ONLY;
  return undefined;
}
