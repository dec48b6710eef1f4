import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BackupManifest } from '@labeldocs/schemas';
import type { Kafka } from 'kafkajs';
import { AppendedRecords } from './appended-records.js';
import type { Progress } from './backup.js';
import { readTopicConfig } from './backup.js';
import {
  BackupInvalidOptionsError,
  BackupStateMismatchError,
  BackupTopicIncompatibleError,
} from './errors.js';
import { inProcessLock, type TopicLock } from './lock.js';
import { OffsetIndex } from './offset-index.js';
import { ProducedRecords } from './produced-records.js';
import { type ProducePlan, planProduce, produceDiff } from './restore-produce.js';
import { followAppended, readState } from './restore-state.js';
import { openStore, type S3Location, type S3Store } from './s3.js';
import type { Segment } from './segment-reader.js';
import { diffStates, type StateDiff, type TopicState } from './state.js';
import { captureOffsets, type PartitionRange } from './topic-reader.js';
import { loadManifest, type ScanOptions, scanBackup } from './verify.js';

export interface RestoreOptions {
  /** A kafkajs client for the target cluster (the backup's own, or another such as develop). */
  kafka: Kafka;
  /** The backed-up topic (names the backup's folder). */
  topic: string;
  backupId: string;
  /** Where to write; default `topic`. Must exist with the same cleanup.policy as the backup's topic. */
  targetTopic?: string;
  /** Where to read the backup: the primary or the replica location. */
  s3: S3Location;
  /** Compute and return the diff, produce nothing. Default false. */
  dryRun?: boolean;
  /** Exclusive lock on the target topic. Default: a lock that only guards this process. */
  lock?: TopicLock;
  /** Records per produce request (one request in flight while the next fills). Default 1000: fewer requests
   * mean less time waiting for the broker's answers, while kafkajs' grouping of a request's records per
   * partition (quadratic in their number) makes much larger requests cost more CPU; 1000 beat 500 and 1500
   * in every A/B pair measured (docs/backup.md). */
  batchSize?: number;
  /** Where pre-flight keeps its verified copies of the segments until they are produced (a fresh directory
   * inside it, removed at the end). Default `os.tmpdir()`. Needs room for the backup's stored bytes. */
  tempDir?: string;
  /** Keys listed per diff category in the result. Default 1000. */
  maxDiffKeys?: number;
  signal?: AbortSignal;
  onProgress?: (progress: Progress) => void;
  /** Awaited as each phase ends: `verified` (pre-flight done, diff known, nothing produced yet) and `produced`
   * (every record acknowledged, before the final check). For progress reporting and tests. */
  onPhase?: (phase: 'verified' | 'produced') => void | Promise<void>;
}

export interface RestoreResult {
  backupId: string;
  targetTopic: string;
  dryRun: boolean;
  /** Number of keys to create, change and delete (tombstone). */
  counts: { create: number; change: number; delete: number };
  /** The keys (UTF-8 decoded), at most `maxDiffKeys` per category. */
  keys: StateDiff;
  /** Records produced (values plus tombstones); 0 for a dry run. */
  produced: number;
  /** The target's state hash after the restore (equals the manifest's), or before it for a dry run. */
  stateHash: string;
  /** Milliseconds per phase: deep verification, then the rest of reading the target (which runs alongside),
   * producing, the final read and hash check. */
  ms: { verify: number; readTarget: number; produce: number; check: number };
}

/**
 * Restores a topic to exactly a backup's state: pre-flight (lock, target exists with a compatible config,
 * manifest present, every segment verified), then tombstones for keys not in the backup, the backup's latest
 * record for every key that differs, and finally a read to the end whose state hash must equal the manifest's.
 * Only differing keys are produced, so re-running after a crash converges on the same state.
 */
