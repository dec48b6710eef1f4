import { randomUUID } from 'node:crypto';
import { createTestBucket, createTestKafka, testEnv } from '@labeldocs/testkit';
import { type Job, type Queue, QueueEvents } from 'bullmq';
import type { Message } from 'kafkajs';
import { pino } from 'pino';
import { onTestFinished } from 'vitest';
import { type BackupWorkerApp, buildApp, loadEnv } from '../src/index.js';

export const kafka = createTestKafka();

/** Environment variables for one isolated worker: its own queue, prefix and buckets. */
export async function workerEnv(overrides: Record<string, string> = {}): Promise<Record<string, string>> {
  const t = testEnv();
  const [primary, replica] = await Promise.all([createTestBucket('primary'), createTestBucket('replica')]);
  const env: Record<string, string> = {
    KAFKA_BROKERS: t.kafkaBrokers.join(','),
    REDIS_URL: t.redisUrl,
    QUEUE_PREFIX: `t-${randomUUID()}`,
    QUEUE_NAME: 'backup',
    SCHEDULES_ENABLED: '0',
    SHUTDOWN_GRACE_MS: '0',
    LOG_LEVEL: 'silent',
  };
  for (const [p, s] of [
    ['S3_PRIMARY', t.s3.primary],
    ['S3_REPLICA', t.s3.replica],
  ] as const) {
    env[`${p}_ENDPOINT`] = s.endpoint;
    env[`${p}_ACCESS_KEY_ID`] = s.accessKeyId;
    env[`${p}_SECRET_ACCESS_KEY`] = s.secretAccessKey;
  }
  env.S3_PRIMARY_BUCKET = primary;
  env.S3_REPLICA_BUCKET = replica;
  return { ...env, ...overrides };
}

/** A started worker app, closed (and its queue obliterated) when the test ends. */
export async function startWorker(vars: Record<string, string>): Promise<BackupWorkerApp> {
  const app = buildApp({
    env: loadEnv(vars),
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
  });
  await app.start();
  onTestFinished(async () => {
    await app.close();
    await app.http.close();
  });
  return app;
}

/** Waits for a job to finish; resolves with the job in its final state. */
export async function finished(queue: Queue, id: string, timeoutMs = 45_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const state = await queue.getJobState(id);
    // Fetched after the state is final, so returnvalue / failedReason belong to that state.
    if (state === 'completed' || state === 'failed') return (await queue.getJob(id))!;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`job ${id} did not finish within ${timeoutMs} ms`);
}

export async function produce(topic: string, messages: Message[]): Promise<void> {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (let i = 0; i < messages.length; i += 1000)
    await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 1000) });
  await producer.disconnect();
}

export const records = (n: number, tag = 'v', keys = n): Message[] =>
  Array.from({ length: n }, (_, i) => ({ key: `k_Key${i % keys}`, value: `${tag}-${i}-${'x'.repeat(200)}` }));

export { QueueEvents };
