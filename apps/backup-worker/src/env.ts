import { envFields, parseEnv } from '@labeldocs/app-kit';
import { TOPICS } from '@labeldocs/schemas';
import { z } from 'zod';

const list = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    );
/** Every variable backup-worker reads; the only file that touches process.env. */
export const envSchema = z.object({
  HOST: envFields.host,
  PORT: envFields.port(8083),
  KAFKA_BROKERS: envFields.brokers,
  LOG_LEVEL: envFields.logLevel,
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .default('redis://127.0.0.1:6379'),
  /** BullMQ key prefix and queue name; tests use unique ones. */
  QUEUE_PREFIX: z.string().min(1).default('labeldocs'),
  QUEUE_NAME: z.string().min(1).default('backup'),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  S3_PRIMARY_ENDPOINT: z.url().default('http://127.0.0.1:19000'),
  S3_PRIMARY_REGION: z.string().default('us-east-1'),
  S3_PRIMARY_ACCESS_KEY_ID: z.string().min(1, 'is required'),
  S3_PRIMARY_SECRET_ACCESS_KEY: z.string().min(1, 'is required'),
  S3_PRIMARY_BUCKET: z.string().min(3).default('labeldocs-backups'),
  S3_REPLICA_ENDPOINT: z.url().default('http://127.0.0.1:19001'),
  S3_REPLICA_REGION: z.string().default('us-east-1'),
  S3_REPLICA_ACCESS_KEY_ID: z.string().min(1, 'is required'),
  S3_REPLICA_SECRET_ACCESS_KEY: z.string().min(1, 'is required'),
  S3_REPLICA_BUCKET: z.string().min(3).default('labeldocs-backups-replica'),
  BACKUP_PREFIX: z.string().min(1).default('backups'),
  /** Topics backed up on BACKUP_CRON. */
  BACKUP_TOPICS: list(`${TOPICS.labels},${TOPICS.trackedLabels}`),
  BACKUP_CRON: z.string().min(1).default('0 * * * *'),
  PRUNE_CRON: z.string().min(1).default('30 3 * * *'),
  /** Enqueues replicate/verify jobs a crashed worker never enqueued (also run at every start). */
  SWEEP_CRON: z.string().min(1).default('*/15 * * * *'),
  /** Set to 0 to disable schedules on this instance. */
  SCHEDULES_ENABLED: z.enum(['0', '1']).default('1'),
  RETENTION_KEEP_LAST: z.coerce.number().int().min(1).default(24),
  RETENTION_DAILY_DAYS: z.coerce.number().int().min(0).default(30),
  /** Restoring into one of these needs confirmProduction (the CLI's --confirm-production). */
  PRODUCTION_TOPICS: list(`${TOPICS.labels},${TOPICS.trackedLabels}`),
  /** Ops tokens for /admin/queues: plain tokens or `sha256:<hex>` entries, comma-separated. Empty disables the board. */
  BACKUP_OPS_TOKENS: list(''),
  /** How long SIGTERM waits for running jobs before aborting them (they resume after a restart). */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(20_000),
  /** Redis lock per topic: expiry, renewed every third of it while a job runs. */
  LOCK_TTL_MS: z.coerce.number().int().min(1000).default(30_000),
  /** Tests only: `1` makes the worker SIGKILL itself right after a backup's manifest is written. */
  TEST_KILL_AFTER_MANIFEST: z.enum(['0', '1']).default('0'),
});

export type AppEnv = z.infer<typeof envSchema>;

export const loadEnv = (env: NodeJS.ProcessEnv = process.env): AppEnv => parseEnv(envSchema, env);
