export { type Decision, decide, type KeyState } from './decide.js';
export {
  KvBrokerUnavailableError,
  KvClosedError,
  KvConflictError,
  KvError,
  type KvErrorCode,
  KvInvalidValueError,
  KvNotReadyError,
  KvReadOnlyError,
  KvTimeoutError,
  KvTopicMisconfiguredError,
} from './errors.js';
export type { ChangelogEntry, ChangelogOptions, KvLogger, KvStoreOptions } from './options.js';
export { createKvStore, type KafkaKeyValueStore } from './store.js';
export type { Change, KeyValueStore, KvMetrics, Versioned, WriteMeta, WriteOptions } from './types.js';
