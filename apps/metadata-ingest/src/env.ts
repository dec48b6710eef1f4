import { envFields, parseEnv } from '@labeldocs/app-kit';
import { TOPICS } from '@labeldocs/schemas';
import { z } from 'zod';

const ms = (fallback: number, min = 10) => z.coerce.number().int().min(min).default(fallback);

/** Every variable metadata-ingest reads; the only file that touches process.env. */
export const envSchema = z.object({
  HOST: envFields.host,
  PORT: envFields.port(8081),
  KAFKA_BROKERS: envFields.brokers,
  LOG_LEVEL: envFields.logLevel,
  IMPRESSIONS_TOPIC: z.string().min(1).default(TOPICS.impressions),
  AGGREGATES_TOPIC: z.string().min(1).default(TOPICS.trackedLabelAggregates),
  DLQ_TOPIC: z.string().min(1).default(TOPICS.impressionsDeadLetter),
  TRACKED_LABELS_TOPIC: z.string().min(1).default(TOPICS.trackedLabels),
  LABELS_TOPIC: z.string().min(1).default(TOPICS.labels),
  INGEST_GROUP_ID: z.string().min(1).default('labeldocs.metadata-ingest'),
  /** Flush everything, then commit offsets, this often: the most a crash makes the worker re-read. */
  COMMIT_INTERVAL_MS: ms(30_000, 100),
  /** Write labels with a meaningful change this often (how fast a new label shows up). */
  FLUSH_INTERVAL_MS: ms(1_000),
  /** Last-seen moving this far is a meaningful change. */
  LAST_SEEN_INTERVAL_MS: ms(60_000, 0),
  /** Daily counts kept per label. */
  DAILY_COUNT_DAYS: z.coerce.number().int().min(1).max(400).default(30),
  /** A groups.json with the same shape as @labeldocs/schemas' registry; default the built-in one. */
  GROUP_REGISTRY_FILE: z.string().min(1).optional(),
  IMPRESSION_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(6),
});

export type AppEnv = z.infer<typeof envSchema>;

export const loadEnv = (env: NodeJS.ProcessEnv = process.env): AppEnv => parseEnv(envSchema, env);

/** What `pnpm simulate` reads (the stack's env). */
export const simulateEnvSchema = z.object({
  KAFKA_BROKERS: envFields.brokers,
  IMPRESSIONS_TOPIC: z.string().min(1).default(TOPICS.impressions),
});

export const loadSimulateEnv = (env: NodeJS.ProcessEnv = process.env) => parseEnv(simulateEnvSchema, env);
