/**
 * The domain's public surface: the validated default rule pack and the pure engine.
 * Imports nothing from botbuilder, restify or @azure/*: only zod, via the rule-pack schema, and
 * node:fs in the one module that reads a pack's folder (rulePack/loadFromFolder.ts).
 */
import {
  DEFAULT_RULE_PACK_DIR,
  loadRulePackFromFolder,
  loadRulePacksFromFolder,
  RULEPACKS_DIR,
} from './rulePack/loadFromFolder';
import type { RulePack } from './rulePack/schema';

export * from './contract';
export { evaluate, back, completePaths } from './engine';
export { loadRulePack, RulePackError, CHANNEL_CODES, RECIPIENT_CODES } from './rulePack/schema';
export type { RulePack, RulePackInput, Condition, Question, Rule, ChannelCode, RecipientCode } from './rulePack/schema';
export {
  DEFAULT_RULE_PACK_DIR,
  loadRulePackFromFolder,
  readRulePackFolder,
  RULEPACKS_DIR,
} from './rulePack/loadFromFolder';

/**
 * The default pack (rulepacks/2015-local/), validated once at start-up: a broken pack fails fast, not mid-conversation.
 */
export const rulePack: RulePack = loadRulePackFromFolder(DEFAULT_RULE_PACK_DIR);
/** The default pack's id: what a tenant that has not chosen a pack decides under. */
export const DEFAULT_RULE_PACK_ID: string = rulePack.metadata.id;
/**
 * Every pack under rulepacks/ (one folder each), by id, validated once at start-up like the default.
 * A tenant chooses one of these by id; the default is always among them.
 */
export const rulePacks: ReadonlyMap<string, RulePack> = loadRulePacksFromFolder(RULEPACKS_DIR, rulePack);
/** The pack with this id, or undefined when no such pack is installed (e.g. a setting naming a removed pack). */
export function rulePackById(id: string): RulePack | undefined {
  return rulePacks.get(id);
}
export const RULE_PACK_VERSION: string = rulePack.metadata.version;
/** The lines appended to every outcome of the default pack (immediate danger; "decision support, not a decision"). */
export const SAFETY_LINES: readonly string[] = rulePack.safetyLines;
