import { closeOnSignals, createLogger, createRegistry, maskSecrets, onceClose } from '@labeldocs/app-kit';
import { loadGroupRegistry } from '@labeldocs/schemas';
import { buildApp } from './app.js';
import { loadEnv } from './env.js';
import { IngestWorker } from './worker.js';

const env = loadEnv();
const logger = createLogger('metadata-ingest', env.LOG_LEVEL);
logger.info({ config: maskSecrets(env) }, 'starting');
const registry = createRegistry('metadata-ingest');
const worker = new IngestWorker({
  brokers: env.KAFKA_BROKERS,
  impressionsTopic: env.IMPRESSIONS_TOPIC,
  aggregatesTopic: env.AGGREGATES_TOPIC,
  dlqTopic: env.DLQ_TOPIC,
  trackedLabelsTopic: env.TRACKED_LABELS_TOPIC,
  labelsTopic: env.LABELS_TOPIC,
  groupId: env.INGEST_GROUP_ID,
  commitIntervalMs: env.COMMIT_INTERVAL_MS,
  flushIntervalMs: env.FLUSH_INTERVAL_MS,
  lastSeenIntervalMs: env.LAST_SEEN_INTERVAL_MS,
  days: env.DAILY_COUNT_DAYS,
  groupRegistry: loadGroupRegistry(env.GROUP_REGISTRY_FILE),
  impressionPartitions: env.IMPRESSION_PARTITIONS,
  registry,
  logger,
});
const app = buildApp({ registry, notReadyReason: () => worker.notReadyReason() });
const url = await app.listen({ host: env.HOST, port: env.PORT });
logger.info({ url }, 'listening');
closeOnSignals(
  {
    close: onceClose(
      [
        ['worker', () => worker.close()],
        ['http', () => app.close()],
      ],
      logger,
    ),
  },
  logger,
);
await worker.start();
