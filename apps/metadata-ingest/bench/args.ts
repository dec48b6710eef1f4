import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { CompressionTypes, Kafka, logLevel } from 'kafkajs';

/**
 * `pnpm bench ingest [--impressions 300000] [--labels-per-impression 50] [--partitions 6] [--rounds 2] [--instances 2]`
 * Pre-fills a topic, then consumes it to the end (a) with raw kafkajs + JSON.parse and (b) with the
 * metadata-ingest worker (decode, validate, aggregate, write through kv-store), in the same run.
 */
export const { values } = parseArgs({
  options: {
    impressions: { type: 'string', default: '300000' },
    'labels-per-impression': { type: 'string', default: '50' },
    partitions: { type: 'string', default: '6' },
    rounds: { type: 'string', default: '2' },
    instances: { type: 'string', default: '2' },
    /** The sustained row: a live producer at this rate for this long, one worker with production defaults. */
    'sustain-rate': { type: 'string', default: '25000' },
    'sustain-seconds': { type: 'string', default: '45' },
    'scale-out-only': { type: 'boolean', default: false },
    /** How the pre-fill producer compresses batches: none (the default) or gzip. */
    compression: { type: 'string', default: 'none' },
  },
});
export const total = Number(values.impressions);
export const perImpression = Number(values['labels-per-impression']);
export const partitions = Number(values.partitions);
export const rounds = Number(values.rounds);
export const instances = Number(values.instances);
if (values.compression !== 'none' && values.compression !== 'gzip')
  throw new Error('--compression: none or gzip');
export const compression = values.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
export const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
export const kafka = new Kafka({ clientId: 'bench-ingest', brokers, logLevel: logLevel.ERROR });
export const base = `bench-ingest-${randomUUID().slice(0, 8)}`;
export const log = (line: string) => process.stderr.write(`[bench ingest] ${line}\n`);
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
export const consumerTuning = {
  maxBytesPerPartition: 4 * 1024 * 1024,
  maxBytes: 16 * 1024 * 1024,
  maxWaitTimeInMs: 200,
};

export interface Run {
  name: string;
  /** Impressions consumed. */
  count: number;
  seconds: number;
  cpuMs: number;
  writes?: number;
  atClose?: number;
}
