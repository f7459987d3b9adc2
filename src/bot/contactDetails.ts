/**
 * Contact details have no place in a decision record (privacy by design; guidance §4, Recording of
 * Information Sought and Shared: record the decision and what was shared, not how to reach the
 * person; §2, Data Protection Act 1998: processed for limited purposes, and disclosure limited to
 * what is necessary): free text that looks like an email address or a phone number is refused wherever the
 * bot records it. This is the one check every free-text field uses.
 *
 * The text is first brought to one form, so that disguises do not get past:
 *  - "@" and "." written encoded ("%40", "&#64;", "&commat;", "%2E", "&period;…") decoded;
 *  - NFKC (full-width, mathematical and circled digits, "＠", "．"), lower case;
 *  - invisible characters removed (zero-width, bidi and other format characters, combining marks);
 *  - every kind of white space becomes one space (blank-looking letters too: U+2800 braille blank,
 *    the Hangul fillers), every dash and minus sign "-";
 *  - in a word that holds digits, the letters o / i / l are read as 0 / 1 / 1 ("O77OO 9OO l23");
 *  - for email addresses, "(at)", "[at]", " at " become "@", and "(dot)", " dot " become ".";
 *    three or more single characters spaced out ("j s m i t h @ g m a i l . c o m") are joined;
 *  - for phone numbers, number words are read as digits ("zero seven seven", "double oh",
 *    "nine hundred"); "oh" counts as a zero only next to real digits, like the letter o.
 *
 * Then two scans, each a single pass over the text (no backtracking patterns, so a hostile text
 * of any length costs linear time; callers also cap the length first, see userText.ts):
 *  - an email address: a local part, an "@" and a domain. A bare "@" ("alice@localhost") is enough;
 *    a spelled or spaced one ("alice at example dot com", "alice @ example.com") needs a domain
 *    ending in a well-known suffix, so "seen at school" and "met at 10.30" are not addresses;
 *  - a phone number: digits in groups joined by up to four separators (space - . / ( ) _ + …, or
 *    a lone "," or ":"), ten digits or more (eight after a "+"). Dates (12.11.2026, 2026-11-12) and times (10.30)
 *    split a run, so "on 12.11.2026 10.30" is not a number, and "aged 3, 5 and 7" is not one run.
 *    Digits glued to letters ("CR-2026-001234", "LA/2026/1234567") are an identifier such as a
 *    case reference, unless they start as a number does ("tel07700900123", "ref+44…").
 */

export type ContactDetail = 'email address' | 'phone number';

/** The kind of contact detail found in the text, if any. */
export function findContactDetail(text: string): ContactDetail | undefined {
  const form = scanForm(text);
  if (hasEmailAddress(emailForm(form))) return 'email address';
  if (hasPhoneNumber(phoneForm(form))) return 'phone number';
  return undefined;
}

// ---- one form for scanning -------------------------------------------------------------------

/** Every replace below is a single character class (or a bounded literal): linear time. */
function scanForm(text: string): string {
  return text
    .replace(ENCODED_MARK, (m) => (DECODED_DOT.has(m.toLowerCase()) ? '.' : '@'))
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{Cf}\p{Mn}\p{Me}]/gu, '')
    .replace(/[\p{Cc}\p{Z}\u115F\u1160\u2800\u3164\uFFA0]+/gu, ' ')
    .replace(/[\p{Pd}\u2212\u2043\u02D7]/gu, '-')
    .replace(/[\u00B7\u2022\u2027\u2219\u30FB\u3002]/g, '.');
}

/** "@" and "." percent- or HTML-encoded (fixed literals only: linear). */
const ENCODED_MARK = /%40|%2e|&#64;|&#x40;|&commat;|&#46;|&#x2e;|&period;/gi;
const DECODED_DOT = new Set(['%2e', '&#46;', '&#x2e;', '&period;']);

/** For phone numbers only (an address may well be "li1@…"): letters standing in for digits read as digits. */
function phoneForm(form: string): string {
  return readNumberWords(form).replace(/[\p{L}\p{N}]+/gu, readConfusableDigits);
}

const NUMBER_WORDS = new Map([
  ['zero', '0'],
  ['nought', '0'],
  ['oh', 'o'],
  ['one', '1'],
  ['two', '2'],
  ['three', '3'],
  ['four', '4'],
  ['five', '5'],
  ['six', '6'],
  ['seven', '7'],
  ['eight', '8'],
  ['nine', '9'],
]);
const REPEATS = new Map([
  ['double', 2],
  ['treble', 3],
  ['triple', 3],
]);

