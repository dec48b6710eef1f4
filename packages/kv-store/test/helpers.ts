import { createTestKafka, createTestTopic, testEnv, uniqueName } from '@labeldocs/testkit';
import { type Message, Partitioners } from 'kafkajs';
import { onTestFinished } from 'vitest';
import { type Change, createKvStore, type KafkaKeyValueStore, type KvStoreOptions } from '../src/index.js';
import { type Doc, docCodec } from './fixtures/doc-codec.ts';

export { type Doc, docCodec } from './fixtures/doc-codec.ts';

/** A topic name no other test uses; the store creates it and its companions, deleted when the test ends. */
export function freshTopic(prefix = 'kv', extra: string[] = []): string {
  const topic = uniqueName(`test-${prefix}`);
  onTestFinished(async () => {
    const admin = createTestKafka().admin();
    await admin.connect();
    const mine = [topic, `${topic}.commands`, `${topic}.replies`, ...extra];
    const existing = new Set(await admin.listTopics());
    await admin.deleteTopics({ topics: mine.filter((t) => existing.has(t)) }).catch(() => undefined);
    await admin.disconnect();
  });
  return topic;
}

export async function existingTopic(
  prefix: string,
  config: Record<string, string>,
  partitions = 3,
): Promise<string> {
  return createTestTopic(`test-${prefix}`, { partitions, config });
}

/** Starts a store on the shared broker (unless `brokers` given) and closes it when the test ends. */
export async function openStore(
  topic: string,
  extra: Partial<KvStoreOptions<Doc>> = {},
  start = true,
): Promise<KafkaKeyValueStore<Doc>> {
  const store = createKvStore<Doc>({
    brokers: testEnv().kafkaBrokers,
    topic,
    codec: docCodec,
    writeTimeoutMs: 20_000,
    sessionTimeoutMs: 6_000,
    ...extra,
  });
  onTestFinished(() => store.close());
  if (start) await store.start();
  return store;
}

/** Polls until `check` is true; bounded, so a broken store fails the test instead of hanging it. */
export async function eventually(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Every change a fresh read-only instance applies while it bootstraps `topic`: what the log itself holds,
 * independent of any running instance's memory.
 */
export async function changesOfFreshInstance(topic: string): Promise<Change<Doc>[]> {
  const fresh = await openStore(topic, { readOnly: true }, false);
  const log: Change<Doc>[] = [];
  fresh.subscribe((c) => log.push(c));
  await fresh.start();
  return log;
}

export interface TopicRecord {
  partition: number;
  offset: number;
  key: Buffer;
  value: Buffer | null;
}

/** Every committed record of `topic` up to its end offsets now, in partition and offset order. */
export async function recordsOf(topic: string): Promise<TopicRecord[]> {
  const kafka = createTestKafka();
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map(
    (await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, Number(o.high)] as const),
  );
  await admin.disconnect();
  const pending = new Set([...ends].filter(([, end]) => end > 0).map(([p]) => p));
  const records: TopicRecord[] = [];
  if (pending.size === 0) return records;
  const consumer = kafka.consumer({ groupId: uniqueName('test-records-of') });
  const done = new Promise<void>((resolve) => {
    // Batch ends count transaction markers too, which never reach eachMessage.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (Number(payload.lastOffset) + 1 >= (ends.get(payload.partition) ?? 0))
        pending.delete(payload.partition);
      if (pending.size === 0) resolve();
    });
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        if (Number(message.offset) < (ends.get(partition) ?? 0) && message.key !== null)
          records.push({ partition, offset: Number(message.offset), key: message.key, value: message.value });
      },
    });
    await done;
  } finally {
    await consumer.disconnect();
  }
  return records.sort((x, y) => x.partition - y.partition || x.offset - y.offset);
}

/** Produces records straight into `topic`, past kv-store, as a restore from backup does. */
export async function produceFromOutside(topic: string, messages: Message[]): Promise<void> {
  const producer = createTestKafka().producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages });
  } finally {
    await producer.disconnect();
  }
}
