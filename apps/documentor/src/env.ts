import { envFields, parseEnv } from '@labeldocs/app-kit';
import { TOPICS } from '@labeldocs/schemas';
import { z } from 'zod';

/** Dev defaults, printed by `./dev up`; override DOCUMENTOR_TOKENS anywhere that is not a laptop. */
export const DEV_TOKENS = 'reader:dev-reader,analyst:dev-analyst,ops:dev-ops';

/**
 * Every variable documentor reads; the only file that touches process.env. docs/documentor.md documents each.
 */
export const envSchema = z.object({
  HOST: envFields.host,
  PORT: envFields.port(8080),
  KAFKA_BROKERS: envFields.brokers,
  LOG_LEVEL: envFields.logLevel,
  /** Compacted topic holding one label record per key. */
  LABELS_TOPIC: z.string().min(1).default(TOPICS.labels),
  /** Append-only change log: one event per accepted write, the source of history and `asOf`. */
  /** metadata-ingest's tracked-label topic, read only; empty disables tracked/coverage features. */
  TRACKED_LABELS_TOPIC: z.string().default(TOPICS.trackedLabels),
  /** `role:token` or `actor:role:token`, comma-separated; hashed at start-up. */
  DOCUMENTOR_TOKENS: z.string().default(DEV_TOKENS),
  /** `actor:role:<sha256 hex>`, comma-separated. */
  DOCUMENTOR_TOKEN_HASHES: z.string().default(''),
  /** Kafka client id prefix. */
  KAFKA_CLIENT_ID: z.string().min(1).default('documentor'),
  /** Largest JSON body accepted by label routes, in bytes (import has its own limit). */
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  /** Largest import body, in bytes. */
  IMPORT_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(20 * 1_048_576),
  /** Where the seed CLI sends its import (defaults to this app's own address). */
  DOCUMENTOR_URL: z.string().url().optional(),
  /** The ops token the seed CLI uses. */
  DOCUMENTOR_SEED_TOKEN: z.string().default('dev-ops'),
});

export type AppEnv = z.infer<typeof envSchema>;

export const loadEnv = (env: NodeJS.ProcessEnv = process.env): AppEnv => parseEnv(envSchema, env);
