export { changelogKeyOwner, isChangelogKey } from './changelog-keys.js';
export { type Decision, decide, type KeyState } from './decide.js';
export {
  KvBrokerUnavailableError,
  KvClosedError,
  KvConflictError,
  KvError,
  type KvErrorCode,
  KvInvalidKeyError,
  KvInvalidValueError,
  KvNotReadyError,
  KvReadOnlyError,
  KvTimeoutError,
  KvTopicMisconfiguredError,
} from './errors.js';
export type { ChangelogEntry, ChangelogOptions, KvLogger, KvStoreOptions } from './options.js';
export { createKvStore, type KafkaKeyValueStore } from './store.js';
export type {
  Change,
  ChangelogRecord,
  KeyValueStore,
  KvMetrics,
  Versioned,
  WriteMeta,
  WriteOptions,
} from './types.js';
