import type { Change, KeyValueStore, Versioned, WriteOptions } from '@labeldocs/kv-store';
import type { LabelRecord } from '@labeldocs/schemas';
import { toChangeEvent } from '../../src/catalog/change-event.js';
import { HistoryIndex } from '../../src/catalog/history-index.js';

class ConflictError extends Error {
  readonly code = 'KV_CONFLICT';
  readonly retryable = false;
  constructor(
    message: string,
    readonly currentVersion: number,
  ) {
    super(message);
  }
}

/**
 * A KeyValueStore in memory, for unit tests of the HTTP layer only (the real kv-store on the real broker is
 * tested in the integration tests). Versions, expectedVersion conflicts and subscribe() behave like kv-store's.
 */
export class MemoryStore<T> implements KeyValueStore<T> {
  readonly #data = new Map<string, Versioned<T>>();
  readonly #versions = new Map<string, number>();
  readonly #listeners = new Set<(change: Change<T>) => void>();
  readonly #onWrite: ((change: Change<T>, meta: WriteOptions['meta']) => void) | undefined;
  isReady = true;
  offset = 0;

  constructor(onWrite?: (change: Change<T>, meta: WriteOptions['meta']) => void) {
    this.#onWrite = onWrite;
  }

  async start() {}
  async ready() {}
  async close() {}
  get(key: string) {
    return this.#data.get(key);
  }
  keys() {
    return this.#data.keys();
  }
  entries() {
    return this.#data.entries();
  }
  get size() {
    return this.#data.size;
  }
  snapshot(): ReadonlyMap<string, Versioned<T>> {
    return new Map(this.#data);
  }
  subscribe(listener: (change: Change<T>) => void) {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  async put(key: string, value: T, options: WriteOptions = {}): Promise<Versioned<T>> {
    const version = this.#check(key, options) + 1;
    const current = { value, version };
    this.#apply(key, current, options);
    return current;
  }

  async delete(key: string, options: WriteOptions = {}): Promise<number> {
    const version = this.#check(key, options) + 1;
    this.#apply(key, undefined, options);
    return version;
  }

  /** A record written straight to the topic with its own version, as a restore from backup does. */
  restore(key: string, value: T, version: number): void {
    const previous = this.#data.get(key);
    const current = { value, version };
    this.#versions.set(key, version);
    this.#data.set(key, current);
    const change: Change<T> = {
      key,
      previous,
      current,
      version,
      partition: 0,
      offset: String(this.offset++),
      timestamp: Date.now(),
    };
    for (const l of this.#listeners) l(change);
  }

  #check(key: string, options: WriteOptions): number {
    const have = this.#data.get(key)?.version ?? 0;
    if (options.expectedVersion !== undefined && options.expectedVersion !== have)
      throw new ConflictError(`${key} is at version ${have}, not ${options.expectedVersion}`, have);
    return this.#versions.get(key) ?? 0;
  }

  #apply(key: string, current: Versioned<T> | undefined, options: WriteOptions) {
    const previous = this.#data.get(key);
    const version = (this.#versions.get(key) ?? 0) + 1;
    this.#versions.set(key, version);
    if (current) this.#data.set(key, { ...current, version });
    else this.#data.delete(key);
    const change: Change<T> = {
      key,
      previous,
      current: current && { ...current, version },
      version,
      partition: 0,
      offset: String(this.offset++),
      timestamp: Date.now(),
    };
    this.#onWrite?.(change, options.meta);
    for (const l of this.#listeners) l(change);
  }
}

/** A label store whose writes land in a history index, as kv-store's change log would. */
export function memoryLabels(): { labels: MemoryStore<LabelRecord>; history: HistoryIndex } {
  const history = new HistoryIndex();
  history.markReady();
  const labels = new MemoryStore<LabelRecord>((change, meta) =>
    history.add(toChangeEvent({ ...change, meta, timestamp: change.timestamp })),
  );
  return { labels, history };
}
