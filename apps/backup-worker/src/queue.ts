import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { AppEnv } from './env.js';

/** Retries with exponential backoff for retryable errors; the processor turns the rest into UnrecoverableError. */
export const JOB_DEFAULTS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 7 * 86_400, count: 1000 },
  removeOnFail: { age: 30 * 86_400 },
} as const;

/** The backup queue, the same for the worker, the schedules and the ops CLI. */
export function createQueue(env: Pick<AppEnv, 'QUEUE_NAME' | 'QUEUE_PREFIX'>, connection: Redis): Queue {
  return new Queue(env.QUEUE_NAME, { connection, prefix: env.QUEUE_PREFIX, defaultJobOptions: JOB_DEFAULTS });
}
