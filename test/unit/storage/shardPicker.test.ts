/** Concurrent records of one tenant in one process take different counter shards (no ETag collisions between them). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { COUNTER_SHARDS, ShardPicker } from '../../../src/storage/decisionCounters';

describe('ShardPicker', () => {
  it('gives concurrent writes of one tenant different shards until all are in use', () => {
    const picker = new ShardPicker();
    const held = Array.from({ length: COUNTER_SHARDS }, () => picker.take('tenant-a'));
    assert.equal(new Set(held.map((h) => h.shard)).size, COUNTER_SHARDS);
    for (const h of held) assert.ok(Number.isInteger(h.shard) && h.shard >= 0 && h.shard < COUNTER_SHARDS);
    // All in use: still a valid shard (the ETag check and retry then keep the count exact).
    const extra = picker.take('tenant-a');
    assert.ok(extra.shard >= 0 && extra.shard < COUNTER_SHARDS);
    extra.release();
    // A released shard is the only free one, so it is the one handed out next.
    held[3]!.release();
    const next = picker.take('tenant-a');
    assert.equal(next.shard, held[3]!.shard);
  });

  it('keeps tenants apart, and a release of an over-subscribed take frees nothing', () => {
    const picker = new ShardPicker();
    const a = Array.from({ length: COUNTER_SHARDS }, () => picker.take('tenant-a'));
    const b = picker.take('tenant-b');
    assert.ok(b.shard >= 0 && b.shard < COUNTER_SHARDS, 'tenant b is not held back by tenant a');
    const over = picker.take('tenant-a');
    over.release();
    a[0]!.release();
    // Only a[0]'s shard is free: the over-subscribed release did not free the shard it shared.
    assert.equal(picker.take('tenant-a').shard, a[0]!.shard);
  });
});