export async function restoreBackup(opts: RestoreOptions): Promise<RestoreResult> {
  const target = opts.targetTopic ?? opts.topic;
  if (!opts.backupId) throw new BackupInvalidOptionsError('backupId is required');
  const store = openStore(opts.s3);
  const lock = await (opts.lock ?? inProcessLock)(target);
  let spool: string | undefined;
  try {
    const manifest = await loadManifest(store, opts.topic, opts.backupId);
    const maxMessageBytes = await checkTarget(opts.kafka, target, manifest);
    const ms: RestoreResult['ms'] = { verify: 0, readTarget: 0, produce: 0, check: 0 };
    let t = performance.now();
    const lap = () => {
      const now = performance.now();
      const d = Math.round(now - t);
      t = now;
      return d;
    };
    // The deep verification (S3) and reading the target (Kafka) are independent: run them side by side, and
    // stop the read if verification fails, so a damaged backup still fails before anything is produced.
    const local = new AbortController();
    const signal = opts.signal === undefined ? local.signal : AbortSignal.any([opts.signal, local.signal]);
    const reading = readState(opts.kafka, target, signal);
    reading.catch(() => undefined);
    // Pre-flight keeps a copy of the bytes it verified, so the produce pass sends exactly those (a segment changed
    // in S3 meanwhile does not matter) and downloads nothing twice. One file per segment: memory stays flat.
    if (!opts.dryRun) spool = await mkdtemp(join(opts.tempDir ?? tmpdir(), 'labeldocs-restore-'));
    const copies = new Map(manifest.segments.map((s, i) => [s, join(spool ?? '', `${i}.segment`)]));
    const copyOf = (segment: Segment) => copies.get(segment)!;
    let verified: Verified;
    try {
      verified = await verifyAndDiff(
        store,
        manifest,
        reading,
        opts.maxDiffKeys ?? 1000,
        opts.dryRun === true,
        {
          signal: opts.signal,
          ...(spool === undefined ? {} : { spoolTo: copyOf }),
        },
      );
    } catch (error) {
      local.abort();
      await reading.catch(() => undefined);
      throw error;
    }
    const { current, before, counts, keys, plan } = verified;
    ms.verify = verified.verifyMs;
    ms.readTarget = verified.readTargetMs;
    // Making the diff counts as producing, as it always has.
    t = verified.readDone;
    const base = { backupId: opts.backupId, targetTopic: target, counts, keys, ms };
    if (opts.dryRun) return { ...base, dryRun: true, produced: 0, stateHash: current.hash() };

    await opts.onPhase?.('verified');
    // The final check starts now: on a compacted target a reader follows what is appended from where the
    // pre-flight read stopped (records below cannot change, and compaction never changes a key's latest value),
    // applying it onto the state read then and counting the keys that still differ from the backup's: zero means
    // equal states, without comparing every key. It runs while the diff is produced, so its group join and fetches
    // overlap producing. A target with `cleanup.policy=delete` is read again from its start afterwards instead.
    const compacted = (manifest.topicConfig['cleanup.policy'] ?? '').includes('compact');
    const total = counts.create + counts.change + counts.delete;
    // What was produced, so the reader compares the bytes of our own records instead of hashing them again.
    const produced = compacted ? new ProducedRecords() : undefined;
    const appended =
      produced === undefined
        ? undefined
        : new AppendedRecords(current, total, total, async () => {
            // Only when another writer's record (or an untagged one of ours) comes back: the backup's state and
            // the diff again, from the verified copies (the same bytes, so the same diff).
            const wanted = await scanBackup(store, manifest, { signal: opts.signal, from: copyOf });
            const diff = diffStates(current, wanted);
            const keyAt = (tag: number) =>
              tag < diff.delete.length
                ? diff.delete[tag]!
                : (diff.create[tag - diff.delete.length] ??
                  diff.change[tag - diff.delete.length - diff.create.length]!);
            return { wanted, keyAt };
          });
    const follower =
      appended === undefined || produced === undefined
        ? undefined
        : followAppended(opts.kafka, target, before, appended, produced, opts.signal);
    let count: number;
    try {
      // A record batch of the target's partition must fit its max.message.bytes with the batch's own 61 bytes.
      count = await produceDiff(opts, store, manifest, target, maxMessageBytes - 61, plan, copyOf, produced);
      ms.produce = lap();
      await opts.onPhase?.('produced');
    } catch (error) {
      await follower?.cancel();
      throw error;
    }
    let hash: string;
    if (follower !== undefined) {
      await follower.finish();
      // The backup's state was verified against the manifest's hash in pre-flight, so an equal state has that
      // hash too. A mismatch is hashed for the message.
      hash = appended!.mismatched === 0 ? manifest.stateHash : current.hash();
    } else hash = (await readState(opts.kafka, target, opts.signal)).state.hash();
    ms.check = lap();
    if (hash !== manifest.stateHash)
      throw new BackupStateMismatchError(
        `after restoring ${opts.backupId} into ${target} its state hash is ${hash}, the backup's is ${manifest.stateHash}; did something write to ${target} meanwhile?`,
      );
    return { ...base, dryRun: false, produced: count, stateHash: hash };
  } finally {
    if (spool !== undefined) await rm(spool, { recursive: true, force: true }).catch(() => undefined);
    await lock.release();
    store.client.destroy();
  }
}