/**
 * Spoken digits as digits, word by word (one pass): "zero seven seven" → "0 7 7", "double oh" →
 * "oo" (zeros only next to real digits, as for the letter o), "nine hundred" → "9 00". Words on
 * their own stay short runs: "seven children", "one or two" and "at ten past nine" are no number.
 */
function readNumberWords(form: string): string {
  const words = form.split(' ');
  const out: string[] = [];
  for (let k = 0; k < words.length; k++) {
    const raw = words[k]!;
    // "… one two three." — the sentence's full stop (or comma) stays, after the digit.
    const stop = raw.length > 1 && END_PUNCTUATION.has(raw[raw.length - 1]!) ? raw[raw.length - 1]! : '';
    const word = stop ? raw.slice(0, -1) : raw;
    if (stop && NUMBER_WORDS.has(word)) {
      out.push(NUMBER_WORDS.get(word)! + stop);
      continue;
    }
    const times = REPEATS.get(word);
    const next = words[k + 1];
    const nextDigit =
      next === undefined ? undefined : (NUMBER_WORDS.get(next) ?? (/^[0-9o]$/.test(next) ? next : undefined));
    if (times !== undefined && nextDigit !== undefined) {
      out.push(nextDigit.repeat(times));
      k++;
    } else if (word === 'hundred' && /[0-9]$/.test(out[out.length - 1] ?? '')) {
      out.push('00');
    } else {
      out.push(NUMBER_WORDS.get(word) ?? raw);
    }
  }
  return out.join(' ');
}

const DIGIT = /^\p{Nd}$/u;
const ONLY_DIGITS_AND_CONFUSABLES = /^[\p{Nd}oil]+$/u;
const HAS_DIGIT = /\p{Nd}/u;

/**
 * A digit one written as the letter i or l. Kept apart from a real "1" so that "x-l0770…" is not
 * taken for an identifier's digits (see `identifier` below); counted as a digit like any other.
 */
const ONE_LOOKALIKE = '\uE001';

/** "o77oo" → "07700", "l23" → "123": only in a word that already holds a digit and nothing else but o / i / l. */
function readConfusableDigits(word: string): string {
  if (!HAS_DIGIT.test(word) || !ONLY_DIGITS_AND_CONFUSABLES.test(word)) return word;
  let out = '';
  for (const ch of word) out += ch === 'o' ? '0' : ch === 'i' || ch === 'l' ? ONE_LOOKALIKE : ch;
  return out;
}

// ---- email addresses -------------------------------------------------------------------------

/** "@" written out in full: replaced by this marker, which needs a well-known domain suffix to count. */
const SPELLED_AT = '\u0001';

function emailForm(form: string): string {
  return joinSpacedCharacters(form)
    .replace(/@+/g, '@')
    .replace(/ ?[([{<] ?(?:at|@) ?[)\]}>] ?/g, '@')
    .replace(/ ?[([{<] ?(?:dot|\.) ?[)\]}>] ?/g, '.')
    .replace(/ (?:dot|\.) /g, '.')
    .replace(/ @ | @|@ | at /g, SPELLED_AT);
}

/**
 * "j s m i t h @ g m a i l . c o m" → "jsmith@gmail.com", with its "@" counted as spelled out (so
 * it needs a well-known domain suffix, like " @ "): three or more single characters in a row, each
 * separated by one space. Fewer ("Child A at…") are left alone; "a b c" becomes "abc", harmlessly.
 */
const END_PUNCTUATION = new Set(['.', ',', ';', ':', '!', '?', ')']);

function joinSpacedCharacters(form: string): string {
  const out: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length >= 3) out.push(run.join('').replace(/@/g, SPELLED_AT));
    else out.push(...run);
    run = [];
  };
  for (const word of form.split(' ')) {
    if (word.length === 1) run.push(word);
    else if (run.length > 0 && word.length === 2 && END_PUNCTUATION.has(word[1]!)) {
      // The last letter of a sentence ("… n e t."): part of the run, and its end.
      run.push(word);
      flush();
    } else {
      flush();
      out.push(word);
    }
  }
  flush();
  return out.join(' ');
}

