import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The publisher's Prometheus metrics, registered on the app's registry. */
export interface PublisherMetrics {
  /** Source record timestamp to the public record's transaction committing, seconds. */
  endToEndLag: Histogram<never>;
  published: Counter<'kind'>;
  transactionsCommitted: Counter<never>;
  transactionsAborted: Counter<never>;
  invalidRecords: Counter<'topic'>;
  restarts: Counter<never>;
  labels: Gauge<never>;
}

export function createMetrics(registry: Registry): PublisherMetrics {
  const registers = [registry];
  return {
    endToEndLag: new Histogram({
      name: 'publisher_end_to_end_lag_seconds',
      help: 'Time from a source record timestamp to its public record being committed',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 60],
      registers,
    }),
    published: new Counter({
      name: 'publisher_records_published_total',
      help: 'Public records committed, by kind (record or tombstone)',
      labelNames: ['kind'],
      registers,
    }),
    transactionsCommitted: new Counter({
      name: 'publisher_transactions_committed_total',
      help: 'Publish transactions committed',
      registers,
    }),
    transactionsAborted: new Counter({
      name: 'publisher_transactions_aborted_total',
      help: 'Publish transactions aborted (each followed by a rebuild)',
      registers,
    }),
    invalidRecords: new Counter({
      name: 'publisher_invalid_records_total',
      help: 'Records skipped because they did not decode, by topic role',
      labelNames: ['topic'],
      registers,
    }),
    restarts: new Counter({
      name: 'publisher_restarts_total',
      help: 'Pipeline rebuilds after an error',
      registers,
    }),
    labels: new Gauge({
      name: 'publisher_public_labels',
      help: 'Labels currently on the public topic',
      registers,
    }),
  };
}
