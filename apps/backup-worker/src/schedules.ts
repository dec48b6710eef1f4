import type { Queue } from 'bullmq';
import type { AppEnv } from './env.js';
import { JOB_DEFAULTS } from './queue.js';

/**
 * Installs the recurring jobs. upsertJobScheduler is idempotent by scheduler id, so every instance may call it
 * at start; changing a cron in the env updates the schedule, and removed topics lose theirs.
 */
export async function upsertSchedules(
  queue: Queue,
  env: Pick<AppEnv, 'BACKUP_TOPICS' | 'BACKUP_CRON' | 'PRUNE_CRON' | 'SWEEP_CRON'>,
) {
  const wanted = new Set<string>();
  for (const topic of env.BACKUP_TOPICS) {
    const id = `backup:${topic}`;
    wanted.add(id);
    await queue.upsertJobScheduler(id, repeat(env.BACKUP_CRON), {
      name: 'backup',
      data: { topic },
      opts: JOB_DEFAULTS,
    });
  }
  wanted.add('prune');
  await queue.upsertJobScheduler('prune', repeat(env.PRUNE_CRON), {
    name: 'prune',
    data: {},
    opts: JOB_DEFAULTS,
  });
  wanted.add('sweep');
  await queue.upsertJobScheduler('sweep', repeat(env.SWEEP_CRON), {
    name: 'sweep',
    data: {},
    opts: JOB_DEFAULTS,
  });
  for (const s of await queue.getJobSchedulers())
    if (!wanted.has(s.key)) await queue.removeJobScheduler(s.key);
}

/** A cron pattern, or `every:<ms>` for a fixed interval (tests, develop). */
function repeat(spec: string): { pattern: string } | { every: number } {
  const every = /^every:(\d+)$/.exec(spec);
  return every === null ? { pattern: spec } : { every: Number(every[1]) };
}
