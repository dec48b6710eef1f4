import { envFields, parseEnv } from '@labeldocs/app-kit';
import { TOPICS } from '@labeldocs/schemas';
import { z } from 'zod';

const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false'], { message: 'must be true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true');

/** Every variable public-publisher reads; the only file that touches process.env. docs/public-topic.md lists them. */
export const envSchema = z.object({
  HOST: envFields.host,
  PORT: envFields.port(8082),
  KAFKA_BROKERS: envFields.brokers,
  LOG_LEVEL: envFields.logLevel,
  /** Kafka client id. */
  KAFKA_CLIENT_ID: z.string().min(1).default('public-publisher'),
  /** documentor's compacted documentation topic (source). */
  LABELS_TOPIC: z.string().min(1).default(TOPICS.labels),
  /** metadata-ingest's compacted tracked-label topic (source). */
  TRACKED_LABELS_TOPIC: z.string().min(1).default(TOPICS.trackedLabels),
  /** The compacted public topic this app owns. */
  PUBLIC_TOPIC: z.string().min(1).default(TOPICS.publicLabels),
  /** Partitions when the public topic has to be created. */
  PUBLIC_TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(1),
  /** Replication factor when the public topic has to be created. */
  PUBLIC_TOPIC_REPLICATION_FACTOR: z.coerce.number().int().min(1).max(10).default(1),
  /** Consumer group the publish transactions commit source offsets to (what lag tooling shows). */
  CONSUMER_GROUP: z.string().min(1).default('labeldocs.public-publisher'),
  /** The transactional id is `<prefix>-0`; one running publisher per prefix. */
  TRANSACTIONAL_ID_PREFIX: z.string().min(1).default('labeldocs.public-publisher'),
  /** Publish tracked labels nobody documented yet, with documentation.state "missing". */
  PUBLISH_UNDOCUMENTED: bool(true),
  /** Publish every label again on start (same as the --republish flag). */
  REPUBLISH: bool(false),
  /** Pause before rebuilding after an error. */
  RESTART_BACKOFF_MS: z.coerce.number().int().min(0).max(600_000).default(1_000),
});

export type AppEnv = z.infer<typeof envSchema>;

export const loadEnv = (env: NodeJS.ProcessEnv = process.env): AppEnv => parseEnv(envSchema, env);

export const transactionalIdOf = (env: Pick<AppEnv, 'TRANSACTIONAL_ID_PREFIX'>): string =>
  `${env.TRANSACTIONAL_ID_PREFIX}-0`;
