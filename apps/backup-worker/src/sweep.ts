import { listBackedUpTopics, listBackups, type S3Location } from '@labeldocs/s3-backup';
import type { Queue } from 'bullmq';
import { enqueue } from './processors.js';

export interface SweepResult {
  /** Topics whose backups were looked at. */
  topics: number;
  /** Complete backups seen on the primary. */
  backups: number;
  /** Ids of the follow-up jobs ensured (queue.add with an id that exists leaves that job as it is). */
  ensured: string[];
}

/**
 * Closes the gap between "backup complete" and "follow-ups enqueued": a worker killed right after writing a
 * manifest never enqueued its replicate/verify jobs, so every complete backup on the primary that has no
 * replication status, or no verification record on either side, gets those jobs enqueued. Job ids are
 * deterministic (`replicate|topic|id`, `verify|topic|id|source`), so a sweep racing a live backup, another
 * worker's sweep, or a job still queued adds nothing twice. Runs at every worker start and on SWEEP_CRON.
 */
export async function sweepFollowUps(
  queue: Queue,
  s3: { primary: S3Location; replica: S3Location },
  topics?: string[],
): Promise<SweepResult> {
  const result: SweepResult = { topics: 0, backups: 0, ensured: [] };
  // Every topic with backups in the bucket, not only BACKUP_TOPICS: ops may back up any topic by hand.
  for (const topic of topics ?? (await listBackedUpTopics({ s3: s3.primary }))) {
    result.topics++;
    const complete = (await listBackups({ s3: s3.primary, topic })).filter((b) => b.status === 'complete');
    if (complete.length === 0) continue;
    const replicaVerified = new Set(
      (await listBackups({ s3: s3.replica, topic }))
        .filter((b) => b.status === 'complete' && b.verification !== undefined)
        .map((b) => b.backupId),
    );
    for (const b of complete) {
      result.backups++;
      const add = (job: { id?: string | undefined }) => void (job.id && result.ensured.push(job.id));
      const { backupId } = b;
      // `failed` replications are enqueued again too: a no-op while the failed job is kept (ops see it),
      // a fresh attempt once it has been removed.
      if (b.replication?.status !== 'replicated') add(await enqueue(queue, 'replicate', { topic, backupId }));
      else if (!replicaVerified.has(backupId))
        add(await enqueue(queue, 'verify', { topic, backupId, source: 'replica' }));
      if (b.verification === undefined)
        add(await enqueue(queue, 'verify', { topic, backupId, source: 'primary' }));
    }
  }
  return result;
}
