// Write latency of kv-store put (read-your-writes) against a raw kafkajs acks=all send, in the same run.
import { fmt, percentile } from '@labeldocs/bench';
import { createKvStore } from '@labeldocs/kv-store';
import { labelRecordCodec } from '@labeldocs/schemas';
import type { Admin, Kafka } from 'kafkajs';
import { labelName, labelRecord } from './data.ts';

async function latencies(
  send: () => Promise<unknown>,
  total: number,
  concurrency: number,
): Promise<number[]> {
  const times: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next += 1;
        const t = performance.now();
        await send();
        times.push(performance.now() - t);
      }
    }),
  );
  return times;
}

/** Rows `[writer, p50, p99, p50 vs raw]` and the p50 ratios (single, 16 concurrent). */
export async function measureWriteLatency(
  kafka: Kafka,
  admin: Admin,
  brokers: string[],
  run: string,
  created: string[],
): Promise<{ rows: Array<Array<string | number>>; p50Ratios: number[] }> {
  const writeTopic = `bench-kv-w-${run}`;
  created.push(writeTopic, `${writeTopic}.commands`, `${writeTopic}.replies`);
  const store = createKvStore({ brokers, topic: writeTopic, codec: labelRecordCodec });
  await store.start();
  const rawTopic = `bench-kv-raw-${run}`;
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic: rawTopic, numPartitions: 3, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
    ],
  });
  created.push(rawTopic);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const sample = (i: number) => labelRecord(i % 1_000, i);
  let i = 0;
  const nextIndex = () => {
    i += 1;
    return i;
  };
  const storePut = () => {
    const n = nextIndex();
    return store.put(labelName(n % 1_000), sample(n));
  };
  const rawSend = () => {
    const n = nextIndex();
    return producer.send({
      topic: rawTopic,
      acks: -1,
      messages: [{ key: labelName(n % 1_000), value: labelRecordCodec.encode(sample(n)) }],
    });
  };
  await latencies(storePut, 50, 4); // warm-up: group assignment, transactional ids, connections
  await latencies(rawSend, 50, 4);
  const rows: Array<Array<string | number>> = [];
  const p50Ratios: number[] = [];
  for (const [name, total, concurrency] of [
    ['one at a time', 300, 1],
    ['16 concurrent', 1_600, 16],
  ] as const) {
    const rawTimes = await latencies(rawSend, total, concurrency);
    const storeTimes = await latencies(storePut, total, concurrency);
    const p = (t: number[], q: number) => percentile(t, q);
    p50Ratios.push(p(storeTimes, 50) / p(rawTimes, 50));
    rows.push([
      `${name}: raw kafkajs send (acks=all, idempotent)`,
      fmt(p(rawTimes, 50), 2),
      fmt(p(rawTimes, 99), 2),
      '1.00×',
    ]);
    rows.push([
      `${name}: kv-store put (read-your-writes)`,
      fmt(p(storeTimes, 50), 2),
      fmt(p(storeTimes, 99), 2),
      `${fmt(p(storeTimes, 50) / p(rawTimes, 50), 2)}×`,
    ]);
  }
  await producer.disconnect();
  await store.close();
  return { rows, p50Ratios };
}
