import type { Codec, FieldError } from '@labeldocs/schemas';
import type { KeyState } from './decide.js';
import { type KvLogger, silentLogger } from './options.js';
import type { Change, Versioned } from './types.js';
import { safeDecode, VersionedMap } from './versioned-map.js';

/** How the reader hands values to the table: kept encoded until first read (default), or decoded at once. */
export type DecodeMode = 'lazy' | 'eager';

/**
 * The in-memory table every instance holds; changed only by applying state records in log order.
 *
 * Invalid records: a put whose value the codec rejects counts as a tombstone carrying its version (the key
 * reads as absent, the version keeps counting), whenever it is detected: at apply time in eager mode or with
 * subscribers, on first read in lazy mode. Only the newest record of a key decides, so every instance agrees,
 * however much of the log compaction removed. Each invalid record is counted once and logged.
 */
export class StateTable<T> {
  readonly map: VersionedMap<T>;
  /** Version of keys whose last record is a tombstone (or an invalid put), so a recreated key keeps counting. */
  readonly deletedVersions = new Map<string, number>();
  readonly listeners = new Set<(change: Change<T>) => void>();
  recordsApplied = 0;
  /** State records the codec rejected (so far: in lazy mode, of those decoded). */
  invalidRecords = 0;
  onListenerError: (error: unknown) => void = () => undefined;
  private codec: Codec<T> | undefined;
  private logger: KvLogger = silentLogger;
  private mode: DecodeMode = 'lazy';

  constructor() {
    this.map = new VersionedMap<T>(
      () => this.codec,
      (key, version, where, errors) => this.invalid(key, version, where, errors),
    );
  }

  /** Set by the state reader before it applies anything. */
  configure(codec: Codec<T>, logger: KvLogger, mode: DecodeMode): void {
    this.codec = codec;
    this.logger = logger;
    this.mode = mode;
  }

  /** Decodes the key's value if needed: `exists` is false when its newest record is a tombstone or invalid. */
  keyState(key: string): KeyState {
    const current = this.map.get(key);
    if (current !== undefined) return { exists: true, lastVersion: current.version };
    return { exists: false, lastVersion: this.deletedVersions.get(key) ?? 0 };
  }

  /** The version of the key's newest record, valid or not, without decoding anything. */
  lastVersion(key: string): number {
    return this.map.versionOf(key) ?? this.deletedVersions.get(key) ?? 0;
  }

  /** Applies a record whose value is already decoded (null: tombstone). */
  apply(
    key: string,
    value: T | null,
    version: number,
    partition: number,
    offset: string,
    timestamp: number,
  ): Change<T> | undefined {
    const previous = this.listeners.size === 0 ? undefined : this.map.get(key);
    let current: Versioned<T> | undefined;
    if (value === null) {
      this.map.delete(key);
      this.deletedVersions.set(key, version);
    } else {
      current = { value, version };
      this.map.set(key, current);
      if (this.deletedVersions.size > 0) this.deletedVersions.delete(key);
    }
    this.recordsApplied += 1;
    if (this.listeners.size === 0) return undefined;
    const change: Change<T> = { key, previous, current, version, partition, offset, timestamp };
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        // A subscriber's bug must not stop the table from applying the log.
        this.onListenerError(error);
      }
    }
    return change;
  }

  /**
   * Applies a record as read from the log. Lazy mode without subscribers keeps a packed copy of the bytes
   * (see EncodedValues) and decodes on first read; otherwise it decodes now (subscribers get decoded values).
   */
  applyEncoded(
    key: string,
    bytes: Buffer | null,
    version: number,
    partition: number,
    offset: string,
    timestamp: number,
  ): Change<T> | undefined {
    if (bytes === null) return this.apply(key, null, version, partition, offset, timestamp);
    if (this.mode === 'lazy' && this.listeners.size === 0) {
      this.map.setEncoded(key, bytes, version, partition, Number(offset));
      if (this.deletedVersions.size > 0) this.deletedVersions.delete(key);
      this.recordsApplied += 1;
      return undefined;
    }
    const decoded = safeDecode(this.codec, bytes);
    if (decoded.ok) return this.apply(key, decoded.value, version, partition, offset, timestamp);
    this.count(key, version, { partition, offset: Number(offset) }, decoded.errors);
    return this.apply(key, null, version, partition, offset, timestamp);
  }

  /** A lazily stored value failed to decode on first read: the key becomes absent, keeping its version. */
  private invalid(
    key: string,
    version: number,
    where: { partition: number; offset: number },
    errors: FieldError[],
  ): void {
    this.deletedVersions.set(key, version);
    this.count(key, version, where, errors);
  }

  private count(
    key: string,
    version: number,
    where: { partition: number; offset: number },
    errors: FieldError[],
  ): void {
    this.invalidRecords += 1;
    this.logger.warn(
      { key, version, ...where, errors },
      'kv-store: a state record does not decode; the key reads as absent',
    );
  }
}
