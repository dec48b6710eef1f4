import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, IHeaders, Kafka, Producer } from 'kafkajs';
import type { Op } from './decide.js';
import {
  KvBrokerUnavailableError,
  KvConflictError,
  type KvError,
  KvInvalidValueError,
  KvTimeoutError,
} from './errors.js';
import type { ResolvedOptions } from './options.js';
import { commandHeaders, parseReply, type Reply } from './protocol.js';
import type { WriteOptions } from './types.js';

interface Pending {
  key: string;
  expectedVersion: number | undefined;
  resolve: (version: number) => void;
  reject: (error: KvError) => void;
  timer: NodeJS.Timeout;
}

/**
 * Sends write commands and waits for their outcome: the state record carrying our request id (applied by the
 * state reader, so read-your-writes holds) or a reply from the partition's writer (conflict, no-op).
 */
export class Requester<T> {
  readonly instanceId = randomUUID();
  readonly pending = new Map<string, Pending>();
  conflicts = 0;
  /** When the replies consumer last completed a fetch: one of the store's signs of a live broker. */
  lastFetchAt = 0;
  /**
   * Set by the store: hands a command to this instance's writer when it owns the key's partition (owner-local
   * fast path); false means it must go through the commands topic. `reroute` sends it there later instead.
   */
  local: ((key: string, value: Buffer | null, headers: IHeaders, reroute: () => void) => boolean) | undefined;
  private readonly producer: Producer;
  private readonly replies: Consumer;

  constructor(
    kafka: Kafka,
    private readonly admin: Admin,
    private readonly options: ResolvedOptions<T>,
  ) {
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      retry: { retries: 5, initialRetryTime: 200, maxRetryTime: 2_000 },
    });
    this.replies = kafka.consumer({
      groupId: `${options.topic}.replies.${this.instanceId}`,
      maxWaitTimeInMs: 200,
      // A dead member of this private group is noticed quickly, so a rejoin after a broker restart is fast.
      sessionTimeout: options.sessionTimeoutMs,
      rebalanceTimeout: options.sessionTimeoutMs,
      heartbeatInterval: Math.max(500, Math.floor(options.sessionTimeoutMs / 10)),
      retry: { retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 5_000 },
    });
  }

  async start(): Promise<void> {
    this.replies.on(this.replies.events.FETCH, () => {
      this.lastFetchAt = Date.now();
    });
    await this.producer.connect();
    // Start at the end captured now: replies to our writes can only come after this point.
    const ends = await this.admin.fetchTopicOffsets(this.options.repliesTopic);
    await this.replies.connect();
    await this.replies.subscribe({ topic: this.options.repliesTopic, fromBeginning: false });
    await this.replies.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        const reply = parseReply(message.value);
        if (reply?.replyTo === this.instanceId) this.onReply(reply);
      },
    });
    for (const end of ends) {
      this.replies.seek({ topic: this.options.repliesTopic, partition: end.partition, offset: end.offset });
    }
  }

  /** Called by the state reader for every applied record that carries a request id. */
  onApplied(requestId: string, version: number): void {
    const p = this.pending.get(requestId);
    if (p) this.settle(requestId)?.resolve(version);
  }

  async send(op: Op, key: string, value: Buffer | null, options: WriteOptions): Promise<number> {
    const requestId = randomUUID();
    const outcome = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.settle(requestId)?.reject(
          new KvTimeoutError(`no outcome for ${op} of "${key}" within ${this.options.writeTimeoutMs} ms`),
        );
      }, this.options.writeTimeoutMs);
      this.pending.set(requestId, { key, expectedVersion: options.expectedVersion, resolve, reject, timer });
    });
    const headers = commandHeaders({
      op,
      requestId,
      replyTo: this.instanceId,
      expectedVersion: options.expectedVersion,
      meta: options.meta ?? {},
    });
    const produce = () => this.produce(op, key, value, headers, requestId);
    const reroute = () => {
      if (this.pending.has(requestId)) void produce();
    };
    if (!this.local?.(key, value, headers, reroute)) await produce();
    return outcome;
  }

  private async produce(
    op: Op,
    key: string,
    value: Buffer | null,
    headers: IHeaders,
    requestId: string,
  ): Promise<void> {
    try {
      await this.producer.send({
        topic: this.options.commandsTopic,
        acks: -1,
        messages: [{ key, value, headers }],
      });
    } catch (cause) {
      this.settle(requestId)?.reject(
        new KvBrokerUnavailableError(`could not send ${op} of "${key}": ${(cause as Error).message}`, {
          cause,
        }),
      );
    }
  }

  rejectAll(make: () => KvError): void {
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(make());
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.replies.disconnect(), this.producer.disconnect()]);
  }

  /** A writer's rejection or no-op for one of our requests (from the replies topic, or our own writer). */
  onReply(reply: Reply): void {
    const p = this.settle(reply.requestId);
    if (!p) return;
    if (reply.outcome === 'noop') p.resolve(0);
    else if (reply.outcome === 'invalid') {
      p.reject(
        new KvInvalidValueError(p.key, [
          { path: '(root)', message: reply.reason ?? 'the writer refused the value' },
        ]),
      );
    } else {
      this.conflicts += 1;
      p.reject(new KvConflictError(p.key, p.expectedVersion ?? -1, reply.currentVersion));
    }
  }

  private settle(requestId: string): Pending | undefined {
    const p = this.pending.get(requestId);
    if (!p) return undefined;
    this.pending.delete(requestId);
    clearTimeout(p.timer);
    return p;
  }
}
