// One bootstrap in a process of its own, so heap and RSS deltas belong to it alone. Prints one JSON line:
// bootstrap time and memory at ready, then the time to read every key once and the memory after that.
// The parent chooses the node flags per row (bench/bootstrap.ts): Node's defaults, as the apps run, or a
// bounded young generation.

import { getHeapSpaceStatistics } from 'node:v8';
import { createKvStore } from '@labeldocs/kv-store';
import { type Codec, labelRecordCodec } from '@labeldocs/schemas';
import { Kafka, logLevel } from 'kafkajs';

const [mode = '', brokers, topic, expected] = process.argv.slice(2);
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

/** JSON.parse only: what the store costs without schema validation. */
const plainJson: Codec<unknown> = {
  name: 'plain-json',
  encode: (v) => Buffer.from(JSON.stringify(v)),
  decode: (b) => ({ ok: true, value: JSON.parse(b.toString('utf8')) }),
  validate: (v) => ({ ok: true, value: v }),
};

/** Committed bytes of one V8 heap space. */
const space = (name: string) => getHeapSpaceStatistics().find((s) => s.space_name === name)?.space_size ?? 0;

function memory() {
  gc();
  gc();
  const m = process.memoryUsage();
  // V8's young generation stays committed at the size it grew to: a fixed cost, not a per-key one.
  return {
    heap: m.heapUsed,
    rss: m.rss,
    external: m.external,
    newSpace: space('new_space'),
    oldSpace: space('old_space'),
  };
}

/** A table of the raw values, read with the same fetch limits as the store's reader (src/state-reader.ts). */
async function rawKafkajs(parse: boolean): Promise<{ records: number; readAll: () => number }> {
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
    maxBytesPerPartition: 256 * 1024,
    maxBytes: 768 * 1024,
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
    // Like the store's reader: a table bootstrap commits no offsets (kafkajs would commit after every batch).
    autoCommit: false,
    eachBatch: async ({ batch }) => {
      for (const m of batch.messages) {
        count += 1;
        // The same table a store keeps: key -> value (raw bytes as kafkajs hands them, or parsed when asked).
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
  // "Reading" a raw table touches each entry; nothing is decoded (the raw rows never decode at all).
  return { records: count, readAll: () => [...kept.values()].length };
}

async function store(): Promise<{ records: number; readAll: () => number }> {
  const s = createKvStore<unknown>({
    brokers: String(brokers).split(','),
    topic: String(topic),
    codec: mode.endsWith('-plain') ? plainJson : (labelRecordCodec as Codec<unknown>),
    decode: mode.startsWith('store-eager') ? 'eager' : 'lazy',
    readOnly: true,
  });
  await s.start();
  (globalThis as { keep?: unknown }).keep = s;
  const readAll = () => {
    let n = 0;
    for (const [, v] of s.entries()) if (v.value !== undefined) n += 1;
    if (n !== Number(expected)) throw new Error(`store served ${n} values, expected ${expected}`);
    return n;
  };
  return { records: s.metrics.recordsApplied, readAll };
}

const before = memory();
const started = performance.now();
const cpuBefore = process.cpuUsage();
const { records, readAll } = mode.startsWith('raw') ? await rawKafkajs(mode === 'raw-parse') : await store();
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const ready = memory();
const readStarted = performance.now();
readAll();
const readMs = performance.now() - readStarted;
const read = memory();
process.stdout.write(
  `${JSON.stringify({
    mode,
    ms,
    // CPU time of the bootstrap (all threads: V8's GC helpers count too); less exposed to a busy machine.
    cpuMs: (cpu.user + cpu.system) / 1000,
    records,
    heap: ready.heap - before.heap,
    rss: ready.rss - before.rss,
    external: ready.external - before.external,
    readMs,
    heapRead: read.heap - before.heap,
    rssRead: read.rss - before.rss,
    newSpace: ready.newSpace,
    newSpaceRead: read.newSpace,
    oldSpace: ready.oldSpace - before.oldSpace,
  })}\n`,
);
process.exit(0);
