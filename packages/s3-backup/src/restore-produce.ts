import type { BackupManifest } from '@labeldocs/schemas';
import type { Message } from 'kafkajs';
import type { Progress } from './backup.js';
import { BackupSegmentCorruptError } from './errors.js';
import { ProduceLanes } from './produce-lanes.js';
import { lineDigest, lineKey, lineToRecord } from './record-line.js';
import type { RestoreOptions } from './restore.js';
import type { S3Store } from './s3.js';
import type { StateDiff, TopicState } from './state.js';
import { scanBackup } from './verify.js';

/**
 * Produces a restore's diff: a tombstone for every key to delete, then, streaming the segments again, the
 * backup's latest record for every key to create or change. Every key occurs once in the diff, and one key's
 * records always travel in the same lane (its partition's), so a crash at any point still converges on re-run.
 */
export async function produceDiff(
  opts: RestoreOptions,
  store: S3Store,
  manifest: BackupManifest,
  target: string,
  diff: StateDiff,
  wanted: TopicState,
): Promise<number> {
  const progress: Progress = {
    records: 0,
    bytes: 0,
    total: diff.create.length + diff.change.length + diff.delete.length,
  };
  const lanes = await ProduceLanes.open(opts.kafka, target, {
    maxLanes: opts.maxInFlight ?? 4,
    batchSize: opts.batchSize ?? 1000,
    onSent: (messages: Message[]) => {
      progress.records += messages.length;
      for (const m of messages) progress.bytes += (m.value as Buffer | null)?.length ?? 0;
      opts.onProgress?.({ ...progress });
    },
  });
  try {
    for (const k of diff.delete) await lanes.push({ key: Buffer.from(k, 'latin1'), value: null });
    // The record to produce for each key is the backup's latest, whose place is known from the pre-flight
    // pass: the second pass looks only at those offsets and parses no other line.
    const winners = new Map<number, Map<number, string>>();
    for (const k of [diff.create, diff.change].flat()) {
      const e = wanted.entries.get(k)!;
      const keys = winners.get(e.partition) ?? new Map<number, string>();
      winners.set(e.partition, keys.set(e.offset, k));
    }
    if (winners.size > 0)
      await scanBackup(store, manifest, {
        signal: opts.signal,
        // The pre-flight pass verified the state; this pass still checks every segment's checksum and count.
        verifyState: false,
        wantOffset: (partition, offset) => winners.get(partition)?.has(offset) === true,
        onRecord: (line) => {
          const k = winners.get(line.p)?.get(Number(line.o));
          if (k === undefined) return;
          // A segment's checksum is known only once all of it was read, after its records were produced: each
          // record must be the very one pre-flight verified (key and value digest), or the object changed since.
          if (lineKey(line) !== k || lineDigest(line) !== wanted.entries.get(k)!.digest)
            throw new BackupSegmentCorruptError(
              `backup ${manifest.backupId} of ${manifest.topic} changed since it was verified: the record at partition ${line.p} offset ${line.o} differs`,
            );
          const r = lineToRecord(line);
          return lanes.push(
            r.headers.length === 0
              ? { key: r.key, value: r.value }
              : { key: r.key, value: r.value, headers: groupHeaders(r.headers) },
          );
        },
      });
    await lanes.flush();
    return progress.records;
  } finally {
    await lanes.close();
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
