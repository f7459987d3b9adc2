/**
 * The one boundary for text a person typed: message text (commands) and free-text card inputs.
 *
 * Two rules, in this order, for every piece of user text:
 *  1. a length limit, checked before anything scans the text (so no pattern ever sees more than a
 *     few thousand characters, whatever the request body holds);
 *  2. one sanitiser: control characters (C0/C1, DEL), invisible format characters (zero-width,
 *     soft hyphen, BOM) and bidirectional controls (U+202A–U+202E, U+2066–U+2069, U+200E/F,
 *     U+061C) are removed. They are invisible in a card and in a spreadsheet, so a stored "U+202E"
 *     could make an exported record read differently from what was typed, and NUL or ESC have no
 *     place in a record (guidance §2, Data Protection Act 1998: personal information must be
 *     "accurate and relevant" and "kept secure"). Tab and line breaks are kept only in multi-line
 *     fields (as "\n").
 *
 * Everything here is a single linear pass (no backtracking patterns): see test/unit/bot/userText.test.ts
 * and the printed timing test test/integration/robustness/patternTiming.test.ts.
 */
import { z } from 'zod';

/** The longest message text read as a command (the longest real command is well under 300 characters). */
export const MAX_MESSAGE_TEXT = 2000;

/** How many entities (mentions, client info) a message may carry before it is refused as malformed. */
export const MAX_MESSAGE_ENTITIES = 100;

// Single characters only (one class, no quantifier over groups): each replace is linear.
const LINE_BREAKS = /\r\n?|[\v\f\u0085\u2028\u2029]/g;
/**
 * Cc (controls), Cf (format: zero-width, bidi controls, soft hyphen, BOM…), Cs (a lone surrogate
 * half), and the letters that render as blank space (U+2800 braille blank, the Hangul fillers
 * U+115F, U+1160, U+3164, U+FFA0): used to hide text or split numbers unseen.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\u115F\u1160\u2800\u3164\uFFA0]/gu;

export interface CleanOptions {
  /** Keep tabs and line breaks (normalised to "\n"); otherwise they become spaces. */
  multiline?: boolean;
}

/** Removes control, format and bidirectional characters; keeps tab and "\n" in multi-line text. */
export function cleanUserText(text: string, opts: CleanOptions = {}): string {
  return text.replace(LINE_BREAKS, '\n').replace(INVISIBLE, (ch: string) => {
    if (ch === '\n' || ch === '\t') return opts.multiline ? ch : ' ';
    return '';
  });
}

/**
 * A zod schema for a free-text input: a string of at most `max` characters (checked first, on
 * the text as received), then cleaned and trimmed. Use it for every text a person types into a card.
 */
export function userTextSchema(max: number, opts: CleanOptions & { tooLong?: string } = {}) {
  return z
    .string()
    .max(max, opts.tooLong ?? `is too long (at most ${max} characters)`)
    .transform((s) => cleanUserText(s, opts).trim());
}

// ---- message text --------------------------------------------------------------------------

const MentionSchema = z.object({
  type: z.string().max(64),
  mentioned: z.object({ id: z.string().max(1024) }),
  text: z.string().max(MAX_MESSAGE_TEXT),
});

const EntitySchema = z.looseObject({ type: z.string().max(64) });

/** What the bot reads of a message to find its command: `text`, the mention entities and the bot's id. */
const MessageTextSchema = z.object({
  text: z.string().nullish(),
  entities: z.array(EntitySchema).max(MAX_MESSAGE_ENTITIES).nullish(),
  recipient: z.object({ id: z.string().max(1024).optional() }).nullish(),
});

export type CommandText = { ok: true; text: string } | { ok: false; reason: 'malformed' | 'too_long'; problem: string };

const MALFORMED =
  'I could not read that message: its text or mentions were not in the form Teams sends. Please type your message again, or type **help**.';
const TOO_LONG = `That message is too long for me to read as a command (at most ${MAX_MESSAGE_TEXT.toLocaleString('en-GB')} characters). Type **help** to see what I can do.`;

/**
 * The command a message carries: its text without the bot's @mention and without markup, with
 * white space collapsed. A message whose text is not a string, or whose entities are malformed, is
 * bad input (answered as such, never a turn error); a text over MAX_MESSAGE_TEXT is refused before
 * any pattern looks at it.
 */
export function commandTextOf(activity: unknown): CommandText {
  const parsed = MessageTextSchema.safeParse(activity);
  if (!parsed.success) return { ok: false, reason: 'malformed', problem: MALFORMED };
  const raw = parsed.data.text ?? '';
  if (raw.length > MAX_MESSAGE_TEXT) return { ok: false, reason: 'too_long', problem: TOO_LONG };

  let text = raw;
  let removed = false;
  const botId = parsed.data.recipient?.id;
  for (const entity of parsed.data.entities ?? []) {
    if (entity.type.toLowerCase() !== 'mention') continue;
    const mention = MentionSchema.safeParse(entity);
    if (!mention.success) return { ok: false, reason: 'malformed', problem: MALFORMED };
    // As TurnContext.removeRecipientMention: the first mention of the bot, removed once (a plain string search).
    if (!removed && botId !== undefined && mention.data.mentioned.id === botId) {
      text = text.replace(mention.data.text, '');
      removed = true;
    }
  }
  return { ok: true, text: collapseSpace(stripTags(cleanUserText(text))) };
}

/**
 * Replaces each "<…>" tag with a space, in one left-to-right pass: a "<" with no ">" after it is
 * kept as text, and so is everything after it (no later "<" can close either).
 */
export function stripTags(text: string): string {
  let out = '';
  let from = 0;
  for (;;) {
    const open = text.indexOf('<', from);
    if (open === -1) break;
    const close = text.indexOf('>', open + 1);
    if (close === -1) break;
    if (close === open + 1) {
      // "<>" is not a tag (the tag needs at least one character inside): keep it as text.
      out += text.slice(from, close);
      from = close;
      continue;
    }
    out += `${text.slice(from, open)} `;
    from = close + 1;
  }
  return out + text.slice(from);
}

function collapseSpace(text: string): string {
  return text
    .replace(/&nbsp;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
