/**
 * Record filters: parsed from what a person types ("team", "outcome …", "from … to …") or from
 * the filter inputs on a records card, validated with zod, and turned into a storage RecordQuery.
 *
 * The tenant never comes from here: callers take it from the activity (or a signed download token).
 */
import { z } from 'zod';
import { DECISIONS, type DecisionCode } from '../../../domain/contract';
import type { RecordQuery } from '../../../storage/contract';
import { userTextSchema } from '../../userText';

/**
 * Rows on one list card ("rows <n>"): a card must stay small enough for Teams to show. This is not
 * a storage limit: a storage page can hold up to the store's MAX_PAGE_SIZE, which the CSV export
 * reads by (records/export.ts).
 */
const DEFAULT_ROWS_PER_CARD = 25;
export const MAX_ROWS_PER_CARD = 50;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A calendar date (YYYY-MM-DD) that really exists. */
export const dateSchema = z
  .string()
  .regex(DATE, 'use the form YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00.000Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'is not a real date');

export const aadObjectIdSchema = z.string().regex(GUID, 'must be a Microsoft Entra object id (a GUID)');

export const FilterSchema = z
  .strictObject({
    /** Team id (channelData.team.id), or the conversation id for a group chat: the store's "teamKey". */
    team: z.string().min(1).max(1024).optional(),
    /** Practitioner's AAD object id. */
    practitioner: aadObjectIdSchema.optional(),
    outcome: z.enum(DECISIONS).optional(),
    /** Inclusive, UTC day. */
    from: dateSchema.optional(),
    /** Inclusive, UTC day (the query runs to the start of the next day). */
    to: dateSchema.optional(),
    caseRef: userTextSchema(200).pipe(z.string().min(1)).optional(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: '"from" must not be after "to"', path: ['to'] });

export type RecordFilter = z.infer<typeof FilterSchema>;

export function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString();
}

/** The storage query for a filter, always pinned to the given tenant. */
export function toRecordQuery(tenantId: string, f: RecordFilter): RecordQuery {
  return {
    tenantId,
    ...(f.team === undefined ? {} : { teamId: f.team }),
    ...(f.practitioner === undefined ? {} : { decidedBy: f.practitioner }),
    ...(f.outcome === undefined ? {} : { decision: f.outcome as DecisionCode }),
    ...(f.caseRef === undefined ? {} : { caseReference: f.caseRef }),
    ...(f.from === undefined ? {} : { from: `${f.from}T00:00:00.000Z` }),
    ...(f.to === undefined ? {} : { to: nextDay(f.to) }),
  };
}

export interface ParseContext {
  /** The team (or group chat) the message came from; undefined in a personal chat. */
  here?: string;
}

export type ParsedFilter = { ok: true; filter: RecordFilter; pageSize: number } | { ok: false; problem: string };

const KEYWORDS = new Set(['team', 'practitioner', 'by', 'user', 'outcome', 'from', 'to', 'case', 'rows']);

export const FILTER_HELP =
  'Filters: **team** (this team) or **team** <team id>, **practitioner** <Entra object id>, **outcome** <decision code>, **from** YYYY-MM-DD, **to** YYYY-MM-DD, **case** <reference>, **rows** 10–50.';

/**
 * Parses "team outcome share_with_consent from 2026-11-01 to 2026-11-20" and the like.
 * Unknown words are refused (with the list of filters) rather than ignored, so a typo never
 * silently widens a query.
 */
export function parseFilterText(
  text: string,
  ctx: ParseContext,
  allowed: ReadonlySet<string> = KEYWORDS,
): ParsedFilter {
  const words = text.trim() === '' ? [] : text.trim().split(/\s+/);
  const raw: Record<string, string> = {};
  let pageSize = DEFAULT_ROWS_PER_CARD;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!.toLowerCase();
    if (!KEYWORDS.has(word) || !allowed.has(word)) {
      return { ok: false, problem: `I did not understand "${clip(words[i]!)}". ${FILTER_HELP}` };
    }
    const value = words[i + 1];
    const hasValue = value !== undefined && !KEYWORDS.has(value.toLowerCase());
    if (word === 'team' && !hasValue) {
      if (!ctx.here)
        return {
          ok: false,
          problem: 'In a personal chat, say which team: **team** <team id>, or ask in the team’s channel.',
        };
      raw.team = ctx.here;
      continue;
    }
    if (!hasValue) return { ok: false, problem: `"${word}" needs a value. ${FILTER_HELP}` };
    i++;
    const key = word === 'by' || word === 'user' ? 'practitioner' : word === 'case' ? 'caseRef' : word;
    if (key === 'rows') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 10 || n > MAX_ROWS_PER_CARD)
        return { ok: false, problem: `"rows" must be a whole number from 10 to ${MAX_ROWS_PER_CARD}.` };
      pageSize = n;
      continue;
    }
    if (key in raw) return { ok: false, problem: `"${word}" is given twice.` };
    // Codes and Entra object ids are lower case (as Teams sends ids, and as records store them).
    raw[key] = key === 'outcome' || key === 'practitioner' ? value.toLowerCase() : value;
  }
  return validateFilter(raw, pageSize);
}

/** Validates raw filter values (typed or from card inputs; blanks mean "any"). */
export function validateFilter(
  raw: Record<string, string | undefined>,
  pageSize = DEFAULT_ROWS_PER_CARD,
): ParsedFilter {
  const cleaned = Object.fromEntries(
    Object.entries(raw)
      .filter(([, v]) => v !== undefined && v.trim() !== '')
      .map(([k, v]) => [k, v!.trim()]),
  );
  const parsed = FilterSchema.safeParse(cleaned);
  if (parsed.success) return { ok: true, filter: parsed.data, pageSize };
  const issue = parsed.error.issues[0];
  const field = String(issue?.path[0] ?? 'filter');
  const label = field === 'caseRef' ? 'case' : field;
  if (field === 'outcome') return { ok: false, problem: `"outcome" must be one of: ${DECISIONS.join(', ')}.` };
  return { ok: false, problem: `"${label}" ${issue?.message ?? 'is not valid'}.` };
}

/** A filter as a short human description, e.g. "team 19:abc…, outcome share_with_consent, 2026-11-01 → 2026-11-20". */
export function describeFilter(f: RecordFilter): string {
  const parts: string[] = [];
  if (f.caseRef) parts.push(`case ${f.caseRef}`);
  if (f.team) parts.push(`team ${f.team}`);
  if (f.practitioner) parts.push(`practitioner ${f.practitioner}`);
  if (f.outcome) parts.push(`outcome ${f.outcome}`);
  if (f.from || f.to) parts.push(`${f.from ?? 'any date'} → ${f.to ?? 'today'} (UTC)`);
  return parts.length ? parts.join(' · ') : 'no filters';
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
