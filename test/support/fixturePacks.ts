/**
 * A draft rule pack for the tenant-pack tests, made from the 2015 pack: another id, status
 * 'draft', its own title, version and first safety line (so a test can tell which pack a card came
 * from). Loaded through the real loader (zod and the cross-checks), as an installed pack would be.
 */
import { DEFAULT_RULE_PACK_DIR, loadRulePack, readRulePackFolder, rulePacks, type RulePack } from '../../src/domain';

export const DRAFT_PACK_ID = 'test-draft';
export const DRAFT_PACK_VERSION = '2024.05-r1';
export const DRAFT_PACK_TITLE = 'Test draft pack (a copy of the 2015 chapter, for the tenant-pack tests)';
export const DRAFT_SAFETY_LINE = 'TEST DRAFT PACK: if a child is in immediate danger, call 999 now.';

/** The draft pack at `version`: the same questions and rules as the 2015 pack. */
export function draftPack(version = DRAFT_PACK_VERSION): RulePack {
  const input = readRulePackFolder(DEFAULT_RULE_PACK_DIR);
  const [, ...otherLines] = input.safetyLines;
  return loadRulePack({
    ...input,
    metadata: { ...input.metadata, id: DRAFT_PACK_ID, version, title: DRAFT_PACK_TITLE, status: 'draft' },
    safetyLines: [DRAFT_SAFETY_LINE, ...otherLines],
  });
}

/** Every installed pack plus the draft pack at `version`. */
export function packsWithDraft(version = DRAFT_PACK_VERSION): ReadonlyMap<string, RulePack> {
  return new Map([...rulePacks, [DRAFT_PACK_ID, draftPack(version)]]);
}