/** Domain suffixes that a spelled-out "at" must end in (not English words: "at home. It was…" stays prose). */
const WELL_KNOWN_SUFFIXES = new Set([
  'com',
  'net',
  'org',
  'uk',
  'gov',
  'nhs',
  'ac',
  'sch',
  'edu',
  'mil',
  'int',
  'info',
  'biz',
  'io',
  'eu',
  'ie',
  'scot',
  'wales',
  'cymru',
  'london',
  'police',
  'email',
  'mail',
  'online',
  'app',
  'dev',
  'cloud',
  'co',
]);

const LOCAL_CHAR = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~.-]$/u;
const DOMAIN_CHAR = /^[\p{L}\p{N}.-]$/u;
const LETTER = /\p{L}/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * Each "@" looks back over its local part and forward over its domain. Neither can cross another
 * "@", so every character is looked at at most twice: linear time, however many "@" there are.
 */
function hasEmailAddress(s: string): boolean {
  for (let at = 0; at < s.length; at++) {
    const mark = s[at];
    if (mark !== '@' && mark !== SPELLED_AT) continue;
    let start = at;
    while (start > 0 && LOCAL_CHAR.test(s[start - 1]!)) start--;
    let end = at + 1;
    while (end < s.length && DOMAIN_CHAR.test(s[end]!)) end++;
    if (isAddress(s.slice(start, at), s.slice(at + 1, end), mark === '@')) return true;
  }
  return false;
}

function isAddress(local: string, domain: string, bareAt: boolean): boolean {
  const labels = domain.split('.').filter((l) => LETTER_OR_DIGIT.test(l));
  if (labels.length === 0) return false;
  // A bare "@" with any local part ("!@a.example" is a valid address) and a domain with a letter.
  if (bareAt) return local !== '' && LETTER.test(domain);
  return LETTER_OR_DIGIT.test(local) && labels.length >= 2 && WELL_KNOWN_SUFFIXES.has(labels[labels.length - 1]!);
}

// ---- phone numbers ---------------------------------------------------------------------------

const MIN_DIGITS = 10;
const MIN_DIGITS_AFTER_PLUS = 8;
/** At most this many separator characters between two groups of digits ("07700 - 900 - 123"). */
const MAX_SEPARATOR_RUN = 4;
const SEPARATORS = new Set([' ', '-', '.', '/', '\\', '(', ')', '[', ']', '{', '}', '_', '|', '+', '*', '~', ',', ':']);
/** Separators that join groups only on their own ("07700,900,123"): "3, 5, 7" and "10: 30" are prose. */
const LONE_SEPARATORS = new Set([',', ':']);
/** What joins the parts of an identifier: "CR-2026", "LA/2026", "SCR_2026", "REF.2026". */
const GLUE = new Set(['-', '/', '_', '.']);
const WORD_CHAR = /^[\p{L}\p{N}]$/u;

// ASCII first (the common case, and what a hostile text is made of), Unicode classes otherwise.
function isWordChar(ch: string): boolean {
  const c = ch.charCodeAt(0);
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
  return ch === ONE_LOOKALIKE || WORD_CHAR.test(ch);
}
function isDigit(ch: string): boolean {
  const c = ch.charCodeAt(0);
  if (c < 128) return c >= 48 && c <= 57;
  return ch === ONE_LOOKALIKE || DIGIT.test(ch);
}

interface Group {
  digits: string;
  /** False for a word of letter o's on its own ("O 7 7 O O …"): zeros only next to real digits. */
  real: boolean;
  /** The separators between the previous group and this one ('' for the first). */
  before: string;
}

