/** The chart cache: bounded (least recently used goes first), entries gone when their link expires. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ChartCache, type CachedChart } from '../../../src/bot/features/summary/chartCache';

const chart = (): CachedChart => ({ png: Promise.resolve(Buffer.from('png')) });

describe('chart cache', () => {
  it('keeps at most its bound, dropping the least recently used', () => {
    const cache = new ChartCache(3);
    const a = chart();
    cache.set('a', a, 1_000, 0);
    cache.set('b', chart(), 1_000, 0);
    cache.set('c', chart(), 1_000, 0);
    assert.equal(cache.get('a', 1), a); // a is now the most recently used
    cache.set('d', chart(), 1_000, 2);
    assert.equal(cache.size, 3);
    assert.equal(cache.get('b', 3), undefined, 'b was the least recently used');
    assert.equal(cache.get('a', 3), a);
    for (let i = 0; i < 500; i++) cache.set(`x${i}`, chart(), 1_000, 4);
    assert.equal(cache.size, 3);
  });

  it('forgets a link once it expires, and a failed entry only if it is still the one cached', () => {
    const cache = new ChartCache(10);
    const a = chart();
    cache.set('a', a, 100, 0);
    assert.equal(cache.get('a', 99), a);
    assert.equal(cache.get('a', 100), undefined);
    assert.equal(cache.size, 0);
    const first = chart();
    const second = chart();
    cache.set('k', first, 100, 0);
    cache.set('k', second, 100, 0);
    cache.delete('k', first);
    assert.equal(cache.get('k', 1), second);
  });
});
