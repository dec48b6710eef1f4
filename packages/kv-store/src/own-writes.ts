import type { Message } from 'kafkajs';
import { type ChangelogFeed, changelogRecord } from './changelog-feed.js';
import type { StateTable } from './state-table.js';

/** One accepted record of a committed writer transaction, in the order it was produced. */
export interface AppliedRecord<T> {
  key: string;
  /** null for a tombstone. */
  value: T | null;
  version: number;
  requestId: string;
}

/**
 * Records a partition's writer applied to its own table straight after its transaction committed, before the
 * state reader fetched them (read-your-writes without waiting for the read_committed fetch). The reader then
 * must not apply them a second time, nor let an older record of the same key, that it reaches before our
 * offset, move the key back. See docs/kv-store.md, "Concurrency", point 6.
 *
 * Exactly the (partition, offset) pairs applied here are skipped: a rule like "skip if the version is not
 * newer" would be unsound, because records from outside the writer (a restore) may carry older versions.
 */
export class OwnWrites<T> {
  /** partition → offset → key of records applied ahead of the reader. */
  private readonly ahead = new Map<number, Map<number, string>>();
  /** key → newest offset applied ahead of the reader (a key always lives in one partition). */
  private readonly newest = new Map<string, { partition: number; offset: number }>();
  mismatches = 0;

  constructor(
    private readonly table: StateTable<T>,
    /** Next offset the reader will apply, per partition. */
    private readonly position: (partition: number) => number,
    private readonly changelog: ChangelogFeed,
    /**
     * Moves the reader from `base` to `next` without fetching when it stands exactly at `base` (StateReader.
     * passOver, through QuietPartitions); true if it did. Then nothing needs remembering: the reader never
     * meets those offsets.
     */
    private readonly passReader: (partition: number, base: number, next: number) => boolean = () => false,
  ) {}

  /** Records still ahead of the reader. */
  get size(): number {
    return this.newest.size;
  }

  /**
   * The writer wrote one record batch to `partition`, offsets [base, next): if the reader stands exactly at
   * `base` (it has read everything before), it is moved to `next` without fetching, and the batch is then
   * applied with `passed` (nothing remembered). False: the reader will read the batch as usual.
   */
  passOver(partition: number, base: number, next: number): boolean {
    if (!this.passReader(partition, base, next)) return false;
    const offsets = this.ahead.get(partition);
    if (offsets !== undefined) this.forgetBelow(partition, offsets, base);
    return true;
  }

  /**
   * Applies the records of one committed transaction, which the broker wrote to `partition` from offset
   * `baseOffset` on, one offset each in produce order (one record batch). Records the reader has passed are
   * already in the table and are left alone, unless `passed`: the reader was moved past this batch without
   * reading it (passOver). Relies on the reader applying a fetched batch without awaiting anything and
   * advancing its position at the end of it, so "passed" and "applied" never differ here.
   */
  apply(
    partition: number,
    baseOffset: number,
    records: AppliedRecord<T>[],
    timestamp: number,
    passed = false,
  ): void {
    records.forEach((record, i) => {
      const offset = baseOffset + i;
      if (!passed && this.position(partition) > offset) return;
      this.table.apply(record.key, record.value, record.version, partition, String(offset), timestamp);
      if (passed) return;
      this.remember(partition, offset, record.key);
      this.newest.set(record.key, { partition, offset });
    });
  }

  /**
   * Hands the change events of the same write, written right after its state records from `firstOffset` on, to
   * the changelog subscribers; the reader then skips exactly those offsets, as it skips our state records
   * (`passed`: it was moved past them, see apply).
   */
  applyEvents(
    partition: number,
    firstOffset: number,
    events: Message[],
    timestamp: number,
    passed = false,
  ): void {
    if (this.changelog.listeners.size === 0) return;
    events.forEach((event, i) => {
      const offset = firstOffset + i;
      if (!passed && this.position(partition) > offset) return; // the reader already handed it out
      const eventKey = String(event.key);
      const value = Buffer.isBuffer(event.value) ? event.value : null;
      const record = changelogRecord(eventKey, value, event.headers, partition, offset, timestamp);
      if (record === undefined) return;
      if (!passed) this.remember(partition, offset, eventKey);
      this.changelog.emit(record);
    });
  }

  private remember(partition: number, offset: number, key: string): void {
    let offsets = this.ahead.get(partition);
    if (offsets === undefined) {
      offsets = new Map();
      this.ahead.set(partition, offsets);
    }
    offsets.set(offset, key);
  }

  /** Asked by the state reader for every record it is about to apply: false means leave the table alone. */
  admit(partition: number, offset: number, key: string): boolean {
    const offsets = this.ahead.get(partition);
    if (offsets === undefined || offsets.size === 0) return true;
    this.forgetBelow(partition, offsets, offset);
    const mine = offsets.get(offset);
    if (mine !== undefined) {
      offsets.delete(offset);
      const newest = this.newest.get(mine);
      if (newest?.partition === partition && newest.offset === offset) this.newest.delete(mine);
      if (mine === key) return false;
      // The offsets we assumed do not match the log: never suppress on a guess, apply what the log says.
      this.mismatches += 1;
      return true;
    }
    const newest = this.newest.get(key);
    // An older record of a key we already applied a newer record of (e.g. written by a restore): the log
    // replaces it with ours a few offsets later, so applying it now would only move the key back meanwhile.
    return !(newest !== undefined && newest.partition === partition && newest.offset > offset);
  }

  /**
   * Remembered offsets the reader went past without meeting them: compaction removed those records before it
   * fetched them (a newer record of the key exists). Entries are added in offset order, so the passed ones
   * come first.
   */
  private forgetBelow(partition: number, offsets: Map<number, string>, offset: number): void {
    for (const [mine, key] of offsets) {
      if (mine >= offset) return;
      offsets.delete(mine);
      const newest = this.newest.get(key);
      if (newest?.partition === partition && newest.offset === mine) this.newest.delete(key);
    }
  }
}
