export { type AppOptions, buildApp } from './app.js';
export { Aggregator, type AggregatorOptions } from './core/aggregator.js';
export { countImpression } from './core/count-impression.js';
export { decodeAggregate, decodeImpression, isPlainImpression } from './core/decode.js';
export { Flusher, type FlushResult } from './core/flusher.js';
export { type MergeOptions, mergeLabel } from './core/merge.js';
export { ibanValid, looksLikePii, luhnValid, sampleText } from './core/pii.js';
export type { TrackedLabelSink } from './core/sink.js';
export {
  slotKey,
  type TrackedLabelState,
  trackedLabelStateCodec,
  trackedLabelStateSchema,
} from './core/state.js';
export { type AppEnv, envSchema, loadEnv } from './env.js';
export {
  IngestClosedError,
  IngestError,
  type IngestErrorCode,
  IngestFlushFailedError,
  SimulateArgsInvalidError,
} from './errors.js';
export { DLQ_HEADERS } from './kafka/dead-letter.js';
export { createIngestMetrics, type IngestMetrics } from './metrics.js';
export { parseDuration, parseTrafficArgs, type TrafficArgs } from './simulate/args.js';
export { runTraffic, type TrafficOptions, type TrafficSummary } from './simulate/traffic.js';
export { IngestWorker } from './worker.js';
export type { IngestWorkerOptions } from './worker-options.js';
