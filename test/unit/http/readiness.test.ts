import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cachedReadiness } from '../../../src/http/readiness';

/** A probe that never answers until aborted, as a hung storage account behaves. */
const hung = (calls: { n: number }) => (signal: AbortSignal) =>
  new Promise<void>((_resolve, reject) => {
    calls.n++;
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });

describe('readiness probe (/readyz)', () => {
  test('a hung probe is aborted after the timeout and counts as not ready', async () => {
    const calls = { n: 0 };
    const ready = cachedReadiness(hung(calls), { timeoutMs: 50, ttlMs: 0 });
    const started = performance.now();
    assert.equal(await ready(), false);
    const took = performance.now() - started;
    assert.ok(took >= 45 && took < 1_000, `answered after ${took} ms`);
  });

  test('concurrent callers share one probe, and its answer is reused until the TTL passes', async () => {
    let clock = 0;
    let calls = 0;
    const ready = cachedReadiness(
      async () => {
        calls++;
      },
      { timeoutMs: 1_000, ttlMs: 5_000, now: () => clock },
    );
    assert.deepEqual(await Promise.all([ready(), ready(), ready()]), [true, true, true]);
    assert.equal(calls, 1);
    clock = 4_999;
    assert.equal(await ready(), true);
    assert.equal(calls, 1);
    clock = 5_000;
    assert.equal(await ready(), true);
    assert.equal(calls, 2);
  });

  test('a failing probe is not ready, and a later success is seen after the TTL', async () => {
    let clock = 0;
    let fail = true;
    const ready = cachedReadiness(
      async () => {
        if (fail) throw new Error('storage down');
      },
      { timeoutMs: 1_000, ttlMs: 100, now: () => clock },
    );
    assert.equal(await ready(), false);
    fail = false;
    assert.equal(await ready(), false, 'cached');
    clock = 100;
    assert.equal(await ready(), true);
  });
});
