export { type AppOptions, buildApp } from './app.js';
export { type AppEnv, envSchema, loadEnv, transactionalIdOf } from './env.js';
export {
  BootstrapFailedError,
  PUBLISHER_ERROR_CODES,
  PublisherError,
  type PublisherErrorCode,
  SchemaIncompatibleError,
  TopicMisconfiguredError,
  TransactionFailedError,
} from './errors.js';
export { canonicalJson, type DocumentedLabel, type JoinOptions, joinLabel, reconcile } from './join.js';
export { JoinState, type Publication, VERSION_HEADER } from './join-state.js';
export { createKafka } from './kafka.js';
export { createMetrics, type PublisherMetrics } from './metrics.js';
export type { PublisherTopics } from './pipeline.js';
export { Publisher, type PublisherOptions, republishOnce } from './publisher.js';
export { checkPublishedVersions } from './schema-compat.js';
