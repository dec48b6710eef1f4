import { randomUUID } from 'node:crypto';
import type { Consumer, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import { type ChangelogFeed, changelogRecord } from './changelog-feed.js';
import { isChangelogKey } from './changelog-keys.js';
import type { ResolvedOptions } from './options.js';
import { H, header } from './protocol.js';
import type { StateTable } from './state-table.js';

/** Fetch limits per partition and per fetch (the benchmark's raw-kafkajs baseline uses the same). */
const FETCH_BYTES_PER_PARTITION = 256 * 1024;
const FETCH_BYTES = 768 * 1024;

interface Waiter {
  partition: number;
  offset: number;
  resolve: () => void;
}

/**
 * Reads every partition of the state topic (read_committed, so only accepted, committed records) from the
 * earliest offset and applies them to the table. Tracks the next offset to read per partition, control
 * records included, so callers can wait until a given end offset has been passed. A partition its own
 * instance writes is paused between catch-ups, and moved past the writer's own batches (quiet-partitions.ts).
 */
export class StateReader<T> {
  readonly positions: number[];
  readonly highWatermarks: number[];
  /** Set by a writing store: false skips a record its own writer applied at commit (see own-writes.ts). */
  admit: (partition: number, offset: number, key: string) => boolean = () => true;
  /** Set by a writing store: the position of a partition moved (see quiet-partitions.ts). */
  onAdvance: (partition: number, position: number) => void = () => undefined;
  /** Set by a writing store: something waits for an offset the reader has not reached. */
  onBehind: (partition: number, offset: number) => void = () => undefined;
  /** When the reader last completed a fetch of at least one partition. */
  lastFetchAt = 0;
  /** Partitions not fetched while this instance writes them (quiet-partitions.ts). */
  private readonly paused = new Set<number>();
  private fetchFollows = true;
  private readonly consumer: Consumer;
  private waiters: Waiter[] = [];
  private readonly onRequestApplied: (requestId: string, version: number) => void;
  private readonly waitingForRequests: () => boolean;

  constructor(
    kafka: Kafka,
    private readonly options: ResolvedOptions<T>,
    private readonly table: StateTable<T>,
    private readonly changelog: ChangelogFeed,
    partitions: number,
    requests: { applied(requestId: string, version: number): void; waiting(): boolean },
  ) {
    table.configure(options.codec, options.logger, options.decode ?? 'lazy');
    this.positions = new Array<number>(partitions).fill(0);
    this.highWatermarks = new Array<number>(partitions).fill(0);
    this.onRequestApplied = requests.applied;
    this.waitingForRequests = requests.waiting;
    // A private group: every instance reads every partition; nothing is ever committed.
    this.consumer = kafka.consumer({
      groupId: `${options.topic}.reader.${randomUUID()}`,
      maxWaitTimeInMs: 500,
      // A dead member of this private group is noticed quickly, so a rejoin after a broker restart is fast.
      sessionTimeout: options.sessionTimeoutMs,
      rebalanceTimeout: options.sessionTimeoutMs,
      heartbeatInterval: Math.max(500, Math.floor(options.sessionTimeoutMs / 10)),
      // Small fetches: kafkajs decodes a whole response into message objects that live until its last batch is
      // applied. 4 MB/16 MB fetches grew the heap by ~70 MB more at 100k keys for no measurable speed-up.
      maxBytesPerPartition: FETCH_BYTES_PER_PARTITION,
      maxBytes: FETCH_BYTES,
      retry: { retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 5_000 },
    });
    const { FETCH_START, FETCH, END_BATCH_PROCESS, GROUP_JOIN } = this.consumer.events;
    // With every partition paused kafkajs sleeps maxWaitTimeInMs instead of fetching and still reports a
    // FETCH: only a fetch that asked for a partition is contact with the broker.
    this.consumer.on(FETCH_START, () => {
      this.fetchFollows = this.following();
    });
    this.consumer.on(FETCH, () => {
      if (this.fetchFollows && this.following()) this.lastFetchAt = Date.now();
    });
    // Batches made only of control records (transaction markers) never reach eachBatch.
    this.consumer.on(END_BATCH_PROCESS, ({ payload }) => {
      this.advance(payload.partition, Number(payload.lastOffset) + 1, Number(payload.highWatermark));
    });
    // After a crash-restart the consumer rejoins with no committed offsets: resume where we were.
    this.consumer.on(GROUP_JOIN, () => {
      this.positions.forEach((offset, partition) => {
        if (offset > 0) this.consumer.seek({ topic: options.topic, partition, offset: String(offset) });
      });
      // A consumer restarted after a crash has forgotten its paused partitions.
      for (const partition of this.paused) this.pauseFetching(partition);
    });
  }

  /** State records the codec rejected (in lazy mode: among those decoded so far). */
  get invalidRecords(): number {
    return this.table.invalidRecords;
  }

  get lag(): number {
    return this.highWatermarks.reduce((sum, hw, p) => sum + Math.max(0, hw - (this.positions[p] ?? 0)), 0);
  }

  async start(): Promise<void> {
    await this.consumer.connect();
    this.lastFetchAt = Date.now();
    await this.consumer.subscribe({ topic: this.options.topic, fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (payload) => this.eachBatch(payload),
    });
  }

  /** Resolves once every record before `offset` in the partition has been applied. */
  waitFor(partition: number, offset: number): Promise<void> {
    if ((this.positions[partition] ?? 0) >= offset) return Promise.resolve();
    const waiting = new Promise<void>((resolve) => this.waiters.push({ partition, offset, resolve }));
    this.onBehind(partition, offset);
    return waiting;
  }

  /** Next offset to apply in the partition. */
  position(partition: number): number {
    return this.positions[partition] ?? 0;
  }

  /** Stops fetching the partition (its writer is this instance). */
  pause(partition: number): void {
    this.paused.add(partition);
    this.pauseFetching(partition);
  }

  /** Fetches the partition again, from the position: records the writer moved the reader past are not re-read. */
  resume(partition: number): void {
    if (!this.paused.delete(partition)) return;
    const offset = this.positions[partition] ?? 0;
    try {
      if (offset > 0) this.consumer.seek({ topic: this.options.topic, partition, offset: String(offset) });
      this.consumer.resume([{ topic: this.options.topic, partitions: [partition] }]);
    } catch {
      // Not running (closing, or between a crash and its restart): GROUP_JOIN seeks and leaves it resumed.
    }
  }

  /**
   * Moves the position from `base` to `next` without fetching, when the writer of this instance applied the
   * records in between itself (own-writes.ts) and the reader had read everything before them. False (nothing
   * done) when the reader is elsewhere: then it reads them as usual.
   */
  passOver(partition: number, base: number, next: number): boolean {
    if ((this.positions[partition] ?? 0) !== base || next <= base) return false;
    this.noteEnd(partition, next);
    this.advance(partition, next, Number.NaN);
    return true;
  }

  /** An end offset learned without fetching. */
  noteEnd(partition: number, end: number): void {
    if (end > (this.highWatermarks[partition] ?? 0)) this.highWatermarks[partition] = end;
  }

  private following(): boolean {
    return this.paused.size < this.positions.length;
  }

  private pauseFetching(partition: number): void {
    try {
      this.consumer.pause([{ topic: this.options.topic, partitions: [partition] }]);
    } catch {
      // Not running: GROUP_JOIN pauses it again.
    }
  }

  waitForAll(offsets: number[]): Promise<void> {
    return Promise.all(offsets.map((offset, p) => this.waitFor(p, offset))).then(() => undefined);
  }

  async close(): Promise<void> {
    await this.consumer.disconnect();
  }

  private async eachBatch({ batch }: EachBatchPayload): Promise<void> {
    const partition = batch.partition;
    const from = this.positions[partition] ?? 0;
    const table = this.table;
    for (const message of batch.messages) {
      if (message.key === null || (from > 0 && Number(message.offset) < from)) continue;
      if (isChangelogKey(message.key)) {
        // A change event, not state (changelog-keys.ts): only for changelog subscribers.
        if (this.changelog.listeners.size > 0) this.emitEvent(partition, message);
        continue;
      }
      const key = message.key.toString();
      if (!this.admit(partition, Number(message.offset), key)) continue;
      const versionText = header(message.headers, H.version);
      const version = versionText === undefined ? table.lastVersion(key) + 1 : Number(versionText);
      // Values stay encoded until first read (lazy mode): see StateTable and docs/kv-store.md, "Bootstrap".
      table.applyEncoded(key, message.value, version, partition, message.offset, Number(message.timestamp));
      if (this.waitingForRequests()) {
        const requestId = header(message.headers, H.request);
        if (requestId !== undefined) this.onRequestApplied(requestId, version);
      }
    }
    this.advance(partition, Number(batch.lastOffset()) + 1, Number(batch.highWatermark));
  }

  private emitEvent(partition: number, message: KafkaMessage): void {
    const eventKey = String(message.key);
    const offset = Number(message.offset);
    const timestamp = Number(message.timestamp);
    const record = changelogRecord(eventKey, message.value, message.headers, partition, offset, timestamp);
    if (record !== undefined && this.admit(partition, offset, eventKey)) this.changelog.emit(record);
  }

  private advance(partition: number, next: number, highWatermark: number): void {
    if (next > (this.positions[partition] ?? 0)) {
      this.positions[partition] = next;
      this.onAdvance(partition, next);
    }
    if (Number.isFinite(highWatermark)) this.highWatermarks[partition] = highWatermark;
    if (this.waiters.length === 0) return;
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      if ((this.positions[w.partition] ?? 0) >= w.offset) w.resolve();
      else still.push(w);
    }
    this.waiters = still;
  }
}
