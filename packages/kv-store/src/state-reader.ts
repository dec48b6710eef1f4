import { randomUUID } from 'node:crypto';
import type { Codec, DecodeResult } from '@labeldocs/schemas';
import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { ResolvedOptions } from './options.js';
import { H, header } from './protocol.js';
import type { StateTable } from './state-table.js';

interface Waiter {
  partition: number;
  offset: number;
  resolve: () => void;
}

/**
 * Reads every partition of the state topic (read_committed, so only accepted, committed records) from the
 * earliest offset and applies them to the table. Tracks the next offset to read per partition, control
 * records included, so callers can wait until a given end offset has been passed.
 */
export class StateReader<T> {
  readonly positions: number[];
  readonly highWatermarks: number[];
  /** Set by a writing store: false skips a record its own writer applied at commit (see own-writes.ts). */
  admit: (partition: number, offset: number, key: string) => boolean = () => true;
  lastFetchAt = 0;
  invalidRecords = 0;
  private readonly consumer: Consumer;
  private waiters: Waiter[] = [];
  private readonly onRequestApplied: (requestId: string, version: number) => void;
  private readonly waitingForRequests: () => boolean;

  constructor(
    kafka: Kafka,
    private readonly options: ResolvedOptions<T>,
    private readonly table: StateTable<T>,
    partitions: number,
    requests: { applied(requestId: string, version: number): void; waiting(): boolean },
  ) {
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
      maxBytesPerPartition: 4 * 1024 * 1024,
      maxBytes: 16 * 1024 * 1024,
      retry: { retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 5_000 },
    });
    const { FETCH, END_BATCH_PROCESS, GROUP_JOIN } = this.consumer.events;
    this.consumer.on(FETCH, () => {
      this.lastFetchAt = Date.now();
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
    });
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
    return new Promise((resolve) => this.waiters.push({ partition, offset, resolve }));
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
    const codec = this.options.codec;
    for (const message of batch.messages) {
      if (Number(message.offset) < from || message.key === null) continue;
      const key = message.key.toString();
      if (!this.admit(partition, Number(message.offset), key)) continue;
      const versionText = header(message.headers, H.version);
      const version =
        versionText === undefined ? this.table.keyState(key).lastVersion + 1 : Number(versionText);
      let value = null;
      if (message.value !== null) {
        const decoded = safeDecode(codec, message.value);
        if (!decoded.ok) {
          this.invalidRecords += 1;
          this.options.logger.warn(
            { key, partition, offset: message.offset, errors: decoded.errors },
            'kv-store: skipped an undecodable state record',
          );
          continue;
        }
        value = decoded.value;
      }
      this.table.apply(key, value, version, partition, message.offset, Number(message.timestamp));
      if (this.waitingForRequests()) {
        const requestId = header(message.headers, H.request);
        if (requestId !== undefined) this.onRequestApplied(requestId, version);
      }
    }
    this.advance(partition, Number(batch.lastOffset()) + 1, Number(batch.highWatermark));
  }

  private advance(partition: number, next: number, highWatermark: number): void {
    if (next > (this.positions[partition] ?? 0)) this.positions[partition] = next;
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

/** Codecs promise never to throw; one that does must not stall the whole reader on a poison record. */
function safeDecode<T>(codec: Codec<T>, bytes: Buffer): DecodeResult<T> {
  try {
    return codec.decode(bytes);
  } catch (error) {
    return { ok: false, errors: [{ path: '(root)', message: `codec threw: ${(error as Error).message}` }] };
  }
}
