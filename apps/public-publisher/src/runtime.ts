import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { type AppEnv, transactionalIdOf } from './env.js';
import { createKafka } from './kafka.js';
import { createMetrics } from './metrics.js';
import type { PublisherOptions } from './publisher.js';

/** Publisher options from the environment; shared by server.ts and republish-cli.ts. */
export function publisherOptionsFromEnv(env: AppEnv, logger: Logger, registry: Registry): PublisherOptions {
  return {
    kafka: createKafka(env.KAFKA_BROKERS, env.KAFKA_CLIENT_ID, logger),
    topics: { labels: env.LABELS_TOPIC, tracked: env.TRACKED_LABELS_TOPIC, public: env.PUBLIC_TOPIC },
    consumerGroup: env.CONSUMER_GROUP,
    transactionalId: transactionalIdOf(env),
    publishUndocumented: env.PUBLISH_UNDOCUMENTED,
    republish: env.REPUBLISH,
    publicTopicPartitions: env.PUBLIC_TOPIC_PARTITIONS,
    replicationFactor: env.PUBLIC_TOPIC_REPLICATION_FACTOR,
    restartBackoffMs: env.RESTART_BACKOFF_MS,
    metrics: createMetrics(registry),
    logger,
  };
}
