/**
 * What a team summary asks for: how many days (7, 30 or 90) and, optionally, which Teams team.
 * Typed as text ("team summary 90 team") or carried in a card button's data — untrusted either way:
 * the tenant and the asker always come from the activity and the manager role is checked on each use.
 */
import { z } from 'zod';

export const PERIOD_DAYS = [7, 30, 90] as const;
export const DEFAULT_DAYS = 30;

export const SummaryRequestSchema = z.strictObject({
  days: z.union(PERIOD_DAYS.map((d) => z.literal(d)) as [z.ZodLiteral<7>, z.ZodLiteral<30>, z.ZodLiteral<90>]),
  /** A Teams team id (channelData.team.id); absent for the whole organisation. */
  team: z.string().min(1).max(500).optional(),
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
  return parsed.success ? { ok: true, request: parsed.data } : { ok: false, problem: USAGE };
}
