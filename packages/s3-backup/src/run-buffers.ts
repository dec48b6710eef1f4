/**
 * Reused buffers for a backup's encoded runs. A fresh multi-megabyte buffer costs page faults on first touch
 * (on the 2-core development VM ~3 ms per MiB in a new process, ~0.3 ms later, against ~0.03 ms to refill a
 * reused one), and a backup encodes every byte it reads. A run's buffer comes back once the compressor has
 * consumed it (or the state worker has applied it) and is filled again by a later run.
 */
/**
 * The size of an encoding buffer: a run is taken at 1 MiB, so the record crossing that mark still fits without
 * a copy. The encoder's first buffer and the pool's buffers are this size, so every first buffer is pooled.
 */
export const RUN_BUFFER_BYTES = 2 * 1024 * 1024;

export class RunBuffers {
  readonly #free: ArrayBuffer[] = [];

  constructor(
    /** The size of every pooled buffer; a record larger than that gets a buffer of its own, not pooled. */
    readonly size = RUN_BUFFER_BYTES,
    /** Free buffers kept at most; more returned ones are left to the garbage collector. */
    readonly keep = 24,
  ) {}

  /** A buffer of at least `min` bytes that nothing else uses (its own ArrayBuffer, transferable). */
  acquire(min: number): Buffer {
    if (min <= this.size) {
      const free = this.#free.pop();
      return free === undefined ? Buffer.allocUnsafeSlow(this.size) : Buffer.from(free);
    }
    return Buffer.allocUnsafeSlow(min);
  }

  /** Hands back a buffer's memory (a whole ArrayBuffer from {@link acquire}); nothing may use it afterwards. */
  release(memory: ArrayBuffer): void {
    // A detached ArrayBuffer has byteLength 0, so it is never kept.
    if (memory.byteLength === this.size && this.#free.length < this.keep) this.#free.push(memory);
  }

  /** Free buffers held now (for tests). */
  get free(): number {
    return this.#free.length;
  }
}