/** Tokens in one left-to-right pass; each run of groups is judged once, when it ends. */
function hasPhoneNumber(s: string): boolean {
  let run: Group[] = [];
  let plus = false;
  let runHasDigits = false;
  let separators = '';
  let separatorCount = 0;
  let plusBefore = false;
  /** The last token was letters ("CR"), so digits glued to it ("CR-2026-001234") are part of an identifier. */
  let afterLetters = false;
  let glued = false;
  let firstDigit = '';
  const endRun = (): boolean => {
    if (run.length === 0) return false;
    // An identifier such as a case reference is not a number, unless its digits start like one (0 or +).
    const identifier = glued && !plus && firstDigit !== '0' && firstDigit !== ONE_LOOKALIKE;
    const found = runHasDigits && !identifier && isPhoneRun(run, plus);
    run = [];
    plus = false;
    runHasDigits = false;
    glued = false;
    firstDigit = '';
    return found;
  };
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if (isWordChar(ch)) {
      // Digits and letters are separate tokens: "tel07700900123" still holds a number.
      const digits = isDigit(ch);
      let j = i;
      while (j < s.length && isWordChar(s[j]!) && isDigit(s[j]!) === digits) j++;
      const wholeWord = (i === 0 || !isWordChar(s[i - 1]!)) && (j === s.length || !isWordChar(s[j]!));
      const group = groupOf(s.slice(i, j), separators, wholeWord);
      if (!group) {
        if (endRun()) return true;
        afterLetters = !digits;
      } else {
        const tooLong =
          separatorCount > MAX_SEPARATOR_RUN ||
          (separatorCount > 1 && [...separators].some((c) => LONE_SEPARATORS.has(c)));
        if (run.length > 0 && tooLong && endRun()) return true;
        if (run.length === 0) {
          group.before = '';
          glued = afterLetters && (separatorCount === 0 || (separatorCount === 1 && GLUE.has(separators)));
        }
        // A "+" before the first real digits marks an international number ("o +44…" too).
        if (!runHasDigits) plus ||= plusBefore;
        if (!runHasDigits && group.real) firstDigit = group.digits[0]!;
        runHasDigits ||= group.real;
        run.push(group);
        afterLetters = false;
      }
      separators = '';
      separatorCount = 0;
      plusBefore = false;
      i = j;
    } else if (SEPARATORS.has(ch)) {
      // Only the first few are kept: a longer run ends the number anyway.
      if (separatorCount <= MAX_SEPARATOR_RUN) separators += ch;
      separatorCount++;
      plusBefore ||= ch === '+';
      i++;
    } else {
      if (endRun()) return true;
      separators = '';
      separatorCount = 0;
      plusBefore = false;
      afterLetters = false;
      i++;
    }
  }
  return endRun();
}

/** A run of digits as a group; a word of letter o's on its own as zeros; anything else ends a number. */
function groupOf(token: string, before: string, wholeWord: boolean): Group | undefined {
  if (isDigit(token[0]!)) return { digits: token, real: true, before };
  if (wholeWord && token.length <= 5 && /^o+$/.test(token))
    return { digits: '0'.repeat(token.length), real: false, before };
  return undefined;
}

/** A run is a number when, with dates and times taken out, a stretch of it has enough digits. */
function isPhoneRun(run: Group[], plus: boolean): boolean {
  let count = 0;
  let segmentPlus = plus;
  for (let k = 0; k < run.length;) {
    const skip = dateOrTimeAt(run, k);
    if (skip > 0) {
      if (enoughDigits(count, segmentPlus)) return true;
      count = 0;
      segmentPlus = false;
      k += skip;
      continue;
    }
    count += run[k]!.digits.length;
    // Dates and times only split a stretch, never shorten it: enough digits so far is enough.
    if (enoughDigits(count, segmentPlus)) return true;
    k++;
  }
  return false;
}

function enoughDigits(count: number, plus: boolean): boolean {
  return count >= MIN_DIGITS || (plus && count >= MIN_DIGITS_AFTER_PLUS);
}

const num = (g: Group) => Number(g.digits);
const len = (g: Group) => g.digits.length;

/** How many groups from k form a date (3: 12.11.2026, 12/11/26, 2026-11-12) or a time (2: 10.30); else 0. */
function dateOrTimeAt(run: Group[], k: number): number {
  const [a, b, c] = [run[k], run[k + 1], run[k + 2]];
  if (!a?.real || !b?.real) return 0;
  if (c?.real && ['.', '/', '-'].includes(b.before) && c.before === b.before) {
    const dayMonth = (d: Group, m: Group) =>
      len(d) <= 2 && len(m) <= 2 && num(d) >= 1 && num(d) <= 31 && num(m) >= 1 && num(m) <= 12;
    if ((len(c) === 2 || len(c) === 4) && (dayMonth(a, b) || dayMonth(b, a))) return 3;
    if (len(a) === 4 && len(c) <= 2 && dayMonth(c, b)) return 3;
  }
  if ((b.before === '.' || b.before === ':') && len(a) <= 2 && len(b) === 2 && num(a) <= 23 && num(b) <= 59) return 2;
  return 0;
}
