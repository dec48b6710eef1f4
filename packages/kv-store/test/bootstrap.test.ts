import { describe, expect, it } from 'vitest';
import { type Doc, freshTopic, openStore } from './helpers.js';

describe('bootstrap', () => {
  it('a fresh instance rebuilds exactly the expected map from a topic with overwrites and tombstones', async () => {
    const topic = freshTopic('boot');
    const writer = await openStore(topic);
    const expected = new Map<string, { value: Doc; version: number }>();
    const keys = Array.from({ length: 300 }, (_, i) => `grp_Key${i}`);
    // Three rounds of writes, every key overwritten, every third key deleted, every ninth recreated.
    for (let round = 0; round < 3; round += 1) {
      await Promise.all(
        keys.map(async (key, i) => {
          const put = await writer.put(key, { n: round * 1000 + i });
          expected.set(key, put);
        }),
      );
    }
    await Promise.all(
      keys.map(async (key, i) => {
        if (i % 3 !== 0) return;
        const version = await writer.delete(key);
        expect(version).toBe(4);
        expected.delete(key);
      }),
    );
    await Promise.all(
      keys.map(async (key, i) => {
        if (i % 9 !== 0) return;
        const put = await writer.put(key, { n: -i }, { expectedVersion: 0 });
        expect(put.version).toBe(5);
        expected.set(key, put);
      }),
    );
    expect(new Map(writer.snapshot())).toEqual(expected);

    const fresh = await openStore(topic, { readOnly: true });
    // Ready means the end offsets captured at start were read: no waiting after start().
    expect(fresh.size).toBe(expected.size);
    expect(new Map(fresh.snapshot())).toEqual(expected);
    expect([...fresh.keys()].sort()).toEqual([...expected.keys()].sort());
    expect(fresh.metrics.recordsApplied).toBe(300 * 3 + 100 + 34);
    expect(fresh.metrics.bootstrapDurationMs).toBeGreaterThanOrEqual(0);
    expect(fresh.metrics.lag).toBe(0);
  });

  it('reads before ready throw KV_NOT_READY and ready() resolves after start()', async () => {
    const store = await openStore(freshTopic('ready'), {}, false);
    expect(() => store.get('x')).toThrowError(
      expect.objectContaining({ code: 'KV_NOT_READY', retryable: true }),
    );
    expect(store.isReady).toBe(false);
    const ready = store.ready();
    await store.start();
    await ready;
    expect(store.isReady).toBe(true);
  });
});
