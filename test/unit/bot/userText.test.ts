/**
 * The shared boundary for typed text (src/bot/userText.ts) and the CSV formula guard
 * (src/bot/features/records/csv.ts): control and bidi characters are removed, lengths are checked
 * before anything else, mentions and tags come out of commands as before, and a formula sign in
 * any NFKC form is neutralised.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { MAX_MESSAGE_TEXT, cleanUserText, commandTextOf, stripTags, userTextSchema } from '../../../src/bot/userText';
import { exportText, neutraliseCell } from '../../../src/bot/features/records/csv';

const CONTROLS = [
  '\u0000',
  '\u0007',
  '\u001B',
  '\u007F',
  '\u009B',
  '\u200B',
  '\u200E',
  '\u200F',
  '\u061C',
  '\u202A',
  '\u202B',
  '\u202C',
  '\u202D',
  '\u202E',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\uFEFF',
  '\u00AD',
  '\uD800',
];

describe('userText: one sanitiser for typed text', () => {
  it('removes NUL, ESC, C0/C1 controls, zero-width, bidi controls and lone surrogates', () => {
    for (const ch of CONTROLS)
      assert.equal(cleanUserText(`duty${ch} officer`), 'duty officer', `U+${ch.charCodeAt(0).toString(16)}`);
    assert.equal(cleanUserText('\u202Ereh\u202C \u001B[31mred\u0000'), 'reh [31mred');
  });

  it('removes the letters that render blank (braille blank, Hangul fillers) used to split numbers unseen', () => {
    assert.equal(cleanUserText('07700\u2800900\u3164123\u115F4\u1160\uFFA05'), '0770090012345');
  });

  it('keeps tab and line breaks (as \\n) only in multi-line text', () => {
    assert.equal(cleanUserText('a\r\nb\rc\u2028d\te\u0085f', { multiline: true }), 'a\nb\nc\nd\te\nf');
    assert.equal(cleanUserText('a\r\nb\rc\u2028d\te'), 'a b c d e');
  });

  it('keeps ordinary text of any script unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
        // Controls, and the letters that render blank (removed on purpose: see the test above), are not "ordinary".
        const visible = [...s]
          .filter((ch) => !/[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029\u115F\u1160\u2800\u3164\uFFA0]/u.test(ch))
          .join('');
        assert.equal(cleanUserText(visible, { multiline: true }), visible.replace(/\r\n?/g, '\n'));
      }),
      { numRuns: 200 },
    );
  });

  it('checks the length on the text as received, before it is cleaned or scanned', () => {
    let scanned = 0;
    const schema = userTextSchema(10).superRefine(() => void scanned++);
    assert.equal(schema.safeParse('x'.repeat(11)).success, false);
    assert.equal(scanned, 0);
    assert.deepEqual(schema.safeParse(' a\u202Eb ').data, 'ab');
    assert.equal(scanned, 1);
  });
});

describe('userText: command text of a message', () => {
  const bot = { id: '28:bot', name: 'Can I share?' };
  const mention = { type: 'mention', mentioned: bot, text: '<at>Can I share?</at>' };

  it('removes the bot mention and tags, collapses white space (as before)', () => {
    assert.deepEqual(
      commandTextOf({ text: '<at>Can I share?</at>  my&nbsp;decisions', entities: [mention], recipient: bot }),
      { ok: true, text: 'my decisions' },
    );
    assert.deepEqual(commandTextOf({ text: '<p>start</p>', recipient: bot }), { ok: true, text: 'start' });
    assert.deepEqual(commandTextOf({ recipient: bot }), { ok: true, text: '' });
    assert.deepEqual(commandTextOf({ text: 'case\u202E 12\u0000', recipient: bot }), { ok: true, text: 'case 12' });
  });

  it('strips tags exactly as /<[^>]+>/g did, in one pass', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('<', '>', 'a', ' ', '/'), maxLength: 30 }), (s) => {
        assert.equal(stripTags(s), s.replace(/<[^>]+>/g, ' '));
      }),
      { numRuns: 500 },
    );
  });

  it('refuses text that is not a string, and malformed entities, as bad input', () => {
    for (const text of [42, { a: 1 }, ['start'], true]) {
      const r = commandTextOf({ text, recipient: bot });
      assert.equal(r.ok, false);
      assert.equal(!r.ok && r.reason, 'malformed');
    }
    for (const entities of [
      'mention',
      [null],
      [{ type: 7 }],
      [{ type: 'mention' }],
      [{ type: 'mention', mentioned: 'bot', text: 'x' }],
      { length: 1, 0: { type: 'mention' } },
    ]) {
      const r = commandTextOf({ text: 'start', entities, recipient: bot });
      assert.equal(!r.ok && r.reason, 'malformed', JSON.stringify(entities));
    }
    assert.equal(
      commandTextOf({ text: 'start', entities: [{ type: 'clientInfo', locale: 'en-GB' }], recipient: bot }).ok,
      true,
    );
  });

  it('refuses text over the limit before looking at it', () => {
    const r = commandTextOf({ text: '<'.repeat(MAX_MESSAGE_TEXT + 1), recipient: bot });
    assert.equal(!r.ok && r.reason, 'too_long');
    assert.equal(commandTextOf({ text: `help ${'x'.repeat(MAX_MESSAGE_TEXT - 5)}`, recipient: bot }).ok, true);
  });
});

describe('CSV formula guard', () => {
  it('neutralises = + - @ in every NFKC form, after leading spaces and invisible characters', () => {
    for (const cell of [
      '＝1+1',
      '﹦1+1',
      '＋44 20',
      '﹢1',
      '－1',
      '﹣1',
      '−1',
      '–1',
      '＠SUM(A1)',
      '﹫SUM(A1)',
      ' =1+1',
      '\u200B=1+1',
      '\u202E=1+1',
      '\u00A0@SUM(A1)',
      `${' '.repeat(100)}=1`,
      '=1+1',
      '\t=1',
      '\r=1',
    ]) {
      assert.equal(neutraliseCell(cell), `'${cell}`, JSON.stringify(cell));
    }
    for (const cell of [
      'duty officer',
      'D-20261126-7F3KQ2',
      '2026-11-26T10:30:00.000Z',
      'a=b',
      'share_with_consent',
      '',
    ])
      assert.equal(neutraliseCell(cell), cell);
  });

  it('exported text has control and bidi characters removed, line breaks kept', () => {
    assert.equal(exportText('told\u202E\u0000 mum\nlater'), 'told mum\nlater');
    assert.equal(exportText('\u202E=HYPERLINK("x")'), `'=HYPERLINK("x")`);
  });
});
