import { randomUUID } from 'node:crypto';
import { createTestKafka } from '@labeldocs/testkit';
import { describe, expect, it } from 'vitest';
import { freshTopic, openStore } from './helpers.js';

describe('writer group without committed offsets', () => {
  it('old commands left over after the writer offsets expired are not replayed over newer state', async () => {
    const topic = freshTopic('expired');
    // A deployment whose writer group offsets expired after a long full outage: state at k=v1, and an old,
    // long-timed-out command for k still in the commands topic.
    const kafka = createTestKafka();
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic, numPartitions: 3, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
        { topic: `${topic}.commands`, numPartitions: 3 },
      ],
    });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        { key: 'k', value: JSON.stringify({ n: 1 }), headers: { 'kv-version': '1', 'kv-request': 'r1' } },
      ],
    });
    const hourAgo = String(Date.now() - 3_600_000);
    await producer.send({
      topic: `${topic}.commands`,
      messages: [
        {
          key: 'k',
          value: JSON.stringify({ n: 99 }),
          timestamp: hourAgo,
          headers: { 'kv-op': 'put', 'kv-request': randomUUID(), 'kv-reply-to': 'gone' },
        },
      ],
    });
    await producer.disconnect();

    const store = await openStore(topic);
    expect(store.get('k')).toEqual({ value: { n: 1 }, version: 1 });
    // The new write is decided after the old command: had the old one been replayed, this would be version 3.
    expect(await store.put('k', { n: 2 }, { expectedVersion: 1 })).toEqual({ value: { n: 2 }, version: 2 });
    await store.sync();
    expect(store.get('k')).toEqual({ value: { n: 2 }, version: 2 });
  });
});
