import { createRegistry } from '@labeldocs/app-kit';
import { IngestWorker } from '@labeldocs/metadata-ingest';
import type { Logger } from 'pino';

/**
 * The one place the bench builds an IngestWorker: the measured runs, the sustained run and the scale-out
 * children all use it. Standalone (no CLI parsing) because child.ts imports it too.
 */
export interface BenchWorkerOptions {
  brokers: string[];
  /** The impressions topic to consume. */
  source: string;
  /** Prefix of the aggregates, DLQ and labels topics. */
  prefix: string;
  tracked: string;
  group: string;
  logger: Logger;
  /** Extra worker options, applied last. */
  overrides?: Partial<ConstructorParameters<typeof IngestWorker>[0]>;
}

export function createBenchWorker(options: BenchWorkerOptions): IngestWorker {
  const { brokers, source, prefix, tracked, group, logger, overrides } = options;
  return new IngestWorker({
    brokers,
    impressionsTopic: source,
    aggregatesTopic: `${prefix}.aggregates`,
    dlqTopic: `${prefix}.dlq`,
    trackedLabelsTopic: tracked,
    labelsTopic: `${prefix}.labels`,
    groupId: group,
    registry: createRegistry('metadata-ingest'),
    logger,
    ...overrides,
  });
}

/** The current value of a worker counter (impressions, label writes), 0 before the first increment. */
export const counterValue = async (c: { get(): Promise<{ values: Array<{ value: number }> }> }) =>
  (await c.get()).values[0]?.value ?? 0;
