import type { GroupRegistry } from '@labeldocs/schemas';
import { TOPICS } from '@labeldocs/schemas';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';

export interface IngestWorkerOptions {
  brokers: string[];
  /** Default `labeldocs.impressions`. */
  impressionsTopic?: string;
  /** Default `labeldocs.tracked-label-aggregates`. */
  aggregatesTopic?: string;
  /** Default `labeldocs.impressions.dlq`. */
  dlqTopic?: string;
  /** Where tracked-label metadata is written (kv-store state topic). Default `labeldocs.tracked-labels`. */
  trackedLabelsTopic?: string;
  /** The documentation topic, read to learn which labels are PII. Default `labeldocs.labels`. */
  labelsTopic?: string;
  /** Default `labeldocs.metadata-ingest`. */
  groupId?: string;
  /** Flush everything counted, then commit consumer offsets, this often. Default 30 000 ms. */
  commitIntervalMs?: number;
  /** Write labels with a meaningful change (new label, new value type, new day, last-seen moved) this often. Default 1 000 ms. */
  flushIntervalMs?: number;
  /** A label's last-seen moving this far is a meaningful change. Default 60 000 ms. */
  lastSeenIntervalMs?: number;
  /** Daily counts kept per label. Default 30. */
  days?: number;
  /** Known groups; default the registry shipped with @labeldocs/schemas. */
  groupRegistry?: GroupRegistry;
  /** Partitions of input topics created when missing. Default 6 (impressions), 3 (aggregates, DLQ). */
  impressionPartitions?: number;
  sessionTimeoutMs?: number;
  /**
   * Retries kafkajs makes on a failing consumer (each backing off up to 5 s) before it gives up on it; the
   * worker then restarts it. Default 8 (about half a minute of failures).
   */
  consumerRetries?: number;
  /**
   * A consumer kafkajs gives up on (e.g. the broker was gone for longer than its retries) is restarted after
   * this long, doubling per failed restart up to `restartBackoffMaxMs`. Defaults 1 000 ms and 30 000 ms.
   */
  restartBackoffMs?: number;
  restartBackoffMaxMs?: number;
  writeConcurrency?: number;
  registry: Registry;
  logger: Logger;
  clientId?: string;
}

export type ResolvedWorkerOptions = Required<Omit<IngestWorkerOptions, 'groupRegistry'>> &
  Pick<IngestWorkerOptions, 'groupRegistry'>;

export function resolveWorkerOptions(o: IngestWorkerOptions): ResolvedWorkerOptions {
  return {
    impressionsTopic: TOPICS.impressions,
    aggregatesTopic: TOPICS.trackedLabelAggregates,
    dlqTopic: TOPICS.impressionsDeadLetter,
    trackedLabelsTopic: TOPICS.trackedLabels,
    labelsTopic: TOPICS.labels,
    groupId: 'labeldocs.metadata-ingest',
    commitIntervalMs: 30_000,
    flushIntervalMs: 1_000,
    lastSeenIntervalMs: 60_000,
    days: 30,
    impressionPartitions: 6,
    sessionTimeoutMs: 10_000,
    consumerRetries: 8,
    restartBackoffMs: 1_000,
    restartBackoffMaxMs: 30_000,
    writeConcurrency: 64,
    clientId: 'labeldocs-metadata-ingest',
    ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)),
  } as ResolvedWorkerOptions;
}
