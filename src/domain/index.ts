/**
 * The domain's public surface: the validated default rule pack and the pure engine.
 * Imports nothing from botbuilder, restify or @azure/*: only zod, via the rule-pack schema.
 */
import { rawRulePack } from './rulePack/pack';
import { loadRulePack } from './rulePack/schema';
import type { RulePack } from './rulePack/schema';

export * from './contract';
export { evaluate, back, completePaths } from './engine';
export { loadRulePack, RulePackError, CHANNEL_CODES, RECIPIENT_CODES } from './rulePack/schema';
export type { RulePack, RulePackInput, Condition, Question, Rule, ChannelCode, RecipientCode } from './rulePack/schema';
export { SAFETY_LINES } from './rulePack/pack';

/** The default pack, validated once at start-up: a broken pack fails fast, not mid-conversation. */
export const rulePack: RulePack = loadRulePack(rawRulePack);
export const RULE_PACK_VERSION: string = rulePack.metadata.version;
