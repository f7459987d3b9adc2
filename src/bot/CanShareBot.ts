/**
 * Turn routing for the Teams bot: identity and tenant checks, then text commands and card actions
 * dispatched to the features. Features never see an activity from a tenant that is not allowed or
 * from a user without an Entra identity.
 */
import { TeamsActivityHandler, TurnContext, type AdaptiveCardInvokeResponse, type AdaptiveCardInvokeValue, type InvokeResponse } from 'botbuilder';
import { z } from 'zod';
import { identityOf, isTenantAllowed, tenantIdOf } from './identity';
import { commandTextOf } from './userText';
import { ADAPTIVE_CARD_CONTENT_TYPE, adaptiveAttachment } from './cards/attachment';
import { welcomeCard } from './features/welcome';
import { captureConversation, forgetConversation, includesBot } from './features/reminders/capture';
import { messageCard } from './features/questionnaire/views';
import { errorFields, type LoggedError } from '../logger';
import { commandMatcher, type BotFeature, type BotServices, type CardAction, type CardActionResult, type MessageCommand, type Turn } from './features/types';

const MESSAGE_CONTENT_TYPE = 'application/vnd.microsoft.activity.message';

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
      await captureConversation(this.services, ctx);
      await next();
    });
    this.onInstallationUpdateAdd(async (ctx, next) => {
      if (this.isAllowedTenant(ctx)) {
        await captureConversation(this.services, ctx, true);
        await ctx.sendActivity({ attachments: [adaptiveAttachment(welcomeCard(this.commands))] });
      }
      await next();
    });
    this.onInstallationUpdateRemove(async (ctx, next) => {
      await forgetConversation(this.services, ctx, 'uninstalled');
      await next();
    });
    this.onMembersAdded(async (ctx, next) => {
      if (includesBot(ctx, ctx.activity.membersAdded)) await captureConversation(this.services, ctx, true);
      await next();
    });
    this.onMembersRemoved(async (ctx, next) => {
      if (includesBot(ctx, ctx.activity.membersRemoved)) await forgetConversation(this.services, ctx, 'bot_removed');
      await next();
    });
  }

  /** Tenant allow-list: activities from other tenants get no data, only a log line. */
  private isAllowedTenant(ctx: TurnContext): boolean {
    const tenantId = tenantIdOf(ctx.activity);
    if (isTenantAllowed(this.services.config.ALLOWED_TENANT_IDS, tenantId)) return true;
    this.services.logger.warn({ event: 'tenant.refused', tenantId: tenantId ?? null, type: ctx.activity.type }, 'activity from a tenant that is not allowed');
    return false;
  }

  private turnFor(ctx: TurnContext): { turn?: Turn; problem?: string } {
    const id = identityOf(ctx.activity);
    if (!id.ok) return { problem: id.problem };
    return { turn: { ctx, identity: id.identity, services: this.services } };
  }

  private async handleMessage(ctx: TurnContext): Promise<void> {
    if (!this.isAllowedTenant(ctx)) {
      await ctx.sendActivity('This bot is not available to your organisation.');
      return;
    }
    const { turn, problem } = this.turnFor(ctx);
    if (!turn) {
      await ctx.sendActivity(problem ?? 'Sorry, I could not tell who you are.');
      return;
    }

    const fallback = SubmitFallbackSchema.safeParse(ctx.activity.value);
    if (fallback.success) {
      const result = await this.runAction(turn, fallback.data.verb, fallback.data);
      await ctx.sendActivity('card' in result ? { attachments: [adaptiveAttachment(result.card)] } : result.message);
      return;
    }

    const typed = commandTextOf(ctx.activity);
    if (!typed.ok) {
      // Bad input, not a turn error: a clear answer, and a log line with the reason only (never the text).
      this.services.logger.warn({ event: 'message.bad_input', reason: typed.reason }, 'message text refused');
      await ctx.sendActivity({ attachments: [adaptiveAttachment(messageCard('I could not read that', typed.problem, { style: 'warning' }))] });
      return;
    }
    const text = typed.text;
    if (text === '' || isGreetingOrHelp(text) !== undefined) {
      await ctx.sendActivity({ attachments: [adaptiveAttachment(welcomeCard(this.commands))] });
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
    await ctx.sendActivity({
      attachments: [
        adaptiveAttachment(
          messageCard('I did not recognise that', 'Type **start** to ask "can I share?", or **help** to see everything I can do.'),
        ),
      ],
    });
  }

  private async runAction(turn: Turn, verb: string, data: Record<string, unknown>): Promise<CardActionResult> {
    const action = this.actions.get(verb);
    if (!action) {
      // The verb came from card data (user input): its length only, never the text.
      this.services.logger.warn({ event: 'card.unknown_verb', length: verb.length }, 'unknown card action');
      return { message: 'That button is not recognised — it may be from an older card. Type "help" to see what I can do.' };
    }
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

  protected override async onAdaptiveCardInvoke(ctx: TurnContext, invokeValue: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    if (!this.isAllowedTenant(ctx)) return messageResponse('This bot is not available to your organisation.');
    const parsed = InvokeValueSchema.safeParse(invokeValue);
    if (!parsed.success) return BAD_INVOKE;
    const { turn, problem } = this.turnFor(ctx);
    if (!turn) return messageResponse(problem ?? 'Sorry, I could not tell who you are.');
    try {
      const result = await this.runAction(turn, parsed.data.action.verb, parsed.data.action.data ?? {});
      return 'card' in result ? { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: result.card as never } : messageResponse(result.message);
    } catch (err) {
      this.services.logger.error({ event: 'card.action_failed', verb: parsed.data.action.verb, err: errorSummary(err) }, 'card action failed');
      return {
        statusCode: 200,
        type: ADAPTIVE_CARD_CONTENT_TYPE,
        value: messageCard('Something went wrong', 'Sorry — that did not work, and nothing was recorded. Please try again, or type "start" to begin again.', {
          style: 'attention',
        }) as never,
      };
    }
  }
}

const BAD_INVOKE: AdaptiveCardInvokeResponse = {
  statusCode: 400,
  type: 'application/vnd.microsoft.error',
  value: { code: 'BadRequest', message: 'Not a valid Action.Execute invoke.' } as never,
};

function messageResponse(message: string): AdaptiveCardInvokeResponse {
  return { statusCode: 200, type: MESSAGE_CONTENT_TYPE, value: message as never };
}

/** Error class, code and stack frames only: never the message (it can quote user input), the activity or its text. */
export function errorSummary(err: unknown): LoggedError {
  return errorFields(err);
}
