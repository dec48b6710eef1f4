import { randomUUID } from 'node:crypto';
import { createKvStore } from '@labeldocs/kv-store';
import { type LabelRecord, labelRecordCodec, TOPICS } from '@labeldocs/schemas';
import { createTestKafka, testEnv, uniqueName } from '@labeldocs/testkit';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Publisher } from '../src/index.js';
import {
  compacted,
  createTopic,
  docRecord,
  eventually,
  latestPerKey,
  quietLogger,
  readPublic,
  testMetrics,
} from './helpers.js';

describe('publisher fed by kv-store', () => {
  it('publishes kv-store writes with their version and a delete as a tombstone', async () => {
    const labelsTopic = uniqueName('pp-kv-labels');
    onTestFinished(async () => {
      const admin = createTestKafka().admin();
      await admin.connect();
      const mine = (await admin.listTopics()).filter((t) => t.startsWith(labelsTopic));
      await admin.deleteTopics({ topics: mine }).catch(() => undefined);
      await admin.disconnect();
    });
    const store = createKvStore<LabelRecord>({
      brokers: testEnv().kafkaBrokers,
      topic: labelsTopic,
      codec: labelRecordCodec,
      clientId: 'pp-kv-test',
      partitions: 2,
    });
    onTestFinished(() => store.close());
    await store.start();
    const topics = {
      labels: labelsTopic,
      tracked: await createTopic('pp-kv-tracked', { config: compacted }),
      public: await createTopic('pp-kv-public', { config: compacted }),
    };
    await store.put('san_A', docRecord('san_A'));
    await store.put('san_A', docRecord('san_A', { description: 'second' }));
    await store.put('san_B', docRecord('san_B'));
    const { metrics } = testMetrics();
    const publisher = new Publisher({
      kafka: createTestKafka(),
      topics,
      consumerGroup: `${TOPICS.publicLabels}-test-${randomUUID()}`,
      transactionalId: `pp-kv-${randomUUID()}`,
      metrics,
      logger: quietLogger(),
    });
    onTestFinished(() => publisher.close());
    publisher.start();
    await publisher.ready();
    expect(latestPerKey(await readPublic(topics.public)).get('san_A')?.documentation).toMatchObject({
      version: 2,
      description: 'second',
    });
    await store.put('san_A', docRecord('san_A', { description: 'third' }));
    await store.delete('san_B');
    await eventually(
      async () => (await readPublic(topics.public)).length === 4,
      'the edit and the tombstone',
    );
    const entries = await readPublic(topics.public);
    // catch-up first (one record per label), then the edit and the tombstone, each from its own partition
    expect(
      entries
        .slice(0, 2)
        .map((e) => e.key)
        .sort(),
    ).toEqual(['san_A', 'san_B']);
    const after = new Map(entries.slice(2).map((e) => [e.key, e.value]));
    expect(after.get('san_A')?.documentation).toMatchObject({ version: 3, description: 'third' });
    expect(after.has('san_B') && after.get('san_B')).toBeNull();
  });
});
