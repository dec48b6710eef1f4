import type { BackupManifest } from '@labeldocs/schemas';
import type { Message } from 'kafkajs';
import type { Progress } from './backup.js';
import { OffsetIndex } from './offset-index.js';
import { ProduceQueue } from './produce-queue.js';
import type { ProducedRecords } from './produced-records.js';
import type { RestoreOptions } from './restore.js';
import type { S3Store } from './s3.js';
import type { Segment } from './segment-reader.js';
import type { PlannedDiff, TopicState } from './state.js';
import { scanBackup } from './verify.js';

/**
 * What the produce pass needs of a diff, in a form that costs the garbage collector nearly nothing while the
 * million records go out: no key string or entry object per record to produce (those die with the diff).
 */
export interface ProducePlan {
  /** Latin1 keys to tombstone, in order (their tags are 0 to `deletes.length` - 1). */
  deletes: string[];
  /** Per delete, the partition of the key's current record. */
  deletePartitions: Int32Array;
  /** Per backup partition: offset of a record to produce → its index among creates then changes (else -1). */
  winners: OffsetIndex;
  /** Per such index, the partition of the key's current record, -1 when it has none. */
  currentPartitions: Int32Array;
}

/** The {@link ProducePlan} of a diff made from `current`. */
export function planProduce(
  diff: PlannedDiff,
  current: TopicState,
  partitions: BackupManifest['partitions'],
): ProducePlan {
  const deletePartitions = new Int32Array(diff.delete.length);
  for (const [i, k] of diff.delete.entries()) deletePartitions[i] = current.entries.get(k)!.partition;
  // Where each key's latest record is (partition, offset) is known from pre-flight: only those are produced,
  // each found by its offset in that partition (giving its index in wantedAt).
  const winners = new OffsetIndex(partitions);
  const { wantedAt, currentAt } = diff;
  const currentPartitions = new Int32Array(wantedAt.length);
  for (let j = 0; j < wantedAt.length; j++) {
    const e = wantedAt[j]!;
    winners.set(e.partition, e.offset, j);
    currentPartitions[j] = currentAt[j]?.partition ?? -1;
  }
  return { deletes: diff.delete, deletePartitions, winners, currentPartitions };
}

/**
 * Produces a restore's diff: a tombstone for every key to delete, then, reading the segments' local copies
 * that pre-flight verified, the backup's latest record for every key to create or change. Every key occurs
 * once in the diff and one producer sends in order, so a crash at any point still converges on re-run.
 * Each record is noted in `produced` with its key's index in the diff (deletes, creates, changes) as its tag
 * when it lands in the partition of the key's current record (or the key has none), else with -1: see
 * {@link AppendedRecords}.
 */
export async function produceDiff(
  opts: RestoreOptions,
  store: S3Store,
  manifest: BackupManifest,
  target: string,
  /** Per partition and request, see {@link ProduceQueue.open}. */
  maxBatchBytes: number,
  plan: ProducePlan,
  localCopy: (segment: Segment) => string,
  /** Where to note every record sent, for the final check's reader (when one follows the target). */
  produced?: ProducedRecords,
): Promise<number> {
  const progress: Progress = {
    records: 0,
    bytes: 0,
    total: plan.deletes.length + plan.currentPartitions.length,
  };
  const queue = await ProduceQueue.open(opts.kafka, target, {
    batchSize: opts.batchSize ?? 1000,
    maxBatchBytes,
    onSent: (messages: Message[]) => {
      progress.records += messages.length;
      for (const m of messages) progress.bytes += (m.value as Buffer | null)?.length ?? 0;
      opts.onProgress?.({ ...progress });
    },
  });
  try {
    const send = (
      message: {
        key: Buffer;
        value: Buffer | null;
        headers?: Record<string, Buffer | Buffer[]>;
        partition?: number;
      },
      tag: number,
      /** The partition of the key's current record, -1 for none. */
      was: number,
    ) => {
      // push sets the message's partition.
      const pending = queue.push(message);
      const partition = message.partition!;
      produced?.add(partition, message.key, message.value, was === -1 || was === partition ? tag : -1);
      return pending;
    };
    for (const [i, k] of plan.deletes.entries())
      await send({ key: Buffer.from(k, 'latin1'), value: null }, i, plan.deletePartitions[i]!);
    const { winners, currentPartitions } = plan;
    const tagBase = plan.deletes.length;
    if (currentPartitions.length > 0)
      await scanBackup(store, manifest, {
        signal: opts.signal,
        // Pre-flight verified these very bytes (the copies it kept) and their state; checksums are checked again.
        verifyState: false,
        from: localCopy,
        onRecord: (partition, r) => {
          const j = winners.get(partition, r.offset);
          if (j === -1) return;
          return send(
            r.headers.length === 0
              ? { key: r.key!, value: r.value }
              : { key: r.key!, value: r.value, headers: groupHeaders(r.headers) },
            tagBase + j,
            currentPartitions[j]!,
          );
        },
      });
    await queue.flush();
    return progress.records;
  } finally {
    await queue.close();
  }
}

/** kafkajs takes repeated header names as an array. */
function groupHeaders(headers: Array<[string, Buffer]>): Record<string, Buffer | Buffer[]> {
  const out: Record<string, Buffer[]> = {};
  for (const [name, value] of headers) {
    out[name] ??= [];
    out[name].push(value);
  }
  return Object.fromEntries(Object.entries(out).map(([n, v]) => [n, v.length === 1 ? v[0]! : v]));
}
