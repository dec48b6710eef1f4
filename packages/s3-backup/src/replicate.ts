import { createHash } from 'node:crypto';
import { Upload } from '@aws-sdk/lib-storage';
import { BackupError, BackupReplicaMismatchError } from './errors.js';
import { manifestKey, replicationKey } from './object-keys.js';
import {
  getStream,
  isNotFound,
  openStore,
  putJson,
  type S3Location,
  type S3Store,
  storageError,
} from './s3.js';
import { loadManifest } from './verify.js';

/** The replica's status for one backup, stored as `replication.json` next to the primary's manifest. */
export interface ReplicationStatus {
  status: 'replicated' | 'failed';
  backupId: string;
  topic: string;
  /** Endpoint and bucket of the replica. */
  replica: string;
  at: string;
  segments: number;
  bytes: number;
  error?: { code: string; message: string };
}

export interface ReplicateOptions {
  /** Where the backup is (the primary). */
  source: S3Location;
  /** The second account/region. */
  replica: S3Location;
  topic: string;
  backupId: string;
  signal?: AbortSignal;
}

/** SHA-256 and size of a stored object, or undefined when it does not exist. */
export async function hashObject(
  store: S3Store,
  key: string,
): Promise<{ sha256: string; bytes: number } | undefined> {
  try {
    const { body } = await getStream(store, key);
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of body as AsyncIterable<Buffer>) {
      hash.update(chunk);
      bytes += chunk.length;
    }
    return { sha256: hash.digest('hex'), bytes };
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw storageError(error, `s3://${store.bucket}/${key}`);
  }
}

/**
 * Copies a completed backup to the replica location: each segment streamed across (skipped when the replica
 * already holds an identical copy, so a re-run resumes), read back and checked against the manifest's size and
 * SHA-256, then the manifest last, then a status record on the primary. Stands in for S3 cross-region replication.
 */
export async function replicateBackup(opts: ReplicateOptions): Promise<ReplicationStatus> {
  const source = openStore(opts.source, 'source');
  const replica = openStore(opts.replica, 'replica');
  const base = { backupId: opts.backupId, topic: opts.topic, replica: replica.label, segments: 0, bytes: 0 };
  try {
    const manifest = await loadManifest(source, opts.topic, opts.backupId);
    try {
      for (const segment of manifest.segments) {
        const there = await hashObject(replica, segment.key);
        if (there?.sha256 !== segment.sha256 || there.bytes !== segment.bytes) {
          await copyObject(source, replica, segment.key, 'application/x-ndjson');
          const copied = await hashObject(replica, segment.key);
          if (copied?.sha256 !== segment.sha256 || copied.bytes !== segment.bytes)
            throw new BackupReplicaMismatchError(
              `replica copy s3://${replica.bucket}/${segment.key} has ${copied?.bytes ?? 'no'} bytes / SHA-256 ${copied?.sha256 ?? '-'}, expected ${segment.bytes} / ${segment.sha256}`,
            );
        }
        base.segments++;
        base.bytes += segment.bytes;
      }
      await putJson(replica, manifestKey(opts.topic, opts.backupId, replica.prefix), manifest);
      const status: ReplicationStatus = { ...base, status: 'replicated', at: new Date().toISOString() };
      await putJson(source, replicationKey(opts.topic, opts.backupId, source.prefix), status);
      return status;
    } catch (error) {
      const failed: ReplicationStatus = {
        ...base,
        status: 'failed',
        at: new Date().toISOString(),
        error: {
          code: error instanceof BackupError ? error.code : 'UNKNOWN',
          message: error instanceof Error ? error.message : String(error),
        },
      };
      await putJson(source, replicationKey(opts.topic, opts.backupId, source.prefix), failed).catch(
        () => undefined,
      );
      throw error;
    }
  } finally {
    source.client.destroy();
    replica.client.destroy();
  }
}

async function copyObject(from: S3Store, to: S3Store, key: string, contentType: string): Promise<void> {
  try {
    const { body } = await getStream(from, key);
    const upload = new Upload({
      client: to.client,
      params: { Bucket: to.bucket, Key: key, Body: body, ContentType: contentType },
      partSize: 8 * 1024 * 1024,
      queueSize: 2,
      leavePartsOnError: false,
    });
    await upload.done();
  } catch (error) {
    throw storageError(error, `copy of ${key} from ${from.label} to ${to.label}`);
  }
}
