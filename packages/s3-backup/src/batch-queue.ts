/**
 * Runs a reader's batch handler one batch after another, in the order they were pushed, while the reader goes
 * on. kafkajs fetches a broker's next response only once every batch of the last one was handled, so a handler
 * awaited inside `eachBatch` leaves the broker and the network idle while it runs. Queued, the handler overlaps
 * the next fetch's wait for the broker and the transfer. On a loopback broker that wait is small (the time
 * between a 1M backup's handler calls is mostly kafkajs decoding on this thread; A/B: no change); across a
 * network a 12 MiB fetch takes ~100 ms at 1 Gbit/s.
 *
 * `push` waits only while more than `maxBytes` (keys and values) are queued, which bounds the memory held by
 * batches not handled yet. The first failure of the handler is kept, reported through `onFailure` once, and
 * every batch queued after it is dropped.
 */
export class BatchQueue<T> {
  #tail: Promise<void> = Promise.resolve();
  #queued = 0;
  #failure: { error: unknown } | undefined;
  #stopped = false;
  #room: Array<() => void> = [];

  constructor(
    readonly maxBytes: number,
    readonly handle: (item: T) => Promise<void> | void,
    readonly onFailure: (error: unknown) => void,
  ) {}

  /** Queues one batch of `bytes` bytes; resolves once there is room for more (at once, mostly). */
  async push(item: T, bytes: number): Promise<void> {
    if (this.#stopped || this.#failure !== undefined) return;
    this.#queued += bytes;
    this.#tail = this.#tail.then(async () => {
      try {
        if (!this.#stopped && this.#failure === undefined) await this.handle(item);
      } catch (error) {
        this.#failure = { error };
        this.onFailure(error);
      } finally {
        this.#queued -= bytes;
        this.#wake();
      }
    });
    while (this.#queued > this.maxBytes && !this.#stopped && this.#failure === undefined)
      await new Promise<void>((resolve) => this.#room.push(resolve));
  }

  /** Resolves once every queued batch was handled (or dropped); rejects with the handler's failure, if any. */
  async drain(): Promise<void> {
    await this.#tail;
    if (this.#failure !== undefined) throw this.#failure.error;
  }

  /** Drops the batches not handled yet; the one being handled finishes. Waiting pushes return. */
  stop(): void {
    this.#stopped = true;
    this.#wake();
  }

  #wake(): void {
    const room = this.#room;
    this.#room = [];
    for (const resolve of room) resolve();
  }
}

/** Bytes of keys and values in a batch of kafkajs messages: what {@link BatchQueue} bounds. */
export function batchBytes(messages: ReadonlyArray<{ key: Buffer | null; value: Buffer | null }>): number {
  let n = 0;
  for (const m of messages) n += (m.key?.length ?? 0) + (m.value?.length ?? 0);
  return n;
}
