import { z } from 'zod';

/** The job types on the backup queue; one queue, so one worker's concurrency bounds all S3/Kafka load. */
export const JOB_NAMES = ['backup', 'replicate', 'verify', 'restore', 'prune', 'sweep'] as const;
export type JobName = (typeof JOB_NAMES)[number];

const topic = z.string().min(1).max(249);
const backupId = z.string().min(1).max(200);
const source = z.enum(['primary', 'replica']).default('primary');

export const jobDataSchemas = {
  backup: z.object({ topic }),
  replicate: z.object({ topic, backupId }),
  verify: z.object({ topic, backupId, source }),
  restore: z.object({
    topic,
    backupId,
    /** Default: the backed-up topic itself. */
    targetTopic: topic.optional(),
    source,
    dryRun: z.boolean().default(false),
    /** Required when the target is a production topic. */
    confirmProduction: z.boolean().default(false),
  }),
  prune: z.object({ topics: z.array(topic).optional() }),
  /** Enqueue missing replicate/verify follow-ups of complete backups; default every topic in the primary bucket. */
  sweep: z.object({ topics: z.array(topic).optional() }),
} satisfies Record<JobName, z.ZodType>;

export type JobData = { [K in JobName]: z.input<(typeof jobDataSchemas)[K]> };

/** Progress reported on the job while it runs. */
export interface JobProgressInfo {
  phase: string;
  records: number;
  bytes: number;
  total?: number;
}

/**
 * Job ids that make enqueueing idempotent: the same restore/verify/replicate asked twice is one job. Backups
 * are deduplicated per topic instead (a second request while one is queued or running is dropped).
 */
export function jobIdFor<N extends JobName>(name: N, data: JobData[N]): string | undefined {
  const d = data as Record<string, unknown>;
  switch (name) {
    case 'replicate':
      return `replicate|${d.topic}|${d.backupId}`;
    case 'verify':
      return `verify|${d.topic}|${d.backupId}|${d.source ?? 'primary'}`;
    case 'restore':
      return `restore|${d.targetTopic ?? d.topic}|${d.backupId}|${d.source ?? 'primary'}|${d.dryRun ? 'dry' : 'apply'}`;
    default:
      return undefined;
  }
}

/** The topic a job locks, if any: backups lock their topic, restores their target. */
export function lockedTopic(name: JobName, data: Record<string, unknown>): string | undefined {
  if (name === 'backup') return data.topic as string;
  if (name === 'restore' && data.dryRun !== true) return (data.targetTopic ?? data.topic) as string;
  return undefined;
}
