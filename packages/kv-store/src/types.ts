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
