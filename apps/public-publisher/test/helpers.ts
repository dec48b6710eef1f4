import { randomUUID } from 'node:crypto';
import { createLogger } from '@labeldocs/app-kit';
import type { LabelRecord, PublicLabel, TrackedLabel } from '@labeldocs/schemas';
import { labelRecordCodec, publicLabelCodec, trackedLabelCodec } from '@labeldocs/schemas';
import { createTestKafka, createTestTopic } from '@labeldocs/testkit';
import type { Producer } from 'kafkajs';
import { Registry } from 'prom-client';
import { onTestFinished } from 'vitest';
import { createMetrics, type PublisherTopics, VERSION_HEADER } from '../src/index.js';

export const compacted = { 'cleanup.policy': 'compact' };

/**
 * createTestTopic, retried: under load the broker can answer the leader wait with UNKNOWN_TOPIC_OR_PARTITION
 * for a topic it has just created, which kafkajs's waitForLeaders does not retry.
 */
export async function createTopic(
  prefix: string,
  opts: Parameters<typeof createTestTopic>[1] = {},
): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await createTestTopic(prefix, opts);
    } catch (error) {
      if (attempt >= 3 || (error as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION') throw error;
    }
  }
}

export async function createTopics(partitions = 1): Promise<PublisherTopics> {
  return {
    labels: await createTopic('pp-labels', { partitions, config: compacted }),
    tracked: await createTopic('pp-tracked', { partitions, config: compacted }),
    public: await createTopic('pp-public', { config: compacted }),
  };
}

export function quietLogger() {
  return createLogger('public-publisher-test', process.env.TEST_LOG_LEVEL ?? 'silent');
}

export function testMetrics() {
  const registry = new Registry();
  return { registry, metrics: createMetrics(registry) };
}

export function docRecord(name: string, overrides: Partial<LabelRecord> = {}): LabelRecord {
  return {
    name,
    group: name.split('_')[0]!,
    description: `what ${name} means`,
    ownerTeam: 'search',
    valueType: { kind: 'string' },
    examples: [],
    pii: { isPii: false, category: 'none' },
    tags: [],
    status: 'active',
    createdBy: 'alice',
    createdAt: '2026-11-01T10:00:00.000Z',
    updatedBy: 'alice',
    updatedAt: '2026-11-01T10:00:00.000Z',
    ...overrides,
  };
}

export function trackedRecord(name: string, lastSeen = '2026-11-20T10:00:00.000Z'): TrackedLabel {
  return {
    name,
    group: name.split('_')[0]!,
    nameValid: true,
    knownGroup: true,
    firstSeen: '2026-11-01T00:00:00.000Z',
    lastSeen,
    dailyCounts: {},
    totalCount: 10,
    valueTypes: ['string'],
    samples: [],
    pageTypes: ['search'],
    sources: ['web'],
    updatedAt: lastSeen,
  };
}

export type SourceEdit =
  | { side: 'labels'; key: string; value: LabelRecord | null; version: number }
  | { side: 'tracked'; key: string; value: TrackedLabel | null };

/** Writes source records the way kv-store does: transactional, with the per-key version in a header. */
export async function sourceWriter(topics: PublisherTopics): Promise<{
  write: (edits: SourceEdit[]) => Promise<void>;
  producer: Producer;
}> {
  const producer = createTestKafka().producer({
    transactionalId: `pp-test-writer-${randomUUID()}`,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await producer.connect();
  onTestFinished(() => producer.disconnect());
  return {
    producer,
    write: async (edits) => {
      const txn = await producer.transaction();
      try {
        for (const e of edits) {
          if (e.side === 'labels') {
            await txn.send({
              topic: topics.labels,
              messages: [
                {
                  key: e.key,
                  value: e.value === null ? null : labelRecordCodec.encode(e.value),
                  headers: { [VERSION_HEADER]: String(e.version) },
                },
              ],
            });
          } else {
            await txn.send({
              topic: topics.tracked,
              messages: [{ key: e.key, value: e.value === null ? null : trackedLabelCodec.encode(e.value) }],
            });
          }
        }
        await txn.commit();
      } catch (error) {
        await txn.abort();
        throw error;
      }
    },
  };
}

export interface PublicEntry {
  key: string;
  value: PublicLabel | null;
  offset: string;
}

/** Every committed record of the public topic, in order, read by a plain read_committed consumer. */
export async function readPublic(topic: string): Promise<PublicEntry[]> {
  const kafka = createTestKafka();
  const admin = kafka.admin();
  await admin.connect();
  const [range] = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const end = BigInt(range!.high);
  const out: PublicEntry[] = [];
  if (end === 0n) return out;
  const consumer = kafka.consumer({ groupId: `pp-test-reader-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (BigInt(payload.lastOffset) + 1n >= end) resolve();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
    void consumer.run({
      eachMessage: async ({ message }) => {
        if (BigInt(message.offset) >= end) return;
        const decoded = message.value === null ? null : publicLabelCodec.decode(message.value);
        if (decoded !== null && !decoded.ok)
          throw new Error(`undecodable public record at ${message.offset}`);
        out.push({
          key: message.key!.toString(),
          value: decoded === null ? null : decoded.value,
          offset: message.offset,
        });
      },
    });
  });
  await consumer.disconnect();
  return out;
}

/** The latest record per key (tombstoned keys removed), as a compacted topic's reader sees it. */
export function latestPerKey(entries: readonly PublicEntry[]): Map<string, PublicLabel> {
  const map = new Map<string, PublicLabel>();
  for (const e of entries) {
    if (e.value === null) map.delete(e.key);
    else map.set(e.key, e.value);
  }
  return map;
}

/** Polls until `check` returns true (bounded). */
export async function eventually(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}
