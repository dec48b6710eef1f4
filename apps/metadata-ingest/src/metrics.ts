import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Every metric metadata-ingest exports (prefix `metadata_ingest_`). */
export function createIngestMetrics(registry: Registry) {
  const r = [registry];
  return {
    impressions: new Counter({
      name: 'metadata_ingest_impressions_total',
      help: 'Impressions counted',
      registers: r,
    }),
    impressionsPerSecond: new Gauge({
      name: 'metadata_ingest_impressions_per_second',
      help: 'Impressions counted per second, averaged over the last 10 s',
      registers: r,
    }),
    labelsPerImpression: new Histogram({
      name: 'metadata_ingest_labels_per_impression',
      help: 'Labels carried by one impression',
      buckets: [1, 5, 10, 20, 35, 50, 75, 100, 200, 500, 1000],
      registers: r,
    }),
    aggregates: new Counter({
      name: 'metadata_ingest_aggregates_total',
      help: 'Pre-aggregated records merged',
      registers: r,
    }),
    decodeFailures: new Counter({
      name: 'metadata_ingest_decode_failures_total',
      help: 'Records that could not be decoded, by input topic',
      labelNames: ['topic'],
      registers: r,
    }),
    deadLetters: new Counter({
      name: 'metadata_ingest_dlq_records_total',
      help: 'Records sent to the dead-letter topic',
      registers: r,
    }),
    lag: new Gauge({
      name: 'metadata_ingest_consumer_lag',
      help: 'Records between the consumed position and the high watermark, per partition',
      labelNames: ['topic', 'partition'],
      registers: r,
    }),
    flaggedObservations: new Counter({
      name: 'metadata_ingest_flagged_label_observations_total',
      help: 'Label occurrences whose name breaks <group>_<Name> (malformed_name) or whose group is unknown (unknown_group)',
      labelNames: ['flag'],
      registers: r,
    }),
    flaggedLabels: new Gauge({
      name: 'metadata_ingest_flagged_labels',
      help: 'Distinct flagged labels seen by this instance',
      labelNames: ['flag'],
      registers: r,
    }),
    trackedLabels: new Gauge({
      name: 'metadata_ingest_tracked_labels',
      help: 'Distinct labels this instance has seen',
      registers: r,
    }),
    labelWrites: new Counter({
      name: 'metadata_ingest_label_writes_total',
      help: 'Tracked-label records written',
      registers: r,
    }),
    writeFailures: new Counter({
      name: 'metadata_ingest_label_write_failures_total',
      help: 'Tracked-label writes that failed (retried later)',
      registers: r,
    }),
    commits: new Counter({
      name: 'metadata_ingest_offset_commits_total',
      help: 'Consumer offset commits after a full flush',
      registers: r,
    }),
    replayed: new Counter({
      name: 'metadata_ingest_replayed_observations_total',
      help: 'Label observations skipped because their offset was already counted (replay after crash or rebalance)',
      registers: r,
    }),
    consumerRestarts: new Counter({
      name: 'metadata_ingest_consumer_restarts_total',
      help: 'Times the consumer was restarted after kafkajs gave up on it (crashed without restarting)',
      registers: r,
    }),
    overlaps: new Counter({
      name: 'metadata_ingest_overlap_observations_total',
      help: 'Upper bound of label observations possibly counted twice (a counted range overlapped a stored one; see docs/metadata-ingest.md)',
      registers: r,
    }),
  };
}
export type IngestMetrics = ReturnType<typeof createIngestMetrics>;
