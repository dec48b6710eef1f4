import { createTestKafka } from '@labeldocs/testkit';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Change } from '../src/index.js';
import { type Doc, freshTopic, openStore } from './helpers.js';

/** Writes state records straight to the topic, as another tool (or an older schema) could have. */
async function produceRaw(topic: string, records: Array<[string, string, number]>): Promise<void> {
  const producer = createTestKafka().producer({ idempotent: true, maxInFlightRequests: 1 });
  onTestFinished(() => producer.disconnect().catch(() => undefined));
  await producer.connect();
  await producer.send({
    topic,
    acks: -1,
    messages: records.map(([key, value, version]) => ({
      key,
      value,
      headers: { 'kv-version': String(version) },
    })),
  });
}

describe('records the codec rejects', () => {
  it('are never served: the newest record decides, so the key reads as absent on every instance, lazy or eager', async () => {
    const topic = freshTopic('invalid');
    await (await openStore(topic)).close(); // creates the topics with the store's config
    await produceRaw(topic, [
      ['grp_A', '{"n":1}', 1],
      ['grp_A', '{"n":"not a number"}', 2],
      ['grp_B', 'not json', 1],
      ['grp_C', '{"n":3}', 1],
    ]);

    const lazy = await openStore(topic, { readOnly: true });
    const eager = await openStore(topic, { readOnly: true, decode: 'eager' });
    const subscribed = await openStore(topic, { readOnly: true }, false);
    const seen: Change<Doc>[] = [];
    subscribed.subscribe((c) => seen.push(c));
    await subscribed.start();

    // Eager and subscribed stores decode while applying: everything is counted at ready.
    expect(eager.metrics.invalidRecords).toBe(2);
    expect(subscribed.metrics.invalidRecords).toBe(2);
    expect(eager.size).toBe(1);
    // A lazy store has decoded nothing yet; reading finds the bad records, counts each once and skips them.
    expect(lazy.metrics.invalidRecords).toBe(0);
    for (const store of [lazy, eager, subscribed]) {
      expect(store.get('grp_A')).toBeUndefined();
      expect(store.get('grp_B')).toBeUndefined();
      expect(store.get('grp_C')).toEqual({ value: { n: 3 }, version: 1 });
      expect([...store.keys()]).toEqual(['grp_C']);
      expect(new Map(store.snapshot())).toEqual(new Map([['grp_C', { value: { n: 3 }, version: 1 }]]));
      expect(store.size).toBe(1);
      expect(store.metrics.invalidRecords).toBe(2);
    }
    lazy.get('grp_A');
    expect(lazy.metrics.invalidRecords).toBe(2);
    // A subscriber sees the invalid record as the key going away, with the decoded value it had before.
    const a = seen.filter((c) => c.key === 'grp_A').map((c) => [c.version, c.previous, c.current]);
    expect(a).toEqual([
      [1, undefined, { value: { n: 1 }, version: 1 }],
      [2, { value: { n: 1 }, version: 1 }, undefined],
    ]);
  });

  it('the writer treats an invalid newest record like a tombstone that keeps its version', async () => {
    const topic = freshTopic('invalid-w');
    await (await openStore(topic)).close();
    await produceRaw(topic, [
      ['grp_A', '{"n":1}', 1],
      ['grp_A', '{"n":"bad"}', 2],
    ]);
    const store = await openStore(topic);
    await expect(store.put('grp_A', { n: 5 }, { expectedVersion: 1 })).rejects.toMatchObject({
      code: 'KV_CONFLICT',
      currentVersion: 0,
    });
    const put = await store.put('grp_A', { n: 5 }, { expectedVersion: 0 });
    expect(put.version).toBe(3);
    expect(store.get('grp_A')).toEqual({ value: { n: 5 }, version: 3 });
    expect(store.metrics.invalidRecords).toBe(1);
  });
});
