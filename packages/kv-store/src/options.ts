import type { Codec } from '@labeldocs/schemas';
import type { Versioned, WriteMeta } from './types.js';

/** pino-compatible: `(fields, message)`. kv-store never creates a logger of its own. */
export interface KvLogger {
  debug(fields: object, message?: string): void;
  info(fields: object, message?: string): void;
  warn(fields: object, message?: string): void;
  error(fields: object, message?: string): void;
}

/** What `changelog.encode` receives for every accepted write. */
export interface ChangelogEntry<T> {
  key: string;
  previous: Versioned<T> | undefined;
  /** undefined for a delete. */
  current: Versioned<T> | undefined;
  version: number;
  meta: WriteMeta;
  /** ms since epoch, when the writer accepted the command. */
  timestamp: number;
}

/**
 * Change events are written into the state topic itself, in the same record batch as the state record they
 * describe, under a reserved key that compaction never removes (see changelog-keys.ts). Read them from the
 * state topic with `isChangelogKey` / `changelogKeyOwner`; the store's own readers skip them.
 */
export interface ChangelogOptions<T> {
  encode(change: ChangelogEntry<T>): Buffer;
}

export interface KvStoreOptions<T> {
  /** Kafka bootstrap servers, e.g. `['127.0.0.1:19092']`. */
  brokers: string[];
  /**
   * The compacted state topic. kv-store also uses `<topic>.commands` (write commands) and `<topic>.replies`
   * (rejections), and the consumer group `<topic>.writers`.
   */
  topic: string;
  codec: Codec<T>;
  /** Kafka client id; default `labeldocs-kv`. */
  clientId?: string;
  /** Partitions of a topic kv-store creates; default 3. An existing topic keeps its own count. */
  partitions?: number;
  /** Replication factor of created topics; default 1 (the local single-broker stack). */
  replicationFactor?: number;
  /** `min.insync.replicas` of created topics; default: the broker's default. */
  minInsyncReplicas?: number;
  /** Extra configs for a created state topic, e.g. `{ 'segment.ms': '60000' }`. Never applied to an existing one. */
  topicConfig?: Record<string, string>;
  /** put()/delete() fail with KV_TIMEOUT when no outcome arrives within this; default 30000 ms. */
  writeTimeoutMs?: number;
  /**
   * `stale` turns true when the store has not heard from the broker for this long (no fetch of any of its
   * consumers completed, no write of its writer accepted); default 5000 ms.
   */
  staleAfterMs?: number;
  /** Follower: reads and subscribes only; never joins the writer group; writes fail with KV_READ_ONLY. */
  readOnly?: boolean;
  /** Write one change event per accepted write, atomically with its state record (see ChangelogOptions). */
  changelog?: ChangelogOptions<T>;
  logger?: KvLogger;
  /**
   * When state values are decoded with the codec. `'lazy'` (default): the bootstrap keeps each value as a
   * compact copy of its bytes and decodes (and validates) it the first time it is read, then keeps the decoded
   * value; bootstrap is faster and unread values take about their encoded size. `'eager'`: every record is
   * decoded when applied, so `metrics.invalidRecords` is complete at ready. Subscribers registered before a
   * record is applied always get decoded values. See docs/kv-store.md, "Bootstrap".
   */
  decode?: 'lazy' | 'eager';
  /**
   * Session timeout of kv-store's consumer groups; default 10000 ms (the broker's minimum is usually 6000).
   * Failover of a dead writer, and rejoining after a broker restart, take about this long.
   */
  sessionTimeoutMs?: number;
}

export interface ResolvedOptions<T> extends KvStoreOptions<T> {
  clientId: string;
  partitions: number;
  replicationFactor: number;
  writeTimeoutMs: number;
  staleAfterMs: number;
  readOnly: boolean;
  sessionTimeoutMs: number;
  logger: KvLogger;
  commandsTopic: string;
  repliesTopic: string;
  writerGroup: string;
}

const silent = () => undefined;
export const silentLogger: KvLogger = { debug: silent, info: silent, warn: silent, error: silent };

export function resolveOptions<T>(options: KvStoreOptions<T>): ResolvedOptions<T> {
  if (options.brokers.length === 0) throw new TypeError('kv-store: options.brokers is empty');
  if (!options.topic) throw new TypeError('kv-store: options.topic is required');
  return {
    ...options,
    clientId: options.clientId ?? 'labeldocs-kv',
    partitions: options.partitions ?? 3,
    replicationFactor: options.replicationFactor ?? 1,
    writeTimeoutMs: options.writeTimeoutMs ?? 30_000,
    staleAfterMs: options.staleAfterMs ?? 5_000,
    readOnly: options.readOnly ?? false,
    sessionTimeoutMs: options.sessionTimeoutMs ?? 10_000,
    logger: options.logger ?? silentLogger,
    commandsTopic: `${options.topic}.commands`,
    repliesTopic: `${options.topic}.replies`,
    writerGroup: `${options.topic}.writers`,
  };
}
