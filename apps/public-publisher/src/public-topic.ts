import kafkajs, { type Kafka } from 'kafkajs';
import { BootstrapFailedError, TopicMisconfiguredError } from './errors.js';

export interface PublicTopicOptions {
  topic: string;
  /** Topics that must exist before anything is read (the sources; their owners create them). */
  sources: readonly string[];
  /** Used only when the topic does not exist yet. */
  partitions: number;
  replicationFactor: number;
}

/**
 * Checks the source topics exist, creates the public topic (compacted: consumers read the latest record per label) when it is missing and
 * refuses to publish into one that is not compacted, because consumers rely on compaction to bootstrap.
 */
export async function ensureTopics(kafka: Kafka, o: PublicTopicOptions): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = await admin.listTopics();
    const missing = o.sources.filter((t) => !existing.includes(t));
    if (missing.length > 0)
      throw new BootstrapFailedError(`source topic(s) ${missing.join(', ')} do not exist yet`);
    if (!existing.includes(o.topic)) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: [
          {
            topic: o.topic,
            numPartitions: o.partitions,
            replicationFactor: o.replicationFactor,
            configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
          },
        ],
      });
      return;
    }
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [
        { type: kafkajs.ConfigResourceTypes.TOPIC, name: o.topic, configNames: ['cleanup.policy'] },
      ],
    });
    const policy = described.resources[0]?.configEntries.find((e) => e.configName === 'cleanup.policy');
    if (!policy?.configValue.split(',').includes('compact')) {
      throw new TopicMisconfiguredError(
        `public topic ${o.topic} has cleanup.policy=${policy?.configValue ?? 'unknown'}; it must include compact`,
      );
    }
  } finally {
    await admin.disconnect();
  }
}
