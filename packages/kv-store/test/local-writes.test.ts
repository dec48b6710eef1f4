import { setTimeout as sleep } from 'node:timers/promises';
import { keyPartition } from '@labeldocs/schemas';
import { createTestKafka } from '@labeldocs/testkit';
import type { Producer } from 'kafkajs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { isChangelogKey, type KafkaKeyValueStore, type KvError } from '../src/index.js';
import { OUTSIDE_TXN_MAX_IDLE_MS } from '../src/local-writer.js';
import type { PartitionLanes } from '../src/partition-lanes.js';
import { type Owned, writeFenceMarkers } from '../src/writer-fence.js';
import {
  changesOfFreshInstance,
  type Doc,
  eventually,
  freshTopic,
  openStore,
  produceFromOutside,
  recordsOf,
} from './helpers.js';

async function commandOffsets(topic: string): Promise<number[]> {
  const admin = createTestKafka().admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(`${topic}.commands`);
    return offsets.sort((x, y) => x.partition - y.partition).map((o) => Number(o.high));
  } finally {
    await admin.disconnect();
  }
}

/** A key that kafkajs's default partitioner puts on `partition` of 3. */
function keyIn(partition: number, prefix: string): string {
  for (let i = 0; ; i += 1) {
    const key = `${prefix}${i}`;
    if (keyPartition(key, 3) === partition) return key;
  }
}

const total = (offsets: number[]) => offsets.reduce((s, n) => s + n, 0);

