import { createRegistry, onceClose } from '@labeldocs/app-kit';
import { createKvStore, type KafkaKeyValueStore } from '@labeldocs/kv-store';
import {
  type GroupRegistry,
  type LabelRecord,
  labelChangeEventCodec,
  labelRecordCodec,
  type TrackedLabel,
  trackedLabelCodec,
} from '@labeldocs/schemas';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { buildApp } from './app.js';
import type { TokenEntry } from './auth.js';
import { toChangeEvent } from './catalog/change-event.js';
import { ChangelogHistory } from './catalog/changelog-history.js';
import { registerGauge } from './http/metrics.js';

export interface DocumentorOptions {
  brokers: string[];
  /** The label records and, under reserved keys, their change events (kv-store's changelog). */
  labelsTopic: string;
  /** Empty or undefined: run without tracking data. */
  trackedTopic?: string | undefined;
  clientId: string;
  tokens: TokenEntry[];
  logger: Logger;
  bodyLimit?: number;
  importLimit?: number;
  groupRegistry?: GroupRegistry | null;
  /** Partitions for topics kv-store creates; default kv-store's. */
  partitions?: number;
}

export interface Documentor {
  app: FastifyInstance;
  labels: KafkaKeyValueStore<LabelRecord>;
  registry: Registry;
  /** Starts the stores; resolves when all of them have read their topics. The app answers 503 until then. */
  start(): Promise<void>;
  /** Idempotent; closes HTTP first so no request sees a closed store. */
  close(): Promise<void>;
}

/** The app wired to the real kv-stores on Kafka: labels (with change log), tracked labels, history. */
export async function createDocumentor(options: DocumentorOptions): Promise<Documentor> {
  const { brokers, clientId, logger } = options;
  const kvLogger = logger.child({ component: 'kv-store' });
  const labels = createKvStore<LabelRecord>({
    brokers,
    topic: options.labelsTopic,
    codec: labelRecordCodec,
    clientId,
    logger: kvLogger,
    ...(options.partitions === undefined ? {} : { partitions: options.partitions }),
    // Each accepted write's change event goes into the labels topic, in the record batch of its record.
    changelog: {
      encode: (change) => labelChangeEventCodec.encode(toChangeEvent(change)),
    },
  });
  const tracked = options.trackedTopic
    ? createKvStore<TrackedLabel>({
        brokers,
        topic: options.trackedTopic,
        codec: trackedLabelCodec,
        clientId: `${clientId}-tracked`,
        readOnly: true,
        logger: kvLogger,
      })
    : undefined;
  const history = new ChangelogHistory(labels, logger);
  const registry = createRegistry('documentor');
  for (const [store, name] of [
    [labels, 'labels'],
    [tracked, 'tracked'],
  ] as const) {
    if (store === undefined) continue;
    registerGauge(
      registry,
      `documentor_kv_${name}_lag`,
      `kv-store lag (records) of the ${name} store`,
      () => store.metrics.lag,
    );
    registerGauge(
      registry,
      `documentor_kv_${name}_conflicts`,
      `KV_CONFLICT rejections seen by the ${name} store`,
      () => store.metrics.conflicts,
    );
    registerGauge(
      registry,
      `documentor_kv_${name}_stale`,
      `1 while the ${name} store cannot reach the broker`,
      () => (store.metrics.stale ? 1 : 0),
    );
  }
  registerGauge(
    registry,
    'documentor_kv_labels_writes_in_flight',
    'Label writes awaiting their outcome',
    () => labels.metrics.writesInFlight,
  );
  registerGauge(
    registry,
    'documentor_history_undecodable',
    'Change events skipped as undecodable',
    () => history.undecodable,
  );

  const app = await buildApp({
    labels,
    tracked,
    history,
    tokens: options.tokens,
    registry,
    logger,
    ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
    ...(options.importLimit === undefined ? {} : { importLimit: options.importLimit }),
    ...(options.groupRegistry === undefined ? {} : { groupRegistry: options.groupRegistry }),
  });

  let starting: Promise<void> | undefined;
  const close = onceClose(
    [
      ['http', () => app.close()],
      ['tracked', () => tracked?.close()],
      ['labels', () => labels.close()],
    ],
    logger,
  );
  return {
    app,
    labels,
    registry,
    start: () => {
      // The history is read with the labels (their change events live in the labels topic).
      starting ??= Promise.all([labels.start().then(() => history.ready()), tracked?.start()]).then(
        () => undefined,
      );
      return starting;
    },
    close,
  };
}
