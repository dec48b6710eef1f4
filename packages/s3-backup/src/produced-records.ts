/**
 * The records a restore produced, per partition in the order they were sent, until the final check's reader
 * reads them back. A record read back that is byte for byte the next one expected (key and value) is one of
 * ours, so its value's digest is the backup's: the reader compares bytes instead of hashing the value again.
 * Anything else (another writer's record) is hashed as usual, so the check stays exact either way.
 * Each record carries a tag (restore's index of its key in the diff, see {@link AppendedRecords}), handed back
 * when it is read back. At most `limit` records wait; beyond that new ones are not tracked (and are hashed when
 * read back).
 */
export class ProducedRecords {
  readonly #queues: Array<Array<{ key: Buffer; value: Buffer | null; tag: number }>> = [];
  readonly #heads: number[] = [];
  #size = 0;

  constructor(readonly limit = 100_000) {}

  add(partition: number, key: Buffer, value: Buffer | null, tag = -1): void {
    if (this.#size >= this.limit) return;
    this.#queues[partition] ??= [];
    this.#heads[partition] ??= 0;
    this.#queues[partition].push({ key, value, tag });
    this.#size++;
  }

  /**
   * The tag of this record read back if it is the next one produced to `partition` (then it is no longer waited
   * for), else undefined.
   */
  take(partition: number, key: Buffer | null, value: Buffer | null): number | undefined {
    const queue = this.#queues[partition];
    const head = this.#heads[partition] ?? 0;
    const next = queue?.[head];
    if (next === undefined || key === null || !key.equals(next.key)) return undefined;
    if (value === null ? next.value !== null : next.value === null || !value.equals(next.value))
      return undefined;
    queue![head] = undefined!;
    this.#heads[partition] = head + 1;
    this.#size--;
    // Drop the consumed front now and then, so the array does not keep every record's slot.
    if (head + 1 >= 4096 && head + 1 >= queue!.length / 2) {
      queue!.splice(0, head + 1);
      this.#heads[partition] = 0;
    }
    return next.tag;
  }
}
