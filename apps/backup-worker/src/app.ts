import { createRegistry, onceClose, registerOpsRoutes } from '@labeldocs/app-kit';
import { listBackups, type S3Location } from '@labeldocs/s3-backup';
import { DelayedError, type Job, type Queue, UnrecoverableError, Worker } from 'bullmq';
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import type { Logger } from 'pino';
import { registerBoard } from './board.js';
import type { AppEnv } from './env.js';
import { createMetrics } from './metrics.js';
import { enqueue, isLocked, type ProcessorContext, runJob } from './processors.js';
import { createQueue } from './queue.js';
import { redisTopicLock } from './redis-lock.js';
import { upsertSchedules } from './schedules.js';

export interface AppOptions {
  env: AppEnv;
  logger: Logger;
}

export interface BackupWorkerApp {
  http: FastifyInstance;
  queue: Queue;
  worker: Worker;
  /** Connects, installs the schedules, starts processing. */
  start(): Promise<void>;
  /** Stops taking jobs, lets running ones finish for SHUTDOWN_GRACE_MS, then aborts them (they resume on restart). */
  close(): Promise<void>;
}

export function s3Locations(env: AppEnv): { primary: S3Location; replica: S3Location } {
  const loc = (p: 'S3_PRIMARY' | 'S3_REPLICA'): S3Location => ({
    endpoint: env[`${p}_ENDPOINT`],
    region: env[`${p}_REGION`],
    accessKeyId: env[`${p}_ACCESS_KEY_ID`],
    secretAccessKey: env[`${p}_SECRET_ACCESS_KEY`],
    bucket: env[`${p}_BUCKET`],
    prefix: env.BACKUP_PREFIX,
  });
  return { primary: loc('S3_PRIMARY'), replica: loc('S3_REPLICA') };
}

/** backup-worker: a BullMQ worker for backup jobs plus its HTTP face (health, metrics, bull-board). */
export function buildApp({ env, logger }: AppOptions): BackupWorkerApp {
  const registry = createRegistry('backup-worker');
  const metrics = createMetrics(registry, env.BACKUP_TOPICS);
  const connection = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
  const locks = new Redis(env.REDIS_URL);
  const queueOpts = { connection, prefix: env.QUEUE_PREFIX };
  const queue = createQueue(env, connection);
  const kafka = new Kafka({ clientId: 'backup-worker', brokers: env.KAFKA_BROKERS, logLevel: logLevel.WARN });
  const { primary, replica } = s3Locations(env);
  const lost = new Map<string, AbortController>();
  const ctx: ProcessorContext = {
    kafka,
    primary,
    replica,
    lock: redisTopicLock({
      redis: locks,
      prefix: `${env.QUEUE_PREFIX}:${env.QUEUE_NAME}:lock`,
      ttlMs: env.LOCK_TTL_MS,
      onLost: (topic) => lost.get(topic)?.abort(new Error(`lock on ${topic} was lost`)),
    }),
    metrics,
    queue,
    productionTopics: env.PRODUCTION_TOPICS,
    backupTopics: env.BACKUP_TOPICS,
    retention: { keepLast: env.RETENTION_KEEP_LAST, keepDailyDays: env.RETENTION_DAILY_DAYS },
    killAfterManifest: env.TEST_KILL_AFTER_MANIFEST === '1',
  };

  const processor = async (job: Job, token?: string, signal?: AbortSignal) => {
    const started = performance.now();
    const own = new AbortController();
    const topic = (job.data as { targetTopic?: string; topic?: string }).targetTopic ?? job.data.topic;
    if (typeof topic === 'string') lost.set(topic, own);
    try {
      const result = await runJob(
        ctx,
        job,
        signal === undefined ? own.signal : AbortSignal.any([signal, own.signal]),
      );
      metrics.jobDuration.observe({ type: job.name, outcome: 'ok' }, (performance.now() - started) / 1000);
      return result;
    } catch (error) {
      if (isLocked(error) && token !== undefined) {
        // Busy topic: wait without spending an attempt; the holder finishes or its lock expires.
        logger.info({ job: job.id, topic }, 'topic locked, job delayed');
        await job.moveToDelayed(Date.now() + 2000, token);
        throw new DelayedError();
      }
      const code = (error as { code?: string }).code ?? 'UNKNOWN';
      metrics.failures.inc({ type: job.name, code });
      metrics.jobDuration.observe({ type: job.name, outcome: 'error' }, (performance.now() - started) / 1000);
      logger.warn({ job: job.id, name: job.name, code, err: error }, 'job attempt failed');
      if (error instanceof UnrecoverableError) throw error;
      if ((error as { retryable?: boolean }).retryable === false)
        throw new UnrecoverableError(`${code}: ${(error as Error).message}`);
      throw error;
    } finally {
      if (typeof topic === 'string' && lost.get(topic) === own) lost.delete(topic);
    }
  };
  const worker = new Worker(env.QUEUE_NAME, processor, {
    ...queueOpts,
    autorun: false,
    concurrency: env.WORKER_CONCURRENCY,
    lockDuration: 30_000,
  });
  worker.on('failed', (job, error) =>
    logger.error({ job: job?.id, name: job?.name, err: error }, 'job failed'),
  );
  worker.on('completed', (job) => logger.info({ job: job.id, name: job.name }, 'job completed'));

  let state: 'new' | 'running' | 'closing' = 'new';
  const http = Fastify({ logger: false });
  registerOpsRoutes(http, {
    registry,
    notReadyReason: () => {
      if (state !== 'running') return state === 'new' ? 'starting' : 'closing';
      if (connection.status !== 'ready') return `redis is ${connection.status}`;
      return undefined;
    },
  });
  registerBoard(http, queue, env.BACKUP_OPS_TOKENS);

  const close = onceClose(
    [
      [
        'state',
        () => {
          state = 'closing';
        },
      ],
      [
        'worker',
        async () => {
          const finished = worker.close();
          const timer = setTimeout(() => worker.cancelAllJobs('shutting down'), env.SHUTDOWN_GRACE_MS);
          await finished.finally(() => clearTimeout(timer));
        },
      ],
      ['queue', () => queue.close()],
      ['redis', () => Promise.all([connection.quit(), locks.quit()])],
    ],
    logger,
  );

  return {
    http,
    queue,
    worker,
    async start() {
      await queue.waitUntilReady();
      if (env.SCHEDULES_ENABLED === '1') await upsertSchedules(queue, env);
      await seedLastSuccess(env.BACKUP_TOPICS, primary, metrics.backupSucceeded, logger);
      void worker.run();
      await worker.waitUntilReady();
      // Recovery, not a schedule: runs even with SCHEDULES_ENABLED=0, so a restart after a crash is enough.
      await enqueue(queue, 'sweep', {});
      state = 'running';
    },
    close,
  };
}

/** After a restart the age metric starts from the newest backup found in S3, not from "never". */
async function seedLastSuccess(
  topics: string[],
  s3: S3Location,
  record: (topic: string, at: Date) => void,
  logger: Logger,
): Promise<void> {
  for (const topic of topics) {
    try {
      const newest = (await listBackups({ s3, topic })).find((b) => b.status === 'complete');
      if (newest?.createdAt) record(topic, new Date(newest.createdAt));
    } catch (error) {
      logger.warn({ err: error, topic }, 'could not read the last backup time');
    }
  }
}
