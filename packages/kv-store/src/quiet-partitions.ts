import type { KvLogger } from './options.js';

/** What QuietPartitions drives: the state reader's fetching of one partition. */
export interface FollowControl {
  /** Next offset the reader will apply in the partition. */
  position(partition: number): number;
  /** Stop fetching the partition. */
  pause(partition: number): void;
  /** Fetch the partition again, from `position`. */
  resume(partition: number): void;
  /** The partition's end offset, as just read from the broker (for the `lag` metric). */
  noteEnd(partition: number, end: number): void;
  /** Moves the position from `base` to `next` without fetching if it stands at `base`; true if it did. */
  passOver(partition: number, base: number, next: number): boolean;
}

/** How often the partitions this instance writes are checked for records from outside its writer. */
export const QUIET_CHECK_MS = 1_000;

/**
 * The partitions this instance writes, which its state reader does not long-poll. The writer applies its own
 * records from the produce response (own-writes.ts) and moves the reader past them, so fetching them again
 * would only wake the reader with every write, on the write's hot path. What the writer did not write (a
 * restore producing straight into the topic, transaction markers) is found by asking the broker for the end
 * offsets every `QUIET_CHECK_MS`, or at once when something waits for an offset (sync(), see
 * StateReader.waitFor): the reader then fetches the partition until it reached that end, and pauses again.
 * Losing ownership resumes fetching at once. See docs/kv-store.md, "Concurrency" 8.
 */
export class QuietPartitions {
  private readonly owned = new Set<number>();
  /** Owned partitions the reader fetches until its position reaches the offset. */
  private readonly catchingUp = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;
  private checking = false;

  constructor(
    private readonly reader: FollowControl,
    private readonly endOffsets: () => Promise<number[]>,
    private readonly logger: KvLogger,
    private readonly checkMs = QUIET_CHECK_MS,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.check(), this.checkMs);
    this.timer.unref();
  }

  close(): void {
    clearInterval(this.timer);
  }

  /** This instance became the partition's writer: fenced, and its reader has read everything before. */
  own(partition: number): void {
    if (this.owned.has(partition)) return;
    this.owned.add(partition);
    if (!this.catchingUp.has(partition)) this.reader.pause(partition);
  }

  /** Another instance may write the partition from now on: follow it again, at once. */
  disown(partition: number): void {
    if (!this.owned.delete(partition)) return;
    this.catchingUp.delete(partition);
    this.reader.resume(partition);
  }

  /** Fetch an owned partition until the reader reached `end`; nothing to do for one it follows anyway. */
  catchUp(partition: number, end: number): void {
    if (!this.owned.has(partition) || this.reader.position(partition) >= end) return;
    const already = this.catchingUp.get(partition);
    this.catchingUp.set(partition, Math.max(already ?? 0, end));
    if (already === undefined) this.reader.resume(partition);
  }

  /**
   * The writer wrote the records [base, next) of the partition and applied them itself: the reader skips them
   * if it has read everything before them. Otherwise (a transaction marker, a record from outside the writer,
   * or our own records of the previous moments lie before them) it reads them: a catch-up in progress goes on
   * up to `next`, so that it stops exactly where our next batch starts; else the next check starts one.
   */
  passOver(partition: number, base: number, next: number): boolean {
    if (this.reader.passOver(partition, base, next)) return true;
    const end = this.catchingUp.get(partition);
    if (end !== undefined && end < next) this.catchingUp.set(partition, next);
    return false;
  }

  /** The reader's position in the partition moved to `position`. */
  advanced(partition: number, position: number): void {
    const end = this.catchingUp.get(partition);
    if (end === undefined || position < end) return;
    this.catchingUp.delete(partition);
    if (this.owned.has(partition)) this.reader.pause(partition);
  }

  private async check(): Promise<void> {
    if (this.checking || this.owned.size === 0) return;
    this.checking = true;
    try {
      const ends = await this.endOffsets();
      for (const partition of this.owned) {
        const end = ends[partition];
        if (end === undefined) continue;
        this.reader.noteEnd(partition, end);
        this.catchUp(partition, end);
      }
    } catch (error) {
      // The broker is unreachable: nothing can be fetched either; `stale` says so. Try again next time.
      this.logger.debug({ error }, 'kv-store: could not read the end offsets of the partitions written here');
    } finally {
      this.checking = false;
    }
  }
}
