import { createTestKafka, createTestTopic, uniqueName } from '@labeldocs/testkit';
import { ConfigResourceTypes } from 'kafkajs';
import { describe, expect, it } from 'vitest';

async function readAll(topic: string, expected: number, readUncommitted = false) {
  const consumer = createTestKafka().consumer({ groupId: uniqueName('smoke'), readUncommitted });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen: Array<{ key: string; value: string | null }> = [];
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        seen.push({ key: message.key!.toString(), value: message.value?.toString() ?? null });
        if (seen.length >= expected) resolve();
      },
    });
  });
  await consumer.disconnect();
  return seen;
}

describe('kafkajs against the local broker', () => {
  it('writes k=v1, k=v2 and a tombstone to a compacted topic with an idempotent acks=all producer', async () => {
    const topic = await createTestTopic('smoke-compact', { config: { 'cleanup.policy': 'compact' } });
    const kafka = createTestKafka();
    const admin = kafka.admin();
    await admin.connect();
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }],
    });
    await admin.disconnect();
    const policy = described.resources[0]?.configEntries.find((e) => e.configName === 'cleanup.policy');
    expect(policy?.configValue).toBe('compact');

    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    await producer.send({
      topic,
      acks: -1,
      messages: [
        { key: 'k', value: 'v1' },
        { key: 'k', value: 'v2' },
        { key: 'k', value: null },
      ],
    });
    await producer.disconnect();
    expect(await readAll(topic, 3)).toEqual([
      { key: 'k', value: 'v1' },
      { key: 'k', value: 'v2' },
      { key: 'k', value: null },
    ]);
  });

  it('shows a read_committed consumer only the committed transaction, with offsets sent in it', async () => {
    const topic = await createTestTopic('smoke-tx');
    const kafka = createTestKafka();
    const producer = kafka.producer({
      transactionalId: uniqueName('tx'),
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    const group = uniqueName('tx-group');
    const committed = await producer.transaction();
    await committed.send({ topic, messages: [{ key: 'a', value: 'committed' }] });
    await committed.sendOffsets({
      consumerGroupId: group,
      topics: [{ topic, partitions: [{ partition: 0, offset: '1' }] }],
    });
    await committed.commit();
    const aborted = await producer.transaction();
    await aborted.send({ topic, messages: [{ key: 'b', value: 'aborted' }] });
    await aborted.abort();
    const last = await producer.transaction();
    await last.send({ topic, messages: [{ key: 'c', value: 'last' }] });
    await last.commit();
    await producer.disconnect();

    const values = (await readAll(topic, 2)).map((m) => m.value);
    expect(values).toEqual(['committed', 'last']);
    const uncommitted = (await readAll(topic, 3, true)).map((m) => m.value);
    expect(uncommitted).toContain('aborted');

    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    await admin.disconnect();
    expect(offsets[0]?.partitions[0]?.offset).toBe('1');
  });
});
