import { createTestKafka } from '@labeldocs/testkit';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KafkaKeyValueStore, Versioned } from '../src/index.js';
import { type Doc, eventually, freshTopic, openStore } from './helpers.js';

const cmdArb = fc.record({
  instance: fc.integer({ min: 0, max: 2 }),
  op: fc.constantFrom<'put' | 'delete'>('put', 'put', 'delete'),
  key: fc.integer({ min: 0, max: 3 }),
  conditional: fc.boolean(),
  n: fc.integer({ min: 0, max: 1_000_000 }),
});
/** Rounds of commands; the commands of one round run concurrently. */
const scenarioArb = fc.array(fc.array(cmdArb, { minLength: 1, maxLength: 6 }), {
  minLength: 1,
  maxLength: 4,
});

/** Acknowledged outcome of one write, keyed by the version the store assigned to it. */
type Acked = { op: 'put'; n: number } | { op: 'delete' };

/** Counts the data records physically present in the state topic (transaction markers excluded). */
async function countRecords(topic: string): Promise<{ present: number; end: number }> {
  const kafka = createTestKafka();
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const end = offsets.reduce((s, o) => s + Number(o.high), 0);
  const consumer = kafka.consumer({ groupId: `${topic}-count-${Date.now()}`, maxWaitTimeInMs: 200 });
  let present = 0;
  const positions = new Map<number, number>();
  // Batches of only transaction markers skip eachBatch; this event still reports how far the consumer got.
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    positions.set(
      payload.partition,
      Math.max(positions.get(payload.partition) ?? 0, Number(payload.lastOffset) + 1),
    );
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      present += batch.messages.length;
      positions.set(
        batch.partition,
        Math.max(positions.get(batch.partition) ?? 0, Number(batch.lastOffset()) + 1),
      );
    },
  });
  const until = Date.now() + 20_000;
  const done = () =>
    offsets.every((o) => Number(o.high) === 0 || (positions.get(o.partition) ?? 0) >= Number(o.high));
  while (!done() && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  await consumer.disconnect();
  if (!done()) throw new Error(`could not read ${topic} to its end offsets`);
  return { present, end };
}

describe('property: random interleavings from three instances', () => {
  it('all instances, old and fresh after compaction, hold the same state and reflect every acknowledged write', async () => {
    const topic = freshTopic('prop');
    const config = {
      'segment.ms': '100',
      'min.cleanable.dirty.ratio': '0.01',
      'delete.retention.ms': '100',
      'min.compaction.lag.ms': '0',
    };
    const stores: KafkaKeyValueStore<Doc>[] = [];
    for (let i = 0; i < 3; i += 1) stores.push(await openStore(topic, { topicConfig: config }));
    const acked = new Map<string, Map<number, Acked>>();
    let run = 0;
    let acceptedRecords = 0;

    await fc.assert(
      fc.asyncProperty(scenarioArb, async (rounds) => {
        run += 1;
        const keyOf = (k: number) => `r${run}_k${k}`;
        for (const round of rounds) {
          await Promise.all(
            round.map(async (cmd) => {
              const store = stores[cmd.instance] as KafkaKeyValueStore<Doc>;
              const key = keyOf(cmd.key);
              const expectedVersion = cmd.conditional ? (store.get(key)?.version ?? 0) : undefined;
              const options = expectedVersion === undefined ? {} : { expectedVersion };
              const history = acked.get(key) ?? new Map<number, Acked>();
              acked.set(key, history);
              try {
                if (cmd.op === 'put') {
                  const { version } = await store.put(key, { n: cmd.n }, options);
                  expect(history.has(version)).toBe(false);
                  history.set(version, { op: 'put', n: cmd.n });
                  acceptedRecords += 1;
                } else {
                  const version = await store.delete(key, options);
                  if (version > 0) {
                    expect(history.has(version)).toBe(false);
                    history.set(version, { op: 'delete' });
                    acceptedRecords += 1;
                  }
                }
              } catch (error) {
                // Only a lost conditional write may fail, and it learns a version newer than it expected.
                expect(error).toMatchObject({ code: 'KV_CONFLICT' });
                expect(cmd.conditional).toBe(true);
                expect((error as { currentVersion: number }).currentVersion).not.toBe(expectedVersion);
              }
            }),
          );
        }
        // Every acknowledged version is unique and they are contiguous from 1: no accepted write went missing.
        for (let k = 0; k < 4; k += 1) {
          const versions = [...(acked.get(keyOf(k))?.keys() ?? [])].sort((a, b) => a - b);
          expect(versions).toEqual(versions.map((_, i) => i + 1));
        }
      }),
      { numRuns: 12, endOnFailure: true },
    );

    const expected = new Map<string, Versioned<Doc>>();
    for (const [key, history] of acked) {
      const last = Math.max(0, ...history.keys());
      const outcome = history.get(last);
      if (outcome?.op === 'put') expected.set(key, { value: { n: outcome.n }, version: last });
    }
    for (const [i, store] of stores.entries()) {
      await eventually(
        () => sameMap(store.snapshot(), expected),
        `instance ${i} converges to the acknowledged writes`,
      );
    }

    // Force compaction: segments roll on append after segment.ms, the cleaner then drops overwritten records.
    // Rolling is constant at segment.ms=100, so the cleaner may already have run: count, then nudge until it has.
    let after = await countRecords(topic);
    for (let attempt = 0; attempt < 40 && after.present >= acceptedRecords; attempt += 1) {
      await new Promise((r) => setTimeout(r, 300));
      await stores[attempt % 3]?.put(`roll${attempt % 3}`, { n: attempt });
      expected.set(`roll${attempt % 3}`, stores[attempt % 3]?.get(`roll${attempt % 3}`) as Versioned<Doc>);
      acceptedRecords += 1;
      after = await countRecords(topic);
    }
    // Fewer records than accepted writes: the cleaner really removed overwritten records (and maybe tombstones).
    expect(after.present).toBeLessThan(acceptedRecords);
    expect(after.end).toBeGreaterThan(after.present);

    const fresh = await openStore(topic, { readOnly: true });
    expect(sameMap(fresh.snapshot(), expected)).toBe(true);
    for (const store of stores)
      await eventually(() => sameMap(store.snapshot(), expected), 'old instances agree');
  }, 240_000);
});

function sameMap(
  actual: ReadonlyMap<string, Versioned<Doc>>,
  expected: ReadonlyMap<string, Versioned<Doc>>,
): boolean {
  if (actual.size !== expected.size) return false;
  for (const [key, value] of expected) {
    const got = actual.get(key);
    if (got?.version !== value.version || got.value.n !== value.value.n) return false;
  }
  return true;
}
