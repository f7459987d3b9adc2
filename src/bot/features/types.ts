/**
 * How the bot's features plug into turn routing.
 *
 * A feature contributes text commands (typed in chat) and card actions (Action.Execute verbs).
 * The bot's turn pipeline (CanShareBot.ts) owns the tenant check, identity, routing and error
 * handling; features own their cards and answer through `turn.reply`.
 */
import type { TurnContext } from 'botbuilder';
import type { Config } from '../../config';
import type { Logger } from '../../logger';
import type { Identity } from '../identity';
import type { AdaptiveCard } from '../cards/templates';
import type { BotStores } from '../stores';
import type { Verb } from '../kit/verbs';
import type { RulePackCatalogue } from '../kit/rulePacks';

export interface BotServices {
  config: Config;
  logger: Logger;
  stores: BotStores;
  /** The rule packs a tenant may choose from, and the default (injected: tests add a fixture pack). */
  packs: RulePackCatalogue;
  /** Injected so tests and the benchmark can control time. */
  now: () => Date;
}

export interface Turn {
  ctx: TurnContext;
  /** Read once per turn by the pipeline, from the activity (never from card data). */
  identity: Identity;
  services: BotServices;
  /** Sends a card or a short message to the conversation. */
  reply(result: CardActionResult): Promise<void>;
  /** Like reply, and resolves with the sent activity's id (to recognise that card when it is clicked). */
  post(result: CardActionResult): Promise<string | undefined>;
}

export interface MessageCommand {
  /** What the user types, as shown in help (e.g. "case <reference>"). */
  usage: string;
  description: string;
  /** Returns the command's argument text when the message is this command, else undefined. */
  match(text: string): string | undefined;
  handle(turn: Turn, args: string): Promise<void>;
  /** Shown in help only to these users (e.g. managers); the handler still checks access itself. */
  hiddenFromHelp?: boolean;
}

/** What a card action returns: a card to replace the clicked one, or a short message that leaves it alone. */
export type CardActionResult = { card: AdaptiveCard } | { message: string };

/**
 * Who may see what an action answers with, enforced by the turn pipeline before the handler runs:
 *  - 'personal-chat': only in a personal chat (it shows who a case was shared with);
 *  - 'asker-only': anywhere Teams shows the answer to the clicking user alone — an Action.Execute
 *    answer in a user-specific view — but never through the Action.Submit fallback in a group chat
 *    or channel, whose answer is a new message that everyone there sees.
 * Unset: the answer may be seen by the conversation (the questionnaire's cards say so).
 */
export type ActionPrivacy = 'personal-chat' | 'asker-only';

export interface CardAction {
  verb: Verb;
  privacy?: ActionPrivacy;
  handle(turn: Turn, data: Record<string, unknown>): Promise<CardActionResult>;
}

export interface BotFeature {
  commands: MessageCommand[];
  actions: CardAction[];
}

/** Builds a matcher for a command word (or phrase) optionally followed by arguments. */
export function commandMatcher(...phrases: string[]): (text: string) => string | undefined {
  // A phrase ends at the end of the text, at white space or at punctuation ("can I share?").
  const patterns = phrases.map((p) => new RegExp(`^${p.replace(/\s+/g, '\\s+')}(?:$|[\\s?!.,:;]+(.*)$)`, 'is'));
  return (text) => {
    for (const pattern of patterns) {
      const m = pattern.exec(text.trim());
      if (m) return (m[1] ?? '').trim();
    }
    return undefined;
  };
}
