import { randomUUID } from 'node:crypto';
import { type Admin, Kafka, type KafkaConfig, logLevel } from 'kafkajs';
import { onTestFinished } from 'vitest';
import { testEnv } from './env.ts';

/** A name no other test (or earlier run) uses: `prefix-<uuid>`. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID()}`;
}

/** A kafkajs client for the local broker; quiet unless a test asks for logs. */
export function createTestKafka(overrides: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId: 'labeldocs-test',
    brokers: testEnv().kafkaBrokers,
    logLevel: logLevel.NOTHING,
    ...overrides,
  });
}

/**
 * Creates a fresh topic for one test and deletes it when the test finishes.
 * `config` entries are Kafka topic configs such as `{ 'cleanup.policy': 'compact' }`.
 */
export async function createTestTopic(
  prefix: string,
  opts: { partitions?: number; config?: Record<string, string>; keep?: boolean } = {},
): Promise<string> {
  const topic = uniqueName(prefix);
  const admin: Admin = createTestKafka().admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic,
          numPartitions: opts.partitions ?? 1,
          replicationFactor: 1,
          configEntries: Object.entries(opts.config ?? {}).map(([name, value]) => ({ name, value })),
        },
      ],
    });
    // Under load the broker can answer "does not host this topic-partition" for a moment after creation:
    // wait until every partition answers an offset request before handing the topic to a test.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const offsets = await admin.fetchTopicOffsets(topic).catch(() => []);
      if (offsets.length === (opts.partitions ?? 1)) break;
      if (Date.now() > deadline) throw new Error(`testkit: topic ${topic} has no leaders after 30 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await admin.disconnect();
  }
  if (!opts.keep) {
    onTestFinished(async () => {
      const cleanup = createTestKafka().admin();
      await cleanup.connect();
      await cleanup.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await cleanup.disconnect();
    });
  }
  return topic;
}
