import { type BackupManifest, backupManifestSchema } from '@labeldocs/schemas';
import {
  BackupAbortedError,
  BackupError,
  BackupManifestInvalidError,
  BackupManifestMissingError,
} from './errors.js';
import { manifestKey, verificationKey } from './object-keys.js';
import type { SegmentRecord } from './record-codec.js';
import { getText, openStore, putJson, type S3Location, type S3Store } from './s3.js';
import { readSegment, type Segment } from './segment-reader.js';
import { TopicState } from './state.js';

/** Reads and validates a backup's manifest; a missing one means the backup does not exist or is incomplete. */
export async function loadManifest(store: S3Store, topic: string, backupId: string): Promise<BackupManifest> {
  const key = manifestKey(topic, backupId, store.prefix);
  const text = await getText(store, key);
  if (text === undefined)
    throw new BackupManifestMissingError(`manifest s3://${store.bucket}/${key} is missing`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new BackupManifestInvalidError(`manifest s3://${store.bucket}/${key} is not JSON`, {
      cause: error,
    });
  }
  const result = backupManifestSchema.safeParse(parsed);
  if (!result.success) {
    const first = result.error.issues[0];
    throw new BackupManifestInvalidError(
      `manifest s3://${store.bucket}/${key} is invalid: ${first?.path.join('.')}: ${first?.message}`,
    );
  }
  const m = result.data;
  const bad = (why: string) => new BackupManifestInvalidError(`manifest s3://${store.bucket}/${key} ${why}`);
  if (m.topic !== topic || m.backupId !== backupId) throw bad(`describes ${m.topic}/${m.backupId}`);
  const segmentRecords = m.segments.reduce((n, s) => n + s.records, 0);
  const partitionRecords = m.partitions.reduce((n, p) => n + p.records, 0);
  if (segmentRecords !== m.totalRecords || partitionRecords !== m.totalRecords)
    throw bad(
      `counts disagree: segments ${segmentRecords}, partitions ${partitionRecords}, total ${m.totalRecords}`,
    );
  return m;
}

export interface ScanOptions {
  signal?: AbortSignal | undefined;
  /** Called with every record of every segment, in segment order. */
  onRecord?: (partition: number, record: SegmentRecord) => void | Promise<void>;
  /** Recompute the state hash and compare it with the manifest's. Default true; checksums are always checked. */
  verifyState?: boolean;
  /** Keep a copy of each segment's stored bytes in this file (restore's pre-flight). */
  spoolTo?: (segment: Segment) => string;
  /** Read each segment from the local copy at this path instead of S3 (restore's produce pass). */
  from?: (segment: Segment) => string;
}

/**
 * Downloads every segment, checks each checksum and count, decodes every record and recomputes the state
 * hash. Returns the state (latest record per key) or throws the first problem, naming the object.
 */
export async function scanBackup(
  store: S3Store,
  manifest: BackupManifest,
  opts: ScanOptions = {},
): Promise<TopicState> {
  const verifyState = opts.verifyState ?? true;
  const state = new TopicState();
  for (const segment of manifest.segments) {
    if (opts.signal?.aborted) throw new BackupAbortedError(`scan of ${manifest.backupId} was aborted`);
    const p = segment.partition;
    await readSegment(
      store,
      manifest.formatVersion,
      segment,
      (r) => {
        if (verifyState) state.apply(r.key, r.value, p, r.offset, r.timestamp);
        return opts.onRecord?.(p, r);
      },
      { signal: opts.signal, spoolTo: opts.spoolTo?.(segment), from: opts.from?.(segment) },
    );
  }
  if (!verifyState) return state;
  const hash = state.hash();
  if (hash !== manifest.stateHash || state.liveKeys !== manifest.stateKeys)
    throw new BackupManifestInvalidError(
      `backup ${manifest.topic}/${manifest.backupId}: segments give state ${hash} (${state.liveKeys} keys), manifest says ${manifest.stateHash} (${manifest.stateKeys} keys)`,
    );
  return state;
}

/** The outcome of a deep verification, also stored as `verification.json` next to the manifest. */
export interface VerificationResult {
  ok: boolean;
  verifiedAt: string;
  backupId: string;
  topic: string;
  records: number;
  stateKeys: number;
  /** Set when `ok` is false: the error code and message naming the object. */
  error?: { code: string; message: string };
}

export interface VerifyOptions {
  s3: S3Location;
  topic: string;
  backupId: string;
  signal?: AbortSignal;
}

/** Deep verification of one backup; records the result in the bucket and returns it (never throws on corruption). */
export async function verifyBackup(opts: VerifyOptions): Promise<VerificationResult> {
  const store = openStore(opts.s3);
  const base = { verifiedAt: '', backupId: opts.backupId, topic: opts.topic, records: 0, stateKeys: 0 };
  let result: VerificationResult;
  try {
    const manifest = await loadManifest(store, opts.topic, opts.backupId);
    const state = await scanBackup(store, manifest, { signal: opts.signal });
    result = {
      ...base,
      ok: true,
      records: manifest.totalRecords,
      stateKeys: state.liveKeys,
      verifiedAt: new Date().toISOString(),
    };
  } catch (error) {
    if (!(error instanceof BackupError) || error.retryable) {
      store.client.destroy();
      throw error;
    }
    result = {
      ...base,
      ok: false,
      verifiedAt: new Date().toISOString(),
      error: { code: error.code, message: error.message },
    };
  }
  try {
    if (result.ok || result.error?.code !== 'BACKUP_MANIFEST_MISSING')
      await putJson(store, verificationKey(opts.topic, opts.backupId, store.prefix), result);
  } finally {
    store.client.destroy();
  }
  return result;
}
