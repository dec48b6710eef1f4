import { createHash, hash as oneShot } from 'node:crypto';

/** The latest record seen for one key: where it is and a digest of its value (null for a tombstone). */
export interface StateEntry {
  timestamp: number;
  partition: number;
  offset: number;
  /** SHA-256 of the value as a 32-char binary (latin1) string: cheaper to hold and compare than a Buffer. */
  digest: string | null;
}

/**
 * A topic's logical state: the latest record per key. Keys are held as latin1 strings (one char per byte), so
 * JavaScript's string order is byte order. Values are reduced to their SHA-256, keeping memory per key small.
 */
export class TopicState {
  readonly entries = new Map<string, StateEntry>();
  #sorted: { keys: string[]; entries: StateEntry[] } | undefined;

  /**
   * Records one record. Within a partition the higher offset wins; a key found in two partitions (never the
   * case with the default partitioner) resolves by timestamp, then partition, so the result is order-free.
   */
  apply(
    key: Buffer | null,
    value: Buffer | null,
    partition: number,
    offset: number,
    timestamp: number,
  ): void {
    if (key !== null) this.applyKey(key.toString('latin1'), value, partition, offset, timestamp);
  }

  /**
   * {@link apply} for a key already in latin1 form; returns whether the record became the key's latest. `digest`,
   * when given, is the value's SHA-256 known already (the caller vouches for it), so it is not computed again.
   */
  applyKey(
    k: string,
    value: Buffer | null,
    partition: number,
    offset: number,
    timestamp: number,
    digest?: string | null,
  ): boolean {
    const prev = this.entries.get(k);
    if (prev !== undefined && !newer(prev, partition, offset, timestamp)) return false;
    this.#sorted = undefined;
    // One-shot hashing: far cheaper per small value than a Hash object (this runs for every record).
    this.entries.set(k, {
      timestamp,
      partition,
      offset,
      digest: value === null ? null : (digest ?? oneShot('sha256', value, 'binary')),
    });
    return true;
  }

  /** The live keys in byte order; kept until the state changes (restore diffs a state it hashed in pre-flight). */
  sortedLiveKeys(): string[] {
    return this.sortedLive().keys;
  }

  /**
   * The live keys in byte order with their entries (`entries[i]` is `keys[i]`'s), kept until the state changes:
   * the hash and a diff then walk them without a lookup per key in a large map (random memory access).
   */
  sortedLive(): { keys: string[]; entries: StateEntry[] } {
    if (this.#sorted !== undefined) return this.#sorted;
    const keys: string[] = [];
    for (const [k, e] of this.entries) if (e.digest !== null) keys.push(k);
    // The default sort compares UTF-16 code units: for latin1 strings that is byte order, without a JS comparator.
    keys.sort();
    const entries = keys.map((k) => this.entries.get(k)!);
    this.#sorted = { keys, entries };
    return this.#sorted;
  }

  /** Live keys (tombstones excluded) with their value digests. */
  *live(): Iterable<[string, string]> {
    for (const [k, e] of this.entries) if (e.digest !== null) yield [k, e.digest];
  }

  /** Whether both states have the same live keys with the same value digests (i.e. the same hash), in O(keys). */
  sameLiveState(other: TopicState): boolean {
    if (this.liveKeys !== other.liveKeys) return false;
    for (const [k, e] of this.entries)
      if (e.digest !== null && other.entries.get(k)?.digest !== e.digest) return false;
    return true;
  }

  get liveKeys(): number {
    let n = 0;
    for (const e of this.entries.values()) if (e.digest !== null) n++;
    return n;
  }

  /** SHA-256 over (key length, key, value digest) of every live key, sorted by key bytes. */
  hash(): string {
    const { keys, entries } = this.sortedLive();
    const h = createHash('sha256');
    // The same bytes as one update per entry, written into a 1 MiB buffer and hashed a buffer at a time.
    const buf = Buffer.allocUnsafe(1024 * 1024);
    let at = 0;
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const digest = entries[i]!.digest!;
      if (at + 4 + k.length + 32 > buf.length) {
        h.update(buf.subarray(0, at));
        at = 0;
      }
      if (4 + k.length + 32 > buf.length) {
        // A key longer than the buffer (Kafka allows it): hashed on its own.
        h.update(
          Buffer.from([k.length >>> 24, (k.length >>> 16) & 255, (k.length >>> 8) & 255, k.length & 255]),
        );
        h.update(k, 'latin1').update(digest, 'latin1');
        continue;
      }
      at = buf.writeUInt32BE(k.length, at);
      at += buf.write(k, at, 'latin1');
      at += buf.write(digest, at, 'latin1');
    }
    h.update(buf.subarray(0, at));
    return h.digest('hex');
  }
}

