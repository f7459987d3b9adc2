/**
 * The packs the practitioner cases are written for. A case applies to every one of them unless it
 * names its packs (`packs`, with `packsWhy` saying why): e.g. a case whose answer today's national
 * guidance changes stays with the 2015 chapter, and a case about a rule only the national pack has
 * (an emergency, an adult at risk) names the national pack.
 */
export const PACK_2015 = '2015-local';
export const PACK_ENGLAND = 'england-2024';
export const CASE_PACKS: readonly string[] = [PACK_2015, PACK_ENGLAND];
export const ONLY_2015: readonly string[] = [PACK_2015];
export const ONLY_ENGLAND: readonly string[] = [PACK_ENGLAND];
