import type { Codec } from '@labeldocs/schemas';

/** A value as this instance holds it, with the version the store assigned to it. */
export interface Versioned<T> {
  value: T;
  /** Per-key version: 1 for the first write of a key, +1 for every accepted write or delete after that. */
  version: number;
}

/** Who made a write and why; travels into the change log. */
export interface WriteMeta {
  actor?: string;
  reason?: string;
}

export interface WriteOptions {
  /**
   * Accept the write only if the key's current version equals this (0: the key must not exist).
   * Omitted: last writer wins.
   */
  expectedVersion?: number;
  meta?: WriteMeta;
}

/** One change event, as `subscribeChangelog()` yields it: what `changelog.encode` returned for a write. */
export interface ChangelogRecord {
  /** The store key the event belongs to. */
  key: string;
  /** The version the write gave the key (the event's `kv-version` header; undefined if it has none). */
  version: number | undefined;
  value: Buffer;
  partition: number;
  offset: string;
  timestamp: number;
}

/** One applied change, as `subscribe()` yields it. */
export interface Change<T> {
  key: string;
  previous: Versioned<T> | undefined;
  /** undefined for a delete (tombstone). */
  current: Versioned<T> | undefined;
  version: number;
  partition: number;
  offset: string;
  timestamp: number;
}

export interface KeyValueStore<T> {
  start(): Promise<void>;
  ready(): Promise<void>;
  readonly isReady: boolean;
  get(key: string): Versioned<T> | undefined;
  keys(): IterableIterator<string>;
  entries(): IterableIterator<[string, Versioned<T>]>;
  readonly size: number;
  snapshot(): ReadonlyMap<string, Versioned<T>>;
  put(key: string, value: T, options?: WriteOptions): Promise<Versioned<T>>;
  delete(key: string, options?: WriteOptions): Promise<number>;
  subscribe(listener: (change: Change<T>) => void): () => void;
  close(): Promise<void>;
}

export type { Codec };

/** Counters and gauges for an app's /metrics. A fresh object on every read. */
export interface KvMetrics {
  /** State records applied since start (bootstrap included). */
  recordsApplied: number;
  /** Records between what this instance applied and the partitions' end offsets, as last seen. */
  lag: number;
  /** From start() to ready; undefined before ready. */
  bootstrapDurationMs: number | undefined;
  /** This instance's writes rejected with KV_CONFLICT. */
  conflicts: number;
  /** put()/delete() calls awaiting their outcome. */
  writesInFlight: number;
  /** True when the broker has not been reachable for `staleAfterMs`: reads are served from memory, maybe old. */
  stale: boolean;
  /** Command partitions this instance currently decides (0 for a read-only store). */
  ownedPartitions: number;
  /** State records skipped because the codec could not decode them. */
  invalidRecords: number;
}
