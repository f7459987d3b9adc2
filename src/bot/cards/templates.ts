/**
 * Adaptive Card templates live as JSON in /cards and are expanded with adaptivecards-templating.
 * No card JSON is built by string concatenation: views supply data, templates supply layout.
 *
 * User text is data, never template. adaptivecards-templating itself never evaluates a data value
 * (a `${…}` inside a substituted string is copied as it is, and so are `$data`, `$when`, `\${`, `@{`
 * and object keys in inserted objects). What it does do is leave an expression it could not
 * resolve (an undefined path, an unknown function) in the output as literal `${…}` text, so a
 * template bug has to be caught by looking at the output — where, without care, a practitioner's
 * `${boom}` looks exactly like one. So every data string is *sealed* before expansion: replaced by
 * a token made of private-use characters and digits, which cannot contain `${`. After expansion
 * any `${` left in the output can only have come from the template (a bug, reported without any
 * data), and the tokens are then swapped back for the original strings, untouched.
 *
 * Consequence for templates: they may place strings and test booleans, numbers and counts, but
 * must not compute on string values (a string function would see the token, not the text).
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import * as ACData from 'adaptivecards-templating';
import { projectRoot } from '../../projectRoot';

export type AdaptiveCard = Record<string, unknown> & { type: 'AdaptiveCard'; version: string };

export const CARDS_DIR = path.join(projectRoot, 'cards');

const cache = new Map<string, ACData.Template>();

function templateFor(name: string): ACData.Template {
  let template = cache.get(name);
  if (!template) {
    const json: unknown = JSON.parse(readFileSync(path.join(CARDS_DIR, `${name}.json`), 'utf8'));
    template = new ACData.Template(json);
    cache.set(name, template);
  }
  return template;
}

/** Names of every template in /cards (for tests that validate them all). */
export function templateNames(): string[] {
  return readdirSync(CARDS_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/**
 * A template expression the library could not resolve (it leaves `${…}` in place). Always a bug in
 * a template or a view model. The message names the card only, never data.
 */
export class UnresolvedTemplateError extends Error {
  constructor(readonly card: string) {
    super(`card "${card}" has an unresolved template expression`);
    this.name = 'UnresolvedTemplateError';
  }
}

// Private-use code points: never in a template, and every data string is sealed, so in the
// expanded output they only ever delimit tokens.
const OPEN = '\uE000';
const CLOSE = '\uE001';
const TOKEN = /\uE000(\d+)\uE001/g;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null &&
  typeof value === 'object' &&
  [Object.prototype, null].includes(Object.getPrototypeOf(value) as object | null);

/** A copy of `data` with every non-empty string replaced by a token; `strings[n]` is token n's text. */
function seal(value: unknown, strings: string[]): unknown {
  if (typeof value === 'string') {
    if (value === '') return value;
    strings.push(value);
    return `${OPEN}${strings.length - 1}${CLOSE}`;
  }
  if (Array.isArray(value)) return value.map((v) => seal(v, strings));
  // View models are plain data; anything else (a Date, say) is passed through as it is.
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = seal(v, strings);
    return out;
  }
  return value;
}

/** Throws if a string in the expanded (still sealed) card holds `${`; then swaps the tokens back. */
function unseal(value: unknown, strings: readonly string[], card: string): unknown {
  if (typeof value === 'string') {
    if (value.includes('${')) throw new UnresolvedTemplateError(card);
    return value.includes(OPEN) ? value.replace(TOKEN, (_, n: string) => strings[Number(n)] ?? '') : value;
  }
  if (Array.isArray(value)) return value.map((v) => unseal(v, strings, card));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = unseal(v, strings, card);
    return out;
  }
  return value;
}

export function renderCard(name: string, data: object): AdaptiveCard {
  const strings: string[] = [];
  const expanded = templateFor(name).expand({ $root: seal(data, strings) });
  const card = unseal(expanded, strings, name) as AdaptiveCard;
  delete card.$schema;
  return card;
}
