/**
 * Key escaping is part of the storage layout: every key already written must still be produced
 * for the same input. The fast path for inputs that need no escaping must agree with the
 * byte-by-byte rule, and the encoding must stay injective and free of the '|' separator.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeKeyPart, encodeKeyPart } from '../../../src/storage/keys';

/** The rule as documented: [A-Za-z0-9-_.] stay, every other UTF-8 byte becomes ~XX (upper-case hex). */
function reference(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.]/.test(ch) ? ch : `~${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

describe('encodeKeyPart', () => {
  it('leaves GUIDs, record ids and codes unchanged', () => {
    for (const id of [
      'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
      'D-20261126-7F3KQ2',
      'share_without_consent_justified',
      'a.b',
      '',
    ])
      assert.equal(encodeKeyPart(id), id);
  });

  it('escapes separators, key-forbidden characters, "~" and non-ASCII as ~XX per UTF-8 byte', () => {
    assert.equal(encodeKeyPart('a|b'), 'a~7Cb');
    assert.equal(encodeKeyPart('29:abc/def#?\\'), '29~3Aabc~2Fdef~23~3F~5C');
    assert.equal(encodeKeyPart('~'), '~7E');
    assert.equal(encodeKeyPart('é'), '~C3~A9');
    assert.equal(encodeKeyPart('\u0000 '), '~00~20');
  });

  it('matches the byte-by-byte rule for any string, never contains "|", and round-trips', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.stringMatching(/^[A-Za-z0-9\-_.~|:]{0,40}$/)),
        (s) => {
          const encoded = encodeKeyPart(s);
          assert.equal(encoded, reference(s));
          assert.ok(!encoded.includes('|'));
          assert.equal(decodeKeyPart(encoded), Buffer.from(s, 'utf8').toString('utf8'));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
