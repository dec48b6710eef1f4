import { testEnv, uniqueName } from '@labeldocs/testkit';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { describe, expect, it, onTestFinished } from 'vitest';

describe("BullMQ on the stack's Redis", () => {
  it('round-trips a job: enqueued, processed by a worker, result returned', async () => {
    const url = new URL(testEnv().redisUrl);
    const connection = { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null };
    const name = uniqueName('smoke-queue');
    const queue = new Queue(name, { connection });
    const events = new QueueEvents(name, { connection });
    const worker = new Worker(name, async (job) => ({ doubled: (job.data as { n: number }).n * 2 }), {
      connection,
    });
    onTestFinished(async () => {
      await worker.close();
      await events.close();
      await queue.obliterate({ force: true });
      await queue.close();
    });
    await events.waitUntilReady();
    const job = await queue.add('double', { n: 21 });
    expect(await job.waitUntilFinished(events, 30_000)).toEqual({ doubled: 42 });
  });
});
