import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The worker's metrics; `lastSuccess` feeds the age gauge that alerting watches. */
export interface BackupMetrics {
  jobDuration: Histogram<'type' | 'outcome'>;
  failures: Counter<'type' | 'code'>;
  backupBytes: Gauge<'topic'>;
  backupRecords: Gauge<'topic'>;
  /** Records the completion time of a successful backup of `topic`. */
  backupSucceeded(topic: string, at: Date): void;
}

export function createMetrics(
  registry: Registry,
  topics: string[],
  now: () => number = Date.now,
): BackupMetrics {
  const lastSuccess = new Map<string, number>();
  new Gauge({
    name: 'labeldocs_backup_last_success_age_seconds',
    help: 'Seconds since the last successful backup of each topic (+Inf if none since start and none found in S3).',
    labelNames: ['topic'],
    registers: [registry],
    collect() {
      for (const topic of new Set([...topics, ...lastSuccess.keys()])) {
        const at = lastSuccess.get(topic);
        this.set({ topic }, at === undefined ? Number.POSITIVE_INFINITY : (now() - at) / 1000);
      }
    },
  });
  const lastTimestamp = new Gauge({
    name: 'labeldocs_backup_last_success_timestamp_seconds',
    help: 'Unix time of the last successful backup of each topic.',
    labelNames: ['topic'],
    registers: [registry],
  });
  return {
    jobDuration: new Histogram({
      name: 'labeldocs_backup_job_duration_seconds',
      help: 'Duration of backup-worker jobs by type and outcome.',
      labelNames: ['type', 'outcome'],
      buckets: [0.5, 1, 5, 15, 60, 300, 900, 3600],
      registers: [registry],
    }),
    failures: new Counter({
      name: 'labeldocs_backup_job_failures_total',
      help: 'Failed job attempts by type and error code.',
      labelNames: ['type', 'code'],
      registers: [registry],
    }),
    backupBytes: new Gauge({
      name: 'labeldocs_backup_size_bytes',
      help: 'Stored (compressed) bytes of the last successful backup of each topic.',
      labelNames: ['topic'],
      registers: [registry],
    }),
    backupRecords: new Gauge({
      name: 'labeldocs_backup_records',
      help: 'Records in the last successful backup of each topic.',
      labelNames: ['topic'],
      registers: [registry],
    }),
    backupSucceeded(topic, at) {
      const prev = lastSuccess.get(topic) ?? 0;
      if (at.getTime() < prev) return;
      lastSuccess.set(topic, at.getTime());
      lastTimestamp.set({ topic }, at.getTime() / 1000);
    },
  };
}
