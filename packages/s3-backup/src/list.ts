import { type BackupManifest, backupManifestSchema } from '@labeldocs/schemas';
import { manifestKey, replicationKey, verificationKey } from './object-keys.js';
import type { ReplicationStatus } from './replicate.js';
import { getText, listKeys, openStore, type S3Location, type S3Store } from './s3.js';
import type { VerificationResult } from './verify.js';

/** One backup as `list` shows it. */
export interface BackupListing {
  backupId: string;
  topic: string;
  /** `incomplete`: no (valid) manifest, i.e. running, crashed or being pruned. */
  status: 'complete' | 'incomplete';
  createdAt?: string;
  totalRecords?: number;
  stateKeys?: number;
  /** Stored bytes over all segments. */
  bytes?: number;
  verification?: VerificationResult;
  replication?: ReplicationStatus;
}

const json = async <T>(store: S3Store, key: string): Promise<T | undefined> => {
  const text = await getText(store, key);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
};

export async function listBackupsIn(store: S3Store, topic: string): Promise<BackupListing[]> {
  const folders = await listKeys(store, `${store.prefix}/${topic}/`, '/');
  const ids = folders
    .map((f) => f.slice(`${store.prefix}/${topic}/`.length).replace(/\/$/, ''))
    .filter(Boolean);
  const listings = await Promise.all(
    ids.map(async (backupId): Promise<BackupListing> => {
      const [raw, verification, replication] = await Promise.all([
        json<unknown>(store, manifestKey(topic, backupId, store.prefix)),
        json<VerificationResult>(store, verificationKey(topic, backupId, store.prefix)),
        json<ReplicationStatus>(store, replicationKey(topic, backupId, store.prefix)),
      ]);
      const parsed = backupManifestSchema.safeParse(raw);
      const m: BackupManifest | undefined = parsed.success ? parsed.data : undefined;
      return {
        backupId,
        topic,
        status: m === undefined ? 'incomplete' : 'complete',
        ...(m === undefined
          ? {}
          : {
              createdAt: m.createdAt,
              totalRecords: m.totalRecords,
              stateKeys: m.stateKeys,
              bytes: m.segments.reduce((n, s) => n + s.bytes, 0),
            }),
        ...(verification === undefined ? {} : { verification }),
        ...(replication === undefined ? {} : { replication }),
      };
    }),
  );
  // Ids start with their creation time, so a reverse string sort is newest first.
  return listings.sort((a, b) => (a.backupId < b.backupId ? 1 : a.backupId > b.backupId ? -1 : 0));
}

/** Every backup of `topic` at one location, newest first, with verification and replication status. */
export async function listBackups(opts: { s3: S3Location; topic: string }): Promise<BackupListing[]> {
  const store = openStore(opts.s3);
  try {
    return await listBackupsIn(store, opts.topic);
  } finally {
    store.client.destroy();
  }
}

/** Every topic with at least one backup folder at one location (for sweeps that must not miss ad-hoc backups). */
export async function listBackedUpTopics(opts: { s3: S3Location }): Promise<string[]> {
  const store = openStore(opts.s3);
  try {
    const folders = await listKeys(store, `${store.prefix}/`, '/');
    return folders.map((f) => f.slice(`${store.prefix}/`.length).replace(/\/$/, '')).filter(Boolean);
  } finally {
    store.client.destroy();
  }
}
