import { BackupInvalidOptionsError } from './errors.js';
import { type BackupListing, listBackupsIn } from './list.js';
import { backupPrefix, manifestKey } from './object-keys.js';
import { deleteObject, listKeys, openStore, type S3Location, storageError } from './s3.js';

export interface RetentionPolicy {
  /** Always keep this many newest complete backups. */
  keepLast: number;
  /** Also keep the newest complete backup of each UTC day for this many days. */
  keepDailyDays: number;
  /** Incomplete backups (no manifest) older than this are removed; younger ones may still be running. Default 24 h. */
  incompleteGraceMs?: number;
}

export interface PruneOptions {
  s3: S3Location;
  topic: string;
  policy: RetentionPolicy;
  /** Report what would be deleted without deleting. */
  dryRun?: boolean;
  now?: Date;
}

/** Parses the creation time out of a {@link newBackupId} id (`20260125T104500123Z-3f9a`). */
export function backupIdTime(backupId: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z/.exec(backupId);
  return m === null ? undefined : new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.${m[7]}Z`);
}

/** Which backups a policy keeps; pure, so it is tested for every input. Listings must be newest first. */
export function selectForDeletion(listings: BackupListing[], policy: RetentionPolicy, now: Date): string[] {
  const keep = new Set<string>();
  const complete = listings.filter((l) => l.status === 'complete');
  for (const l of complete.slice(0, policy.keepLast)) keep.add(l.backupId);
  const since = now.getTime() - policy.keepDailyDays * 86_400_000;
  const days = new Set<string>();
  for (const l of complete) {
    const at = new Date(l.createdAt ?? 0);
    if (at.getTime() < since) continue;
    const day = at.toISOString().slice(0, 10);
    if (!days.has(day)) {
      days.add(day);
      keep.add(l.backupId);
    }
  }
  const newestVerified = complete.find((l) => l.verification?.ok === true);
  if (newestVerified !== undefined) keep.add(newestVerified.backupId);
  const grace = policy.incompleteGraceMs ?? 86_400_000;
  return listings
    .filter((l) => {
      if (keep.has(l.backupId)) return false;
      if (l.status === 'complete') return true;
      const at = backupIdTime(l.backupId);
      return at !== undefined && now.getTime() - at.getTime() > grace;
    })
    .map((l) => l.backupId);
}

/** Applies a retention policy at one location; returns the deleted (or, for dryRun, deletable) backup ids. */
export async function pruneBackups(opts: PruneOptions): Promise<{ deleted: string[]; kept: string[] }> {
  const { keepLast, keepDailyDays } = opts.policy;
  if (!Number.isInteger(keepLast) || keepLast < 1)
    throw new BackupInvalidOptionsError('policy.keepLast must be an integer >= 1');
  if (!Number.isInteger(keepDailyDays) || keepDailyDays < 0)
    throw new BackupInvalidOptionsError('policy.keepDailyDays must be an integer >= 0');
  const store = openStore(opts.s3);
  try {
    const listings = await listBackupsIn(store, opts.topic);
    const doomed = selectForDeletion(listings, opts.policy, opts.now ?? new Date());
    if (!opts.dryRun) {
      for (const backupId of doomed) {
        try {
          // Manifest first: a prune that stops midway leaves an incomplete backup, never a corrupt one.
          await deleteObject(store, manifestKey(opts.topic, backupId, store.prefix));
          for (const key of await listKeys(store, `${backupPrefix(opts.topic, backupId, store.prefix)}/`))
            await deleteObject(store, key);
        } catch (error) {
          throw storageError(error, `deleting backup ${opts.topic}/${backupId}`);
        }
      }
    }
    const gone = new Set(doomed);
    return { deleted: doomed, kept: listings.map((l) => l.backupId).filter((id) => !gone.has(id)) };
  } finally {
    store.client.destroy();
  }
}
