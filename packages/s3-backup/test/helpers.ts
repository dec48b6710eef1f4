import { captureOffsets, type PartitionRange, readToOffsets, type S3Location } from '@labeldocs/s3-backup';
import { createTestBucket, createTestKafka, testEnv } from '@labeldocs/testkit';
import type { Kafka, Message } from 'kafkajs';

export const kafka: Kafka = createTestKafka();

/** A fresh bucket on one of the stack's two endpoints, as the library's options want it. */
export async function testLocation(which: 'primary' | 'replica'): Promise<S3Location> {
  const e = testEnv().s3[which];
  const bucket = await createTestBucket(which);
  return {
    endpoint: e.endpoint,
    region: e.region,
    accessKeyId: e.accessKeyId,
    secretAccessKey: e.secretAccessKey,
    bucket,
  };
}

/** Produces in requests of `perRequest` messages (fewer for large records: a request is never split). */
export async function produce(topic: string, messages: Message[], perRequest = 500): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (let i = 0; i < messages.length; i += perRequest)
      await producer.send({ topic, acks: -1, messages: messages.slice(i, i + perRequest) });
  } finally {
    await producer.disconnect();
  }
}

/** The topic's full state as plain strings: latest value per key, tombstoned keys removed. */
export async function stateOf(topic: string): Promise<Map<string, string>> {
  const ranges = await offsetsOf(topic);
  const state = new Map<string, string>();
  await readToOffsets(kafka, topic, ranges, {
    onBatch: (_p, messages) => {
      for (const m of messages) {
        const k = m.key!.toString();
        if (m.value === null) state.delete(k);
        else state.set(k, m.value.toString());
      }
    },
  });
  return state;
}

/** Sum of end offsets: any produced record (value or tombstone) moves it. */
export async function endOffsetSum(topic: string): Promise<bigint> {
  return (await offsetsOf(topic)).reduce((n, r) => n + r.end, 0n);
}

/** Every partition's log start and end now, through an admin client of its own. */
export async function offsetsOf(topic: string): Promise<PartitionRange[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await captureOffsets(admin, topic);
  } finally {
    await admin.disconnect();
  }
}

/** `count` records over `keys` keys with overwrites, and every seventh key tombstoned at the end. */
export function history(keys: number, count: number, tag = 'v'): Message[] {
  const out: Message[] = [];
  for (let i = 0; i < count; i++) {
    const k = `san_Key${i % keys}`;
    out.push({
      key: k,
      value: JSON.stringify({ name: k, rev: i, tag, pad: 'x'.repeat(i % 50) }),
      headers: { rev: String(i) },
    });
  }
  for (let k = 0; k < keys; k += 7) out.push({ key: `san_Key${k}`, value: null });
  return out;
}

export const compact = { partitions: 3, config: { 'cleanup.policy': 'compact' } };
