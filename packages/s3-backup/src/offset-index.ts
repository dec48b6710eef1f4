import type { BackupManifest } from '@labeldocs/schemas';

/**
 * Per partition of a backup, offset → a non-negative number (restore: the index of the record to produce among
 * the diff's creates and changes). Where a partition's offsets are dense (its backed-up offset range is at most
 * `DENSE_SLOTS_PER_RECORD` times its record count, as in any topic that is not heavily compacted) it is an
 * `Int32Array` over that range: no hashing, no per-entry heap objects. Sparse partitions (a compacted topic that
 * has dropped most of its offsets) use a `Map`, so memory stays proportional to records, not offsets.
 */
export class OffsetIndex {
  readonly #dense: Array<{ start: number; slots: Int32Array } | undefined> = [];
  readonly #sparse: Array<Map<number, number> | undefined> = [];

  constructor(partitions: BackupManifest['partitions']) {
    for (const p of partitions) {
      const start = Number(p.startOffset);
      const span = Number(p.endOffset) - start;
      if (span > 0 && span <= DENSE_SLOTS_PER_RECORD * p.records && span <= 2 ** 31)
        // -1 = not set (fill is one native call).
        this.#dense[p.partition] = { start, slots: new Int32Array(span).fill(-1) };
    }
  }

  set(partition: number, offset: number, value: number): void {
    const d = this.#dense[partition];
    const at = d === undefined ? -1 : offset - d.start;
    if (d !== undefined && at >= 0 && at < d.slots.length) d.slots[at] = value;
    else {
      this.#sparse[partition] ??= new Map();
      this.#sparse[partition].set(offset, value);
    }
  }

  /** The value set for this record, or -1. */
  get(partition: number, offset: number): number {
    const d = this.#dense[partition];
    if (d !== undefined) {
      const at = offset - d.start;
      if (at >= 0 && at < d.slots.length) return d.slots[at]!;
    }
    return this.#sparse[partition]?.get(offset) ?? -1;
  }
}

/** At most this many 4-byte slots per backed-up record (a 4× sparser range costs 16 B per record). */
const DENSE_SLOTS_PER_RECORD = 4;
