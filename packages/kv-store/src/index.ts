export { KvClosedError, KvError, type KvErrorCode, KvNotReadyError } from './errors.js';
export type { Change, KeyValueStore, Versioned, WriteMeta, WriteOptions } from './types.js';
