import {
  BackupLockedError,
  backupTopic,
  pruneBackups,
  replicateBackup,
  restoreBackup,
  type S3Location,
  type TopicLock,
  verifyBackup,
} from '@labeldocs/s3-backup';
import { type Job, type Queue, UnrecoverableError } from 'bullmq';
import type { Kafka } from 'kafkajs';
import type { z } from 'zod';
import { type JobData, type JobName, type JobProgressInfo, jobDataSchemas, jobIdFor } from './jobs.js';
import type { BackupMetrics } from './metrics.js';
import { sweepFollowUps } from './sweep.js';

export interface ProcessorContext {
  kafka: Kafka;
  primary: S3Location;
  replica: S3Location;
  lock: TopicLock;
  metrics: BackupMetrics;
  queue: Queue;
  productionTopics: string[];
  backupTopics: string[];
  retention: { keepLast: number; keepDailyDays: number };
  /** Test hook (TEST_KILL_AFTER_MANIFEST): SIGKILL this process right after a backup's manifest is written. */
  killAfterManifest?: boolean;
}

type Data<N extends JobName> = z.output<(typeof jobDataSchemas)[N]>;

/** Reports progress at most twice a second (every batch would flood Redis); `flush` sends the last one. */
function progressReporter(job: Job, phase: string) {
  let last = 0;
  let latest: JobProgressInfo | undefined;
  const send = async () => {
    if (latest !== undefined) await job.updateProgress(latest).catch(() => undefined);
  };
  const report = (p: { records: number; bytes: number; total?: number }) => {
    latest = { phase, ...p };
    const now = Date.now();
    if (now - last < 500) return;
    last = now;
    void send();
  };
  return Object.assign(report, { flush: send });
}

export async function enqueue<N extends JobName>(queue: Queue, name: N, data: JobData[N]) {
  const jobId = jobIdFor(name, data);
  return queue.add(name, data, {
    ...(jobId === undefined ? {} : { jobId }),
    // One backup of a topic queued or running at a time; a second request while one is pending is dropped.
    ...(name === 'backup' ? { deduplication: { id: `backup:${(data as { topic: string }).topic}` } } : {}),
    // One sweep queued or running at a time, however many workers start together.
    ...(name === 'sweep' ? { deduplication: { id: 'sweep' } } : {}),
  });
}

export function parseJob<N extends JobName>(name: string, data: unknown): { name: N; data: Data<N> } {
  if (!(name in jobDataSchemas)) throw new UnrecoverableError(`unknown job type "${name}"`);
  const result = jobDataSchemas[name as N].safeParse(data);
  if (!result.success)
    throw new UnrecoverableError(
      `invalid ${name} job: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  return { name: name as N, data: result.data as Data<N> };
}

export async function runJob(ctx: ProcessorContext, job: Job, signal: AbortSignal): Promise<unknown> {
  const { name, data } = parseJob(job.name, job.data);
  const where = (source: 'primary' | 'replica') => (source === 'replica' ? ctx.replica : ctx.primary);
  switch (name) {
    case 'backup': {
      const { topic } = data as Data<'backup'>;
      const held = await ctx.lock(topic);
      try {
        const progress = progressReporter(job, 'backup');
        const m = await backupTopic({
          kafka: ctx.kafka,
          topic,
          s3: ctx.primary,
          signal,
          onProgress: progress,
        });
        // The window the sweep closes: the backup is complete, its follow-ups are not enqueued yet.
        if (ctx.killAfterManifest) process.kill(process.pid, 'SIGKILL');
        await progress.flush();
        const bytes = m.segments.reduce((n, s) => n + s.bytes, 0);
        ctx.metrics.backupSucceeded(topic, new Date());
        ctx.metrics.backupBytes.set({ topic }, bytes);
        ctx.metrics.backupRecords.set({ topic }, m.totalRecords);
        await enqueue(ctx.queue, 'replicate', { topic, backupId: m.backupId });
        await enqueue(ctx.queue, 'verify', { topic, backupId: m.backupId, source: 'primary' });
        return {
          backupId: m.backupId,
          records: m.totalRecords,
          stateKeys: m.stateKeys,
          bytes,
          segments: m.segments.length,
        };
      } finally {
        await held.release();
      }
    }
    case 'replicate': {
      const d = data as Data<'replicate'>;
      const status = await replicateBackup({ source: ctx.primary, replica: ctx.replica, ...d, signal });
      await enqueue(ctx.queue, 'verify', { ...d, source: 'replica' });
      return status;
    }
    case 'verify': {
      const d = data as Data<'verify'>;
      const result = await verifyBackup({
        s3: where(d.source),
        topic: d.topic,
        backupId: d.backupId,
        signal,
      });
      if (!result.ok) throw new UnrecoverableError(`${result.error?.code}: ${result.error?.message}`);
      return result;
    }
    case 'restore': {
      const d = data as Data<'restore'>;
      const target = d.targetTopic ?? d.topic;
      if (!d.dryRun && ctx.productionTopics.includes(target) && !d.confirmProduction)
        throw new UnrecoverableError(
          `restoring into production topic ${target} needs confirmProduction (--confirm-production)`,
        );
      const progress = progressReporter(job, 'restore');
      const result = await restoreBackup({
        kafka: ctx.kafka,
        topic: d.topic,
        backupId: d.backupId,
        targetTopic: target,
        s3: where(d.source),
        dryRun: d.dryRun,
        lock: ctx.lock,
        maxDiffKeys: 200,
        signal,
        onProgress: progress,
      });
      await progress.flush();
      return result;
    }
    case 'prune': {
      const topics = (data as Data<'prune'>).topics ?? ctx.backupTopics;
      const out: Record<string, { primary: string[]; replica: string[] }> = {};
      for (const topic of topics) {
        const policy = ctx.retention;
        const primary = await pruneBackups({ s3: ctx.primary, topic, policy });
        const replica = await pruneBackups({ s3: ctx.replica, topic, policy });
        out[topic] = { primary: primary.deleted, replica: replica.deleted };
      }
      return out;
    }
    case 'sweep':
      return sweepFollowUps(ctx.queue, ctx, (data as Data<'sweep'>).topics);
  }
}

export const isLocked = (error: unknown) => error instanceof BackupLockedError;