describe('owner-local writes', () => {
  it('the writer of a key decides its own writes without the commands topic; once fenced, a write goes through the topic and is applied once', async () => {
    const topic = freshTopic('local');
    const a = await openStore(topic);
    // The first write of a partition goes through the topic and makes this instance its writer.
    expect((await a.put('k', { n: 1 })).version).toBe(1);
    const afterFirst = await commandOffsets(topic);
    expect(total(afterFirst)).toBe(1);
    const partition = afterFirst.indexOf(1);

    expect((await a.put('k', { n: 2 }, { expectedVersion: 1 })).version).toBe(2);
    expect(a.get('k')).toEqual({ value: { n: 2 }, version: 2 });
    await expect(a.put('k', { n: 9 }, { expectedVersion: 1 })).rejects.toMatchObject({
      code: 'KV_CONFLICT',
      currentVersion: 2,
    });
    expect(await a.delete(keyIn(partition, 'absent'))).toBe(0);
    expect(await commandOffsets(topic)).toEqual(afterFirst);

    // Another producer initialises the partition's transactional id and writes the fence markers, as a new
    // owner does: our epoch is fenced on the partitions our writes outside a transaction touch.
    const intruder = createTestKafka().producer({
      transactionalId: `${topic}.writer.${partition}`,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await intruder.connect();
    onTestFinished(() => intruder.disconnect());
    await (await intruder.transaction()).abort();
    await writeFenceMarkers(intruder, { topic, repliesTopic: `${topic}.replies` }, partition);

    // The partition leader refuses the local write (nothing written), so it is re-sent through the commands
    // topic (exactly one command), and decided there after this instance fenced the intruder in turn.
    expect((await a.put('k', { n: 3 }, { expectedVersion: 2 })).version).toBe(3);
    expect(a.get('k')).toEqual({ value: { n: 3 }, version: 3 });
    expect(total(await commandOffsets(topic))).toBe(2);
    // Writer again: local.
    expect((await a.put('k', { n: 4 }, { expectedVersion: 3 })).version).toBe(4);
    expect(total(await commandOffsets(topic))).toBe(2);

    expect((await changesOfFreshInstance(topic)).map((c) => [c.version, c.current?.value.n])).toEqual([
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
    ]);
  });

  it('a writer whose epoch the broker has not confirmed for longer than the bound writes its next local write in a transaction, then outside one again', async () => {
    const topic = freshTopic('local-idle');
    const a = await openStore(topic);
    expect((await a.put('k', { n: 1 })).version).toBe(1);
    const owned = writerOf(a, 'k');
    const producer = owned.producer;
    const calls: string[] = [];
    const transaction = producer.transaction.bind(producer);
    const outside = producer.sendBatchOutsideTransaction.bind(producer);
    producer.transaction = () => {
      calls.push('transaction');
      return transaction();
    };
    producer.sendBatchOutsideTransaction = (batch) => {
      calls.push('outside');
      return outside(batch);
    };
    expect((await a.put('k', { n: 2 }, { expectedVersion: 1 })).version).toBe(2);
    await ageConfirmation(a, 'k');
    expect((await a.put('k', { n: 3 }, { expectedVersion: 2 })).version).toBe(3);
    expect((await a.put('k', { n: 4 }, { expectedVersion: 3 })).version).toBe(4);
    // Right after a transaction the broker may refuse the next batch outside one with INVALID_TXN_STATE until
    // the commit markers are written; the writer re-sends it, so a run of one kind counts as one write.
    const kinds = calls.filter((kind, i) => kind !== calls[i - 1]);
    expect(kinds).toEqual(['outside', 'transaction', 'outside']);
  });

  it('a local write whose outcome the client cannot know is not re-sent: the write resolves from the log and is applied once', async () => {
    const topic = freshTopic('local-unknown');
    const a = await openStore(topic);
    const { producer, commandsBefore } = await twoWritesThenWriterProducer(a, topic);
    // Fault: the next write outside a transaction reaches the broker, but the client sees the connection drop.
    const send = producer.sendBatchOutsideTransaction.bind(producer);
    producer.sendBatchOutsideTransaction = async (batch) => {
      producer.sendBatchOutsideTransaction = send;
      await send(batch);
      throw new Error('Connection closed (injected after a successful Produce)');
    };
    await expectLostResponseResolvedOnce(a, topic, commandsBefore);
  });

  it('a local write in a transaction (past the idle bound) whose commit outcome the client cannot know is not re-sent; each write has exactly one change event', async () => {
    const topic = freshTopic('local-unknown-txn');
    const a = await openStore(topic, {
      changelog: { encode: (e) => Buffer.from(JSON.stringify({ key: e.key, v: e.version })) },
    });
    const { producer, commandsBefore } = await twoWritesThenWriterProducer(a, topic);
    await ageConfirmation(a, 'k');
    // Fault: the next commit reaches the broker, but the client sees the connection drop (as if EndTxn's
    // response was lost).
    const transaction = producer.transaction.bind(producer);
    producer.transaction = async () => {
      producer.transaction = transaction;
      const txn = await transaction();
      const commit = txn.commit.bind(txn);
      txn.commit = async () => {
        await commit();
        throw new Error('Connection closed (injected after a successful EndTxn)');
      };
      return txn;
    };
    await expectLostResponseResolvedOnce(a, topic, commandsBefore);
    const events = (await recordsOf(topic)).filter((r) => isChangelogKey(r.key));
    expect(events.map((r) => JSON.parse(String(r.value)).v)).toEqual([1, 2, 3, 4]);
  });

  it('after a record from outside the writer takes a key back to an older version (a restore), the writer decides against it', async () => {
    const topic = freshTopic('local-restore');
    const a = await openStore(topic);
    expect((await a.put('k', { n: 1 })).version).toBe(1);
    expect((await a.put('k', { n: 2 }, { expectedVersion: 1 })).version).toBe(2);
    // A restore from backup produces the backed-up record straight to the state topic, with its old headers.
    await produceFromOutside(topic, [
      { key: 'k', value: JSON.stringify({ n: 1 }), headers: { 'kv-version': '1', 'kv-request': 'old' } },
    ]);
    await eventually(() => a.get('k')?.version === 1, 'the restored record is applied');
    // What every reader shows is what a conditional write must be decided against.
    expect((await a.put('k', { n: 3 }, { expectedVersion: 1 })).version).toBe(2);
    expect(a.get('k')).toEqual({ value: { n: 3 }, version: 2 });
  });

  it('two and then three instances incrementing one counter with conditional writes across rebalances never lose an increment', async () => {
    const topic = freshTopic('local-rebalance');
    const a = await openStore(topic);
    await a.put('c', { n: 0 }, { expectedVersion: 0 });
    let stop = false;
    let successes = 0;
    const errors: unknown[] = [];
    const worker = async (store: KafkaKeyValueStore<Doc>) => {
      while (!stop) {
        const current = store.get('c') as { value: Doc; version: number };
        try {
          await store.put('c', { n: current.value.n + 1 }, { expectedVersion: current.version });
          successes += 1;
        } catch (error) {
          if ((error as KvError).code !== 'KV_CONFLICT') {
            errors.push(error);
            return;
          }
        }
      }
    };
    // Each phase lasts until the writers made progress in it (not a fixed time: a loaded CI machine may
    // need seconds for a rebalance), with a floor so that writes do overlap each join.
    const progress = async (increments: number, what: string) => {
      const target = successes + increments;
      await sleep(1_500);
      // A writer that failed ends the wait too: the assertion on `errors` below then says why.
      await eventually(() => successes >= target || errors.length > 0, what, 60_000);
    };
    const workers = [worker(a), worker(a)];
    await progress(20, '20 increments by the first instance alone');
    const aloneSuccesses = successes;
    // Most of those never touched the commands topic.
    expect(total(await commandOffsets(topic))).toBeLessThan(aloneSuccesses / 2);

    // A second instance joins: the group rebalances and partitions move while both keep writing.
    const b = await openStore(topic);
    workers.push(worker(b), worker(b));
    await progress(20, '20 increments after the second instance joined');
    // A third joins: another rebalance.
    const c = await openStore(topic);
    workers.push(worker(c));
    await progress(20, '20 increments after the third instance joined');
    stop = true;
    await Promise.all(workers);
    expect(errors).toEqual([]);

    await a.sync();
    await b.sync();
    await c.sync();
    const expected = { value: { n: successes }, version: successes + 1 };
    expect(a.get('c')).toEqual(expected);
    expect(b.get('c')).toEqual(expected);
    expect(c.get('c')).toEqual(expected);
    const fresh = await openStore(topic, { readOnly: true });
    expect(fresh.get('c')).toEqual(expected);
    expect(successes).toBeGreaterThan(aloneSuccesses);
  }, 240_000);
});

/**
 * Writes k at versions 1 and 2 (the first makes `a` the writer of k's partition, the second is local), then
 * hands out that partition writer's producer, for a test to inject a fault into the next write.
 */
async function twoWritesThenWriterProducer(
  a: KafkaKeyValueStore<Doc>,
  topic: string,
): Promise<{ producer: Producer; commandsBefore: number }> {
  expect((await a.put('k', { n: 1 })).version).toBe(1);
  expect((await a.put('k', { n: 2 }, { expectedVersion: 1 })).version).toBe(2);
  const commandsBefore = total(await commandOffsets(topic));
  return { producer: writerOf(a, 'k').producer, commandsBefore };
}

/**
 * As if the partition could have forgotten the writer's epoch (producer.id.expiration.ms) while it idled: its
 * next local write must go in a transaction. A put may resolve from the state reader before its own write job
 * has finished (and recorded the broker's confirmation): wait for the partition's lane to be idle first, or
 * that job could overwrite what is set here.
 */
async function ageConfirmation(a: KafkaKeyValueStore<Doc>, key: string): Promise<void> {
  const writers = (a as unknown as { writers: { lanes: PartitionLanes } }).writers;
  await writers.lanes.serial(keyPartition(key, 3), async () => undefined);
  writerOf(a, key).confirmedAt = Date.now() - OUTSIDE_TXN_MAX_IDLE_MS - 1;
}

/**
 * The partition writer `a` holds for `key`'s partition (the store's default 3 partitions). By key, not the
 * first one held: `a` may hold several partitions, in whatever order their fences completed.
 */
function writerOf(a: KafkaKeyValueStore<Doc>, key: string): Owned<Doc> {
  const writers = (a as unknown as { writers: { owned: Map<number, Owned<Doc>> } }).writers;
  const owned = writers.owned.get(keyPartition(key, 3));
  if (owned === undefined) throw new Error(`this store does not write the partition of ${key}`);
  return owned;
}

/**
 * After a fault that makes the next write's outcome unknown to the client: the write (3) resolves from the log
 * without going through the commands topic, is applied once, and the writer works again afterwards (4).
 */
async function expectLostResponseResolvedOnce(
  a: KafkaKeyValueStore<Doc>,
  topic: string,
  commandsBefore: number,
): Promise<void> {
  expect((await a.put('k', { n: 3 }, { expectedVersion: 2 })).version).toBe(3);
  expect(a.get('k')).toEqual({ value: { n: 3 }, version: 3 });
  expect(total(await commandOffsets(topic))).toBe(commandsBefore);
  // The partition was released; the next write re-establishes the writer through the topic.
  expect((await a.put('k', { n: 4 }, { expectedVersion: 3 })).version).toBe(4);
  expect((await changesOfFreshInstance(topic)).map((c) => c.version)).toEqual([1, 2, 3, 4]);
}
