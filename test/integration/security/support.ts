/**
 * Helpers for the security tests: count the turns the adapter actually ran, and the rows in every
 * table, so a refused request can be shown to have done nothing at all.
 */
import type { TurnContext } from 'botbuilder';
import { TABLE_NAMES } from '../../../src/storage/tableClients';
import type { BotHarness } from '../../support/botHarness';

export interface TurnSpy {
  /** One entry per turn that entered the adapter's middleware pipeline (before the bot runs). */
  turns: Array<{ type: string; authenticated: boolean; audience?: string }>;
}

/**
 * Adds adapter middleware that records every turn. Middleware runs only after the request was
 * authenticated and a TurnContext built, so an empty list means no bot code ran.
 */
export function spyOnTurns(bot: BotHarness): TurnSpy {
  const spy: TurnSpy = { turns: [] };
  const adapter = bot.app.adapter;
  adapter.use(async (ctx: TurnContext, next: () => Promise<void>) => {
    const identity = ctx.turnState.get(adapter.BotIdentityKey) as
      { isAuthenticated?: boolean; getClaimValue?: (t: string) => string | null } | undefined;
    spy.turns.push({
      type: ctx.activity.type,
      authenticated: identity?.isAuthenticated === true,
      audience: identity?.getClaimValue?.('aud') ?? undefined,
    });
    await next();
  });
  return spy;
}

/** Row count of every table the app uses. */
export async function storageSnapshot(bot: BotHarness): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const key of Object.keys(TABLE_NAMES) as Array<keyof typeof TABLE_NAMES>) {
    let n = 0;
    for await (const _row of bot.app.tables[key].listEntities()) n++;
    out[key] = n;
  }
  return out;
}

/** Replies carried in an expectReplies response body (none for a refused request). */
export function repliesIn(body: unknown): Array<Record<string, unknown>> {
  if (body && typeof body === 'object' && Array.isArray((body as { activities?: unknown }).activities)) {
    return (body as { activities: Array<Record<string, unknown>> }).activities;
  }
  return [];
}