function newer(prev: StateEntry, partition: number, offset: number, timestamp: number): boolean {
  if (prev.partition === partition) return offset > prev.offset;
  if (timestamp !== prev.timestamp) return timestamp > prev.timestamp;
  return partition > prev.partition;
}

/** What a restore must do to turn `current` into `target`. Keys are latin1 strings as in TopicState. */
export interface StateDiff {
  create: string[];
  change: string[];
  delete: string[];
}

/**
 * A {@link StateDiff} with, for every key to create and then every key to change (in that order), the target's
 * entry (where the record to produce is) and the current entry (undefined when the key has none): what
 * restore needs to produce the diff without looking every key up again.
 */
export interface PlannedDiff extends StateDiff {
  wantedAt: StateEntry[];
  currentAt: Array<StateEntry | undefined>;
}

export function diffStates(current: TopicState, target: TopicState): PlannedDiff {
  const diff: PlannedDiff = { create: [], change: [], delete: [], wantedAt: [], currentAt: [] };
  const changeAt: StateEntry[] = [];
  const changeWas: StateEntry[] = [];
  // In key order, so create and change come out sorted without sorting them again.
  const sorted = target.sortedLive();
  if (current.entries.size === 0) {
    // An empty target (a new topic, the develop fill): every live key is created.
    diff.create = sorted.keys.slice();
    diff.wantedAt = sorted.entries.slice();
    diff.currentAt = new Array<StateEntry | undefined>(sorted.keys.length).fill(undefined);
    return diff;
  }
  for (let i = 0; i < sorted.keys.length; i++) {
    const k = sorted.keys[i]!;
    const wanted = sorted.entries[i]!;
    const now = current.entries.get(k);
    if (now === undefined || now.digest === null) {
      diff.create.push(k);
      diff.wantedAt.push(wanted);
      diff.currentAt.push(now);
    } else if (now.digest !== wanted.digest) {
      diff.change.push(k);
      changeAt.push(wanted);
      changeWas.push(now);
    }
  }
  for (let i = 0; i < changeAt.length; i++) {
    diff.wantedAt.push(changeAt[i]!);
    diff.currentAt.push(changeWas[i]);
  }
  for (const [k] of current.live()) {
    const wanted = target.entries.get(k);
    if (wanted === undefined || wanted.digest === null) diff.delete.push(k);
  }
  diff.delete.sort();
  return diff;
}

const live = (e: StateEntry | undefined) => e?.digest ?? null;

/**
 * Applies records to `current` while counting the keys whose live value differs from `wanted`'s, starting from
 * the count of a {@link diffStates} of the two (its create, change and delete keys). Zero means the states are
 * equal, found in O(records applied) instead of comparing every key.
 */
export class MismatchCounter {
  constructor(
    readonly current: TopicState,
    readonly wanted: TopicState,
    public mismatched: number,
  ) {}

  /**
   * Applies one record. `wanted` says the record is byte for byte the one `wanted` holds as the key's latest (as
   * restore knows of the records it produced), so its digest is that one's and the value is not hashed again.
   */
  apply(
    key: Buffer | null,
    value: Buffer | null,
    partition: number,
    offset: number,
    timestamp: number,
    wanted = false,
  ): void {
    if (key === null) return;
    const k = key.toString('latin1');
    const want = live(this.wanted.entries.get(k));
    const was = live(this.current.entries.get(k));
    const known = wanted && value !== null && want !== null ? want : undefined;
    if (!this.current.applyKey(k, value, partition, offset, timestamp, known)) return;
    const now = value === null ? null : (known ?? this.current.entries.get(k)!.digest);
    this.mismatched += (now === want ? 0 : 1) - (was === want ? 0 : 1);
  }
}
