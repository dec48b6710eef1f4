import { MismatchCounter, type TopicState } from './state.js';

/** What the general path needs beyond the target's state: the backup's state and the key of each tag. */
export interface WantedPlan {
  wanted: TopicState;
  /** The latin1 key of a tag. */
  keyAt: (tag: number) => string;
}

/**
 * The final check's bookkeeping for every record read back from the target after the pre-flight read. While only
 * restore's own records come back (the usual case), each one counts as one key that now equals the backup, found
 * by its tag (its key's index in the diff) alone: no key string, no lookup in the million-key states, which was
 * most of the check's cost. That holds because every diff key differed from the backup when the diff was made, is
 * produced exactly once, and restore's record is the key's latest (it is appended to the partition that already
 * holds the key's current record, or the key had none); restore tags only records for which the last holds.
 *
 * The first record of anyone else (or one of ours that was not tagged) switches to the exact general path for
 * good: `load` gives the backup's state and the tags' keys (restore rebuilds them from its verified copies, so
 * that its heap does not hold a million-key state while it produces), the records counted so far are applied to
 * `current` (with the backup's digests), then every record goes through {@link MismatchCounter.apply}.
 */
export class AppendedRecords {
  // Per tag, where restore's record was read back (NaN = not yet): enough to apply it later if needed.
  readonly #offsets: Float64Array;
  readonly #timestamps: Float64Array;
  readonly #partitions: Int32Array;
  #mismatched: number;
  #counter: MismatchCounter | undefined;

  constructor(
    /** The target's state the diff was made from; changed only once on the general path. */
    readonly current: TopicState,
    /** Keys that differ from the backup: the diff's create, change and delete counts. */
    mismatched: number,
    /** Tags run from 0 to `tags` - 1. */
    readonly tags: number,
    readonly load: () => WantedPlan | Promise<WantedPlan>,
  ) {
    this.#mismatched = mismatched;
    this.#offsets = new Float64Array(tags).fill(Number.NaN);
    this.#timestamps = new Float64Array(tags);
    this.#partitions = new Int32Array(tags);
  }

  /** Whether some record took the general path (for tests and diagnostics). */
  get general(): boolean {
    return this.#counter !== undefined;
  }

  /** Keys whose live value still differs from the backup's; zero means the states are equal. */
  get mismatched(): number {
    return this.#counter?.mismatched ?? this.#mismatched;
  }

  /**
   * Applies one record read back. `tag` is what {@link ProducedRecords.take} returned for it: a tag for one of
   * restore's records that may count by tag, -1 for one of ours that may not, undefined for anyone else's.
   * Returns a promise only when this record switches to the general path and `load` is asynchronous: wait for
   * it before applying the next record.
   */
  apply(
    key: Buffer | null,
    value: Buffer | null,
    partition: number,
    offset: number,
    timestamp: number,
    tag: number | undefined,
  ): void | Promise<void> {
    if (this.#counter === undefined) {
      if (tag !== undefined && tag >= 0 && Number.isNaN(this.#offsets[tag]!)) {
        this.#offsets[tag] = offset;
        this.#timestamps[tag] = timestamp;
        this.#partitions[tag] = partition;
        this.#mismatched--;
        return;
      }
      const plan = this.load();
      const then = (p: WantedPlan) => {
        this.#switch(p);
        this.#counter!.apply(key, value, partition, offset, timestamp, tag !== undefined);
      };
      if (plan instanceof Promise) return plan.then(then);
      then(plan);
      return;
    }
    this.#counter.apply(key, value, partition, offset, timestamp, tag !== undefined);
  }

  /** Applies the records counted by tag to the current state, so the general path sees them. */
  #switch({ wanted, keyAt }: WantedPlan): void {
    const current = this.current;
    for (let tag = 0; tag < this.tags; tag++) {
      const offset = this.#offsets[tag]!;
      if (Number.isNaN(offset)) continue;
      const k = keyAt(tag);
      const digest = wanted.entries.get(k)?.digest ?? null;
      current.applyKey(
        k,
        digest === null ? null : NOT_HASHED,
        this.#partitions[tag]!,
        offset,
        this.#timestamps[tag]!,
        digest,
      );
    }
    this.#counter = new MismatchCounter(current, wanted, this.#mismatched);
  }
}

// A placeholder value: applyKey takes the given digest and never hashes it.
const NOT_HASHED = Buffer.alloc(0);
