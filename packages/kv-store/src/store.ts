import { type Admin, Kafka, logLevel } from 'kafkajs';
import { ChangelogFeed } from './changelog-feed.js';
import { invalidKeyReason } from './changelog-keys.js';
import {
  KvBrokerUnavailableError,
  KvClosedError,
  KvInvalidKeyError,
  KvInvalidValueError,
  KvNotReadyError,
  KvReadOnlyError,
} from './errors.js';
import { type KvStoreOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { OwnWrites } from './own-writes.js';
import { QuietPartitions } from './quiet-partitions.js';
import { Requester } from './requester.js';
import { StateReader } from './state-reader.js';
import { StateTable } from './state-table.js';
import { syncWithWriters } from './sync.js';
import { endOffsets, ensureTopics } from './topics.js';
import type { Change, ChangelogRecord, KeyValueStore, KvMetrics, Versioned, WriteOptions } from './types.js';
import { PartitionWriters } from './writer.js';

/** The store createKvStore returns: the shared interface plus what only the Kafka implementation has. */
export interface KafkaKeyValueStore<T> extends KeyValueStore<T> {
  readonly metrics: KvMetrics;
  /** True while the broker has not been reachable for `staleAfterMs`. */
  readonly stale: boolean;
  /**
   * Resolves once every write whose command was produced before this call, by any instance, has been
   * decided and applied here: a `get()` afterwards is a linearizable read. KV_TIMEOUT after `timeoutMs`
   * (default `writeTimeoutMs`).
   */
  sync(timeoutMs?: number): Promise<void>;
  /**
   * Every change event of the topic (stores with a `changelog`), in log order per partition: during start()
   * the whole history (subscribe before it), then each new one as this instance applies it; the events of its
   * own writes as soon as the broker acknowledged the write, before put() resolves. Returns the unsubscribe.
   */
  subscribeChangelog(listener: (record: ChangelogRecord) => void): () => void;
}

class KafkaKvStore<T> implements KafkaKeyValueStore<T> {
  private readonly options: ResolvedOptions<T>;
  private readonly kafka: Kafka;
  private readonly admin: Admin;
  private readonly table = new StateTable<T>();
  private readonly changelog = new ChangelogFeed();
  private reader: StateReader<T> | undefined;
  private writers: PartitionWriters<T> | undefined;
  private requester: Requester<T> | undefined;
  private quiet: QuietPartitions | undefined;
  private starting: Promise<void> | undefined;
  private closing: Promise<void> | undefined;
  private readyPromise: Promise<void>;
  private markReady!: () => void;
  private failReady!: (error: unknown) => void;
  private startedAt = 0;
  private bootstrapDurationMs: number | undefined;
  private ready_ = false;
  private readonly closeSignal: Promise<never>;
  private signalClose!: () => void;

  constructor(options: KvStoreOptions<T>) {
    this.options = resolveOptions(options);
    this.kafka = new Kafka({
      clientId: this.options.clientId,
      brokers: this.options.brokers,
      logLevel: logLevel.NOTHING,
      retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 2_000 },
    });
    this.admin = this.kafka.admin();
    this.changelog.onListenerError = (error) =>
      this.options.logger.error(
        { error, topic: this.options.topic },
        'kv-store: a subscribeChangelog() listener threw',
      );
    this.table.onListenerError = (error) =>
      this.options.logger.error(
        { error, topic: this.options.topic },
        'kv-store: a subscribe() listener threw',
      );
    this.readyPromise = new Promise<void>((resolve, reject) => {
      this.markReady = resolve;
      this.failReady = reject;
    });
    // ready() may be awaited by nobody when start() itself reports the failure.
    this.readyPromise.catch(() => undefined);
    this.closeSignal = new Promise<never>((_, reject) => {
      this.signalClose = () => reject(new KvClosedError('kv-store: closed during start()'));
    });
    this.closeSignal.catch(() => undefined);
  }

  /** Every start step gives way to close(), so a start blocked on an unreachable broker cannot outlive it. */
  private step<R>(promise: Promise<R>): Promise<R> {
    return Promise.race([promise, this.closeSignal]);
  }

  start(): Promise<void> {
    if (this.closing) return Promise.reject(new KvClosedError('kv-store: start() after close()'));
    this.starting ??= this.doStart().catch(async (error: unknown) => {
      this.failReady(error);
      // A failed start leaves no connections behind, even if nobody calls close().
      await this.shutdown();
      throw error;
    });
    return this.starting;
  }

  private async doStart(): Promise<void> {
    this.startedAt = Date.now();
    await this.step(this.admin.connect());
    const partitions = await this.step(ensureTopics(this.admin, this.options as ResolvedOptions<unknown>));
    // End offsets captured before reading: ready means "everything committed before start() is applied".
    const ends = await this.step(endOffsets(this.admin, this.options.topic));
    if (!this.options.readOnly) this.requester = new Requester(this.kafka, this.admin, this.options);
    const requester = this.requester;
    this.reader = new StateReader(this.kafka, this.options, this.table, this.changelog, partitions, {
      applied: (id, version) => requester?.onApplied(id, version),
      // Parsing request ids is wasted work during a bootstrap nobody is waiting on.
      waiting: () => (requester?.pending.size ?? 0) > 0,
    });
    await this.step(this.reader.start());
    await this.step(this.reader.waitForAll(ends));
    if (this.requester) {
      await this.step(this.requester.start());
      const reader = this.reader;
      const quiet = this.quietPartitions(reader);
      const ownWrites = new OwnWrites(
        this.table,
        (p) => reader.position(p),
        this.changelog,
        (p, base, next) => quiet.passOver(p, base, next),
      );
      reader.admit = (partition, offset, key) => ownWrites.admit(partition, offset, key);
      const writers = new PartitionWriters(
        this.kafka,
        this.admin,
        this.options,
        this.table,
        reader,
        this.requester,
        ownWrites,
      );
      this.writers = writers;
      writers.ownership = quiet;
      this.requester.local = (key, value, headers, reroute) => writers.submit(key, value, headers, reroute);
      await this.step(writers.start(partitions));
    }
    this.bootstrapDurationMs = Date.now() - this.startedAt;
    this.ready_ = true;
    this.markReady();
    this.options.logger.info(
      { topic: this.options.topic, keys: this.table.map.size, ms: this.bootstrapDurationMs },
      'kv-store: ready',
    );
  }

  /** The reader leaves the partitions this instance writes alone between checks (quiet-partitions.ts). */
  private quietPartitions(reader: StateReader<T>): QuietPartitions {
    const quiet = new QuietPartitions(
      reader,
      () => endOffsets(this.admin, this.options.topic),
      this.options.logger,
    );
    reader.onAdvance = (partition, position) => quiet.advanced(partition, position);
    reader.onBehind = (partition, offset) => quiet.catchUp(partition, offset);
    this.quiet = quiet;
    quiet.start();
    return quiet;
  }

  ready(): Promise<void> {
    return this.readyPromise;
  }

  get isReady(): boolean {
    return this.ready_ && !this.closing;
  }

  private readable(): void {
    if (this.closing) throw new KvClosedError('kv-store: closed');
    if (!this.ready_) throw new KvNotReadyError('kv-store: still reading the topic; await ready()');
  }

  get(key: string): Versioned<T> | undefined {
    this.readable();
    return this.table.map.get(key);
  }

  keys(): IterableIterator<string> {
    this.readable();
    return this.table.map.keys();
  }

  entries(): IterableIterator<[string, Versioned<T>]> {
    this.readable();
    return this.table.map.entries();
  }

  get size(): number {
    this.readable();
    return this.table.map.size;
  }

  snapshot(): ReadonlyMap<string, Versioned<T>> {
    this.readable();
    // Versioned entries are replaced, never mutated, so a shallow copy is a consistent snapshot.
    return new Map(this.table.map);
  }

  async put(key: string, value: T, options: WriteOptions = {}): Promise<Versioned<T>> {
    const requester = this.writable(key);
    const checked = this.options.codec.validate(value);
    if (!checked.ok) throw new KvInvalidValueError(key, checked.errors);
    const version = await requester.send('put', key, this.options.codec.encode(checked.value), options);
    return this.table.map.get(key)?.version === version
      ? (this.table.map.get(key) as Versioned<T>)
      : { value: checked.value, version };
  }

  async delete(key: string, options: WriteOptions = {}): Promise<number> {
    return this.writable(key).send('delete', key, null, options);
  }

  private writable(key: string): Requester<T> {
    const invalid = invalidKeyReason(key);
    if (invalid !== undefined) throw new KvInvalidKeyError(key, invalid);
    if (this.closing) throw new KvClosedError('kv-store: write after close()');
    if (this.options.readOnly)
      throw new KvReadOnlyError('kv-store: this store was created with readOnly: true');
    if (!this.ready_ || !this.requester) throw new KvNotReadyError('kv-store: not ready; await ready()');
    if (this.stale) {
      throw new KvBrokerUnavailableError(
        `kv-store: the broker has not answered for over ${this.options.staleAfterMs} ms; write not sent`,
      );
    }
    return this.requester;
  }

  async sync(timeoutMs = this.options.writeTimeoutMs): Promise<void> {
    this.readable();
    await syncWithWriters(
      this.admin,
      this.reader as StateReader<unknown>,
      this.options as ResolvedOptions<unknown>,
      timeoutMs,
    );
  }

  subscribeChangelog(listener: (record: ChangelogRecord) => void): () => void {
    this.changelog.listeners.add(listener);
    return () => this.changelog.listeners.delete(listener);
  }

  subscribe(listener: (change: Change<T>) => void): () => void {
    this.table.listeners.add(listener);
    return () => this.table.listeners.delete(listener);
  }

  get stale(): boolean {
    if (!this.reader || this.closing) return false;
    // Any of our consumers completing a fetch, or the broker accepting a write of ours, proves the broker
    // answers; one slow fetch alone does not mean stale. The reader does not fetch partitions this instance
    // writes (quiet-partitions.ts); the writer's confirmations and its consumer's fetches stand in for it.
    const last = Math.max(
      this.reader.lastFetchAt,
      this.writers?.lastFetchAt ?? 0,
      this.writers?.lastConfirmedAt ?? 0,
      this.requester?.lastFetchAt ?? 0,
    );
    return Date.now() - last > this.options.staleAfterMs;
  }

  get metrics(): KvMetrics {
    return {
      recordsApplied: this.table.recordsApplied,
      lag: this.reader?.lag ?? 0,
      bootstrapDurationMs: this.bootstrapDurationMs,
      conflicts: this.requester?.conflicts ?? 0,
      writesInFlight: this.requester?.pending.size ?? 0,
      stale: this.stale,
      ownedPartitions: this.writers?.ownedPartitions ?? 0,
      invalidRecords: this.reader?.invalidRecords ?? 0,
    };
  }

  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  private async doClose(): Promise<void> {
    this.signalClose();
    this.failReady(new KvClosedError('kv-store: closed before ready'));
    // A start() in progress gives way first, so nothing it creates outlives this close.
    await this.starting?.catch(() => undefined);
    await this.shutdown();
  }

  private async shutdown(): Promise<void> {
    this.requester?.rejectAll(() => new KvClosedError('kv-store: closed while the write was in flight'));
    this.quiet?.close();
    // Every step runs even when one fails.
    await Promise.allSettled([this.writers?.close(), this.requester?.close()]);
    await Promise.allSettled([this.reader?.close()]);
    await Promise.allSettled([this.admin.disconnect()]);
    this.table.listeners.clear();
    this.changelog.listeners.clear();
  }
}

/** A replicated key-value store on a compacted Kafka topic. Call `start()` (or await `ready()`) before reading. */
export function createKvStore<T>(options: KvStoreOptions<T>): KafkaKeyValueStore<T> {
  return new KafkaKvStore(options);
}
