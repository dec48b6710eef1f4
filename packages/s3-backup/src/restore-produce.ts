import type { BackupManifest } from '@labeldocs/schemas';
import type { Message } from 'kafkajs';
import type { Progress } from './backup.js';
import { ProduceQueue } from './produce-queue.js';
import type { ProducedRecords } from './produced-records.js';
import type { RestoreOptions } from './restore.js';
import type { S3Store } from './s3.js';
import type { Segment } from './segment-reader.js';
import type { StateDiff, TopicState } from './state.js';
import { scanBackup } from './verify.js';

/**
 * Produces a restore's diff: a tombstone for every key to delete, then, reading the segments' local copies
 * that pre-flight verified, the backup's latest record for every key to create or change. Every key occurs
 * once in the diff and one producer sends in order, so a crash at any point still converges on re-run.
 */
export async function produceDiff(
  opts: RestoreOptions,
  store: S3Store,
  manifest: BackupManifest,
  target: string,
  diff: StateDiff,
  wanted: TopicState,
  localCopy: (segment: Segment) => string,
  /** Where to note every record sent, for the final check's reader (when one follows the target). */
  produced?: ProducedRecords,
): Promise<number> {
  const progress: Progress = {
    records: 0,
    bytes: 0,
    total: diff.create.length + diff.change.length + diff.delete.length,
  };
  const queue = await ProduceQueue.open(opts.kafka, target, {
    batchSize: opts.batchSize ?? 500,
    onSent: (messages: Message[]) => {
      progress.records += messages.length;
      for (const m of messages) progress.bytes += (m.value as Buffer | null)?.length ?? 0;
      opts.onProgress?.({ ...progress });
    },
  });
  try {
    const send = (message: {
      key: Buffer;
      value: Buffer | null;
      headers?: Record<string, Buffer | Buffer[]>;
      partition?: number;
    }) => {
      // push sets the message's partition.
      const pending = queue.push(message);
      produced?.add(message.partition!, message.key, message.value);
      return pending;
    };
    for (const k of diff.delete) await send({ key: Buffer.from(k, 'latin1'), value: null });
    // Where each key's latest record is (partition, offset) is known from pre-flight: only those are produced.
    const winners: Array<Set<number> | undefined> = [];
    for (const list of [diff.create, diff.change])
      for (const k of list) {
        const e = wanted.entries.get(k)!;
        winners[e.partition] ??= new Set<number>();
        winners[e.partition]!.add(e.offset);
      }
    if (diff.create.length + diff.change.length > 0)
      await scanBackup(store, manifest, {
        signal: opts.signal,
        // Pre-flight verified these very bytes (the copies it kept) and their state; checksums are checked again.
        verifyState: false,
        from: localCopy,
        onRecord: (partition, r) => {
          if (winners[partition]?.has(r.offset) !== true) return;
          return send(
            r.headers.length === 0
              ? { key: r.key!, value: r.value }
              : { key: r.key!, value: r.value, headers: groupHeaders(r.headers) },
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
