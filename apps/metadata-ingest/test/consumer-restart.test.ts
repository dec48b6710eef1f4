import { createRegistry } from '@labeldocs/app-kit';
import { createDemoCatalog, createImpressionGenerator } from '@labeldocs/demo-data';
import { createKvStore } from '@labeldocs/kv-store';
import type { Impression } from '@labeldocs/schemas';
import { createTestKafka, startIsolatedKafka, uniqueName } from '@labeldocs/testkit';
import { pino } from 'pino';
import { describe, expect, it, onTestFinished } from 'vitest';
import { IngestWorker, type TrackedLabelState, trackedLabelStateCodec } from '../src/index.js';
import { waitFor } from './helpers.js';

const count = (all: Impression[]) => {
  const totals = new Map<string, number>();
  for (const imp of all)
    for (const name of Object.keys(imp.labels)) totals.set(name, (totals.get(name) ?? 0) + 1);
  return totals;
};

describe('consumer recovery', () => {
  it('a consumer kafkajs gave up on during a broker outage is restarted: the worker is ready again and counts exactly', async () => {
    // A broker of our own: it is stopped for longer than kafkajs keeps retrying.
    const broker = await startIsolatedKafka();
    onTestFinished(() => broker.destroy());
    const kafka = createTestKafka({ brokers: broker.brokers });
    const base = uniqueName('t-restart');
    const topic = `${base}.impressions`;
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 3 }] });
    await admin.disconnect();
    const produce = async (impressions: Impression[]) => {
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      await producer.send({
        topic,
        acks: -1,
        messages: impressions.map((imp, i) => ({ value: JSON.stringify(imp), partition: i % 3 })),
      });
      await producer.disconnect();
    };

    const worker = new IngestWorker({
      brokers: broker.brokers,
      impressionsTopic: topic,
      aggregatesTopic: `${base}.aggregates`,
      dlqTopic: `${base}.dlq`,
      trackedLabelsTopic: `${base}.tracked`,
      labelsTopic: `${base}.labels`,
      groupId: `${base}.group`,
      commitIntervalMs: 500,
      flushIntervalMs: 200,
      sessionTimeoutMs: 6_000,
      // A retry budget of a few seconds: the outage outlasts it.
      consumerRetries: 2,
      restartBackoffMs: 500,
      restartBackoffMaxMs: 2_000,
      registry: createRegistry('metadata-ingest'),
      logger: pino({ level: process.env.INGEST_TEST_LOG ?? 'silent' }),
    });
    onTestFinished(() => worker.close().catch(() => undefined));
    await worker.start();
    // A reader of the tracked-labels topic, as any other app would have: what the worker wrote, nothing else.
    const openTrackedReader = async () => {
      const reader = createKvStore<TrackedLabelState>({
        brokers: broker.brokers,
        topic: `${base}.tracked`,
        codec: trackedLabelStateCodec,
        readOnly: true,
      });
      onTestFinished(() => reader.close());
      await reader.start();
      await reader.ready();
      return reader;
    };
    const view = await openTrackedReader();
    const exact = (expected: Map<string, number>) => () =>
      [...expected].every(([name, n]) => view.get(name)?.value.totalCount === n);

    const generator = createImpressionGenerator(createDemoCatalog({ labels: 80, groups: 6 }), {
      seed: 3,
      labelsPerImpression: 8,
      malformedRate: 0,
    });
    const before = Array.from({ length: 600 }, () => generator.impression());
    await produce(before);
    await waitFor('the first impressions counted', exact(count(before)), 90_000);
    expect(worker.notReadyReason()).toBeUndefined();

    // Down for longer than kafkajs' retry budget: it gives up on the consumer (a CRASH without restart).
    await broker.stop();
    const reasons = new Set<string>();
    await waitFor(
      'kafkajs giving up on the consumer',
      () => {
        const reason = worker.notReadyReason();
        if (reason !== undefined) reasons.add(reason);
        return reason?.includes('crashed');
      },
      240_000,
    );
    await broker.start();

    await waitFor('the worker ready again', () => worker.notReadyReason() === undefined, 180_000);
    const restarts = (await worker.metrics.consumerRestarts.get()).values[0]?.value ?? 0;
    expect(restarts).toBeGreaterThanOrEqual(1);

    const after = Array.from({ length: 600 }, () => generator.impression());
    await produce(after);
    const all = count([...before, ...after]);
    await waitFor('every impression counted once', exact(all), 120_000);
    // After the closing flush and commit, a fresh reader sees the same exact totals: nothing counted twice.
    await worker.close();
    const fresh = await openTrackedReader();
    expect([...all].filter(([name, n]) => fresh.get(name)?.value.totalCount !== n)).toEqual([]);
  }, 600_000);
});
