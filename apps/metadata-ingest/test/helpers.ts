import { setTimeout as sleep } from 'node:timers/promises';
import { createRegistry } from '@labeldocs/app-kit';
import { createKvStore, type KafkaKeyValueStore } from '@labeldocs/kv-store';
import { type Impression, type LabelRecord, labelRecordCodec } from '@labeldocs/schemas';
import { createTestKafka, testEnv, uniqueName } from '@labeldocs/testkit';
import type { Message } from 'kafkajs';
import { pino } from 'pino';
import { onTestFinished } from 'vitest';
import {
  IngestWorker,
  type IngestWorkerOptions,
  type TrackedLabelState,
  trackedLabelStateCodec,
} from '../src/index.js';

export interface Topics {
  impressions: string;
  aggregates: string;
  dlq: string;
  tracked: string;
  labels: string;
  group: string;
}

/** Fresh names for every topic a worker touches; all deleted (kv-store companions included) after the test. */
export function freshTopics(): Topics {
  const base = uniqueName('t-ingest');
  const t: Topics = {
    impressions: `${base}.impressions`,
    aggregates: `${base}.aggregates`,
    dlq: `${base}.dlq`,
    tracked: `${base}.tracked`,
    labels: `${base}.labels`,
    group: `${base}.group`,
  };
  onTestFinished(async () => {
    const admin = createTestKafka().admin();
    await admin.connect();
    const existing = await admin.listTopics();
    await admin
      .deleteTopics({ topics: existing.filter((name) => name.startsWith(base)) })
      .catch(() => undefined);
    await admin.disconnect();
  });
  return t;
}

export async function createInputTopics(t: Topics, partitions: number): Promise<void> {
  const admin = createTestKafka().admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [t.impressions, t.aggregates, t.dlq].map((topic) => ({ topic, numPartitions: partitions })),
  });
  await admin.disconnect();
}

export function workerOptions(t: Topics, overrides: Partial<IngestWorkerOptions> = {}): IngestWorkerOptions {
  return {
    brokers: testEnv().kafkaBrokers,
    impressionsTopic: t.impressions,
    aggregatesTopic: t.aggregates,
    dlqTopic: t.dlq,
    trackedLabelsTopic: t.tracked,
    labelsTopic: t.labels,
    groupId: t.group,
    commitIntervalMs: 500,
    flushIntervalMs: 200,
    lastSeenIntervalMs: 60_000,
    sessionTimeoutMs: 6_000,
    registry: createRegistry('metadata-ingest'),
    logger: pino({ level: 'silent' }),
    ...overrides,
  };
}

/** A started worker, closed when the test ends. */
export async function startWorker(
  t: Topics,
  overrides: Partial<IngestWorkerOptions> = {},
): Promise<IngestWorker> {
  const worker = new IngestWorker(workerOptions(t, overrides));
  onTestFinished(() => worker.close().catch(() => undefined));
  await worker.start();
  return worker;
}

export async function produce(topic: string, messages: Message[]): Promise<void> {
  const producer = createTestKafka().producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let i = 0; i < messages.length; i += 500) {
    await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 500) });
  }
  await producer.disconnect();
}

export const impressionMessage = (impression: Impression, partition?: number): Message => ({
  value: JSON.stringify(impression),
  ...(partition === undefined ? {} : { partition }),
});

/** A read-only view of the tracked-labels state, as any other app would hold it. */
export async function trackedView(t: Topics): Promise<KafkaKeyValueStore<TrackedLabelState>> {
  const store = createKvStore<TrackedLabelState>({
    brokers: testEnv().kafkaBrokers,
    topic: t.tracked,
    codec: trackedLabelStateCodec,
    readOnly: true,
  });
  onTestFinished(() => store.close());
  await store.start();
  await store.ready();
  return store;
}

/** Writes documentation records the way the documentor does (kv-store on the labels topic). */
export async function documentLabels(t: Topics, records: LabelRecord[]): Promise<void> {
  const store = createKvStore<LabelRecord>({
    brokers: testEnv().kafkaBrokers,
    topic: t.labels,
    codec: labelRecordCodec,
  });
  await store.start();
  await store.ready();
  for (const record of records) await store.put(record.name, record);
  await store.close();
}

/** Polls `probe` (sync or async; a throw counts as "not yet") until it returns something. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 45_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await Promise.resolve()
      .then(probe)
      .catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}
