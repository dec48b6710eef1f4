import { keyPartition } from '@labeldocs/schemas';
import { createTestKafka } from '@labeldocs/testkit';
import { describe, expect, it } from 'vitest';
import type { Change, ChangelogEntry, KafkaKeyValueStore } from '../src/index.js';
import type { StateReader } from '../src/state-reader.js';
import { type Doc, eventually, freshTopic, openStore, produceFromOutside } from './helpers.js';

/** A key that kafkajs's default partitioner puts on `partition` of 3. */
function keyIn(partition: number, prefix: string): string {
  for (let i = 0; ; i += 1) {
    const key = `${prefix}${i}`;
    if (keyPartition(key, 3) === partition) return key;
  }
}

const readerOf = (store: KafkaKeyValueStore<Doc>) =>
  (store as unknown as { reader: StateReader<Doc> }).reader;

/** Makes `store` the writer of all three partitions, and waits until its reader fetches none of them. */
async function writerOfAll(store: KafkaKeyValueStore<Doc>, topic: string): Promise<void> {
  // The first write of a partition goes through the commands topic and makes the instance its writer.
  for (const p of [0, 1, 2]) await store.put(keyIn(p, 'own'), { n: p });
  expect(store.metrics.ownedPartitions).toBe(3);
  // Those first writes were transactions: their commit markers are read by the periodic check. A marker is
  // written a moment after its commit returns, so the end offsets are read until they stay the same.
  const reader = readerOf(store);
  let ends: number[] = [];
  for (;;) {
    const now = await endOffsets(topic);
    if (now.join() === ends.join()) return;
    ends = now;
    await eventually(() => ends.every((end, p) => reader.position(p) >= end), 'the reader read the markers');
  }
}

async function endOffsets(topic: string): Promise<number[]> {
  const admin = createTestKafka().admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.sort((x, y) => x.partition - y.partition).map((o) => Number(o.high));
  } finally {
    await admin.disconnect();
  }
}

describe('partitions this instance writes (quiet partitions)', () => {
  it('the writer keeps writing while its reader fetches nothing, and the store never turns stale', async () => {
    const topic = freshTopic('quiet');
    const a = await openStore(topic, { staleAfterMs: 1_500 });
    await writerOfAll(a, topic);
    const reader = readerOf(a);
    const fetchedAt = reader.lastFetchAt;
    const until = Date.now() + 3 * 1_500;
    let n = 0;
    while (Date.now() < until) {
      n += 1;
      const key = keyIn(n % 3, 'w');
      expect((await a.put(key, { n })).value).toEqual({ n });
      expect(a.stale).toBe(false);
      await new Promise((r) => setTimeout(r, 20));
    }
    // No fetch at all: the writer moved the reader past its own records.
    expect(reader.lastFetchAt).toBe(fetchedAt);
    expect(a.metrics.lag).toBe(0);
    expect(a.metrics.stale).toBe(false);
  });

  it('with a changelog, the change event of each write reaches changelog subscribers once, though the reader later reads past it', async () => {
    const topic = freshTopic('quiet-changelog');
    const encode = (c: ChangelogEntry<Doc>) => Buffer.from(JSON.stringify({ version: c.version }));
    const a = await openStore(topic, { changelog: { encode } });
    await writerOfAll(a, topic);
    const events: string[] = [];
    a.subscribeChangelog((e) => events.push(`${e.key}@${e.version}`));
    const reader = readerOf(a);
    const fetchedAt = reader.lastFetchAt;
    const written: string[] = [];
    for (let n = 1; n <= 30; n += 1) {
      const key = keyIn(n % 3, 'e');
      written.push(`${key}@${(await a.put(key, { n })).version}`);
    }
    expect(reader.lastFetchAt).toBe(fetchedAt);
    // A record from outside makes the reader fetch its partition up to the end, past our batches.
    const outside = keyIn(0, 'outside');
    await produceFromOutside(topic, [{ key: outside, value: JSON.stringify({ n: 1 }) }]);
    await a.sync();
    expect(a.get(outside)?.value).toEqual({ n: 1 });
    expect(events.sort()).toEqual(written.sort());
  });

  it('a record produced from outside kv-store into a partition this instance writes reaches its table, subscribers, sync() and the writer', async () => {
    const topic = freshTopic('quiet-outside');
    const a = await openStore(topic);
    await writerOfAll(a, topic);
    const seen: Change<Doc>[] = [];
    a.subscribe((c) => seen.push(c));
    const key = keyIn(1, 'restored');
    // As a restore from backup does: straight into the state topic, with a version header.
    await produceFromOutside(topic, [
      { key, value: JSON.stringify({ n: 7 }), headers: { 'kv-version': '5' } },
    ]);
    await eventually(() => a.get(key) !== undefined, 'the record reaches the table', 10_000);
    expect(a.get(key)).toEqual({ value: { n: 7 }, version: 5 });
    expect(seen.map((c) => [c.key, c.version, c.current?.value.n])).toEqual([[key, 5, 7]]);
    // The writer decides against it.
    await expect(a.put(key, { n: 8 }, { expectedVersion: 4 })).rejects.toMatchObject({
      code: 'KV_CONFLICT',
      currentVersion: 5,
    });
    expect((await a.put(key, { n: 8 }, { expectedVersion: 5 })).version).toBe(6);

    // sync() covers such a record too: it asks the reader to read up to the end at once.
    const second = keyIn(2, 'restored');
    await produceFromOutside(topic, [
      { key: second, value: JSON.stringify({ n: 9 }), headers: { 'kv-version': '3' } },
    ]);
    await a.sync();
    expect(a.get(second)).toEqual({ value: { n: 9 }, version: 3 });
  });

  it('once another instance takes a partition over, the former writer reads that partition again', async () => {
    const topic = freshTopic('quiet-handover');
    const a = await openStore(topic);
    await writerOfAll(a, topic);
    const b = await openStore(topic);
    // The writer group rebalances: a lets go of every partition, and stops writing those b gets.
    await eventually(() => a.metrics.ownedPartitions === 0, 'a rebalance');
    for (let round = 0; round < 3; round += 1) {
      for (const p of [0, 1, 2]) {
        const written = await b.put(keyIn(p, 'theirs'), { n: 100 * round + p });
        await eventually(() => a.get(keyIn(p, 'theirs'))?.version === written.version, `a sees ${p}`);
      }
    }
    expect(b.metrics.ownedPartitions).toBeGreaterThan(0);
  });
});
