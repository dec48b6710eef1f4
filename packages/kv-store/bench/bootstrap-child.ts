// One bootstrap in a process of its own, so heap and RSS deltas belong to it alone. Prints one JSON line.

import { createKvStore } from '@labeldocs/kv-store';
import { type Codec, labelRecordCodec } from '@labeldocs/schemas';
import { Kafka, logLevel } from 'kafkajs';

const [mode, brokers, topic, expected] = process.argv.slice(2);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

/** JSON.parse only: what the store costs without schema validation. */
const plainJson: Codec<unknown> = {
  name: 'plain-json',
  encode: (v) => Buffer.from(JSON.stringify(v)),
  decode: (b) => ({ ok: true, value: JSON.parse(b.toString('utf8')) }),
  validate: (v) => ({ ok: true, value: v }),
};

function memory() {
  gc();
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss };
}

async function rawKafkajs(parse: boolean): Promise<number> {
  const kafka = new Kafka({
    clientId: 'bench-raw',
    brokers: String(brokers).split(','),
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(String(topic));
  await admin.disconnect();
  const consumer = kafka.consumer({
    groupId: `bench-raw-${Date.now()}`,
    maxBytesPerPartition: 4 * 1024 * 1024,
    maxBytes: 16 * 1024 * 1024,
  });
  const kept = new Map<string, unknown>();
  const positions = new Map<number, number>();
  let count = 0;
  const done = () => ends.every((e) => (positions.get(e.partition) ?? 0) >= Number(e.high));
  await consumer.connect();
  await consumer.subscribe({ topic: String(topic), fromBeginning: true });
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((r) => {
    finish = r;
  });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) {
        count += 1;
        // The same table a store keeps: key -> value (raw bytes, or parsed when asked).
        if (m.key !== null && m.value !== null)
          kept.set(m.key.toString(), parse ? JSON.parse(m.value.toString()) : m.value);
      }
      positions.set(batch.partition, Number(batch.lastOffset()) + 1);
      if (done()) finish();
    },
  });
  await finished;
  await consumer.disconnect();
  (globalThis as { keep?: unknown }).keep = kept;
  return count;
}

const before = memory();
const started = performance.now();
let records = 0;
if (mode === 'raw' || mode === 'raw-parse') {
  records = await rawKafkajs(mode === 'raw-parse');
} else {
  const store = createKvStore<unknown>({
    brokers: String(brokers).split(','),
    topic: String(topic),
    codec: mode === 'store-plain' ? plainJson : (labelRecordCodec as Codec<unknown>),
    readOnly: true,
  });
  await store.start();
  records = store.metrics.recordsApplied;
  if (store.size !== Number(expected)) throw new Error(`store has ${store.size} keys, expected ${expected}`);
  (globalThis as { keep?: unknown }).keep = store;
}
const ms = performance.now() - started;
const after = memory();
process.stdout.write(
  `${JSON.stringify({ mode, ms, records, heap: after.heap - before.heap, rss: after.rss - before.rss })}\n`,
);
process.exit(0);
