/**
 * What a team summary asks for: how many days (7, 30 or 90) and, optionally, which Teams team.
 * Typed as text ("team summary 90 team") or carried in a card button's data — untrusted either way:
 * the tenant and the asker always come from the activity and the manager role is checked on each use.
 */
import { z } from 'zod';

export const PERIOD_DAYS = [7, 30, 90] as const;
export const DEFAULT_DAYS = 30;

/**
 * A Teams team id as channelData.team.id carries it: "19:" + an opaque token + "@thread.tacv2" (or
 * the older "@thread.skype"), e.g. 19:c2f3…@thread.tacv2. Nothing else is a team: no markdown, no
 * template, no spaces. The length cap comes first and the pattern has one bounded class that cannot
 * match "@", so the check is linear in the (capped) length.
 */
export const TEAM_ID_MAX_LENGTH = 120;
const TEAM_ID_PATTERN = /^19:[A-Za-z0-9_-]{1,100}@thread\.(?:tacv2|skype)$/;
export const TeamIdSchema = z.string().max(TEAM_ID_MAX_LENGTH).regex(TEAM_ID_PATTERN);
export const isTeamId = (value: string): boolean => TeamIdSchema.safeParse(value).success;

export const SummaryRequestSchema = z.strictObject({
  days: z.union(PERIOD_DAYS.map((d) => z.literal(d)) as [z.ZodLiteral<7>, z.ZodLiteral<30>, z.ZodLiteral<90>]),
  /** A Teams team id (channelData.team.id); absent for the whole organisation. */
  team: TeamIdSchema.optional(),
});
export type SummaryRequest = z.infer<typeof SummaryRequestSchema>;

export type ParsedRequest = { ok: true; request: SummaryRequest } | { ok: false; problem: string };

const USAGE =
  'Type **team summary** with an optional period — **7**, **30** or **90** days (30 if not said) — and **team** for this channel’s team, e.g. "team summary 90 team".';

/**
 * "", "90", "7 days", "team", "30 team <team id>". `here` is this conversation's Teams team, if any.
 * Tokens are split on white space only (the text is already length-limited).
 */
export function parseSummaryArgs(args: string, here: string | undefined): ParsedRequest {
  const words = args.split(/\s+/).filter(Boolean);
  let days: number = DEFAULT_DAYS;
  let team: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!.toLowerCase();
    if (/^\d{1,3}$/.test(word)) {
      days = Number(word);
      if (words[i + 1]?.toLowerCase() === 'days') i++;
    } else if (word === 'team') {
      const next = words[i + 1];
      if (next !== undefined && !/^\d{1,3}$/.test(next)) {
        // Never echoed: the id (or whatever was typed) is not shown back on any card.
        if (!isTeamId(next))
          return {
            ok: false,
            problem: `After **team** give a Teams team id (it starts with 19: and ends with @thread.tacv2), or nothing for this channel’s team. ${USAGE}`,
          };
        team = next;
        i++;
      } else if (here) team = here;
      else
        return {
          ok: false,
          problem: `“team” alone means this channel’s team, and this is not a team channel. ${USAGE}`,
        };
    } else return { ok: false, problem: USAGE };
  }
  const parsed = SummaryRequestSchema.safeParse({ days, ...(team !== undefined ? { team } : {}) });
  if (!parsed.success && team !== undefined && !isTeamId(team))
    return { ok: false, problem: `This channel’s team id could not be read, so its summary cannot be shown. ${USAGE}` };
  return parsed.success ? { ok: true, request: parsed.data } : { ok: false, problem: USAGE };
}