interface Verified {
  /** The target's state read in pre-flight, and where that read stopped. */
  current: TopicState;
  before: PartitionRange[];
  counts: RestoreResult['counts'];
  keys: StateDiff;
  plan: ProducePlan;
  verifyMs: number;
  /** How long the target's read went on after verification ended. */
  readTargetMs: number;
  /** When it ended (`performance.now()`). */
  readDone: number;
}

/**
 * Pre-flight's deep verification of every segment (the backup's state) and the diff against the target's state
 * read alongside. Returns only what producing needs: the backup's state and the diff (a million key strings and
 * entries for a million-key backup) die here, so the heap the produce pass works in is small and its garbage
 * collections stay cheap (they measured ~15% of the produce pass while those were alive).
 */
async function verifyAndDiff(
  store: S3Store,
  manifest: BackupManifest,
  reading: Promise<{ state: TopicState; ranges: PartitionRange[] }>,
  max: number,
  dryRun: boolean,
  scan: ScanOptions,
): Promise<Verified> {
  const t0 = performance.now();
  const wanted = await scanBackup(store, manifest, scan);
  const t1 = performance.now();
  const { state: current, ranges: before } = await reading;
  const t2 = performance.now();
  const diff = diffStates(current, wanted);
  return {
    current,
    before,
    counts: { create: diff.create.length, change: diff.change.length, delete: diff.delete.length },
    keys: {
      create: diff.create.slice(0, max).map(show),
      change: diff.change.slice(0, max).map(show),
      delete: diff.delete.slice(0, max).map(show),
    },
    // A dry run produces nothing.
    plan: dryRun ? NO_PLAN : planProduce(diff, current, manifest.partitions),
    verifyMs: Math.round(t1 - t0),
    readTargetMs: Math.round(t2 - t1),
    readDone: t2,
  };
}

const NO_PLAN: ProducePlan = {
  deletes: [],
  deletePartitions: new Int32Array(0),
  winners: new OffsetIndex([]),
  currentPartitions: new Int32Array(0),
};

const show = (latin1: string) => Buffer.from(latin1, 'latin1').toString('utf8');

/** Checks the target exists and fits the backup; returns its max.message.bytes (the largest record batch). */
async function checkTarget(kafka: Kafka, target: string, manifest: BackupManifest): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await captureOffsets(admin, target); // throws BACKUP_TOPIC_MISSING
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  const config = await readTopicConfig(kafka, target);
  const want = manifest.topicConfig['cleanup.policy'] ?? 'delete';
  const have = config['cleanup.policy'] ?? 'delete';
  if (want !== have)
    throw new BackupTopicIncompatibleError(
      `topic ${target} has cleanup.policy=${have}, the backup of ${manifest.topic} has cleanup.policy=${want}`,
    );
  // Only non-default values are read; Kafka's default is 1048588 (1 MiB + 12).
  return Number(config['max.message.bytes'] ?? 1_048_588);
}
