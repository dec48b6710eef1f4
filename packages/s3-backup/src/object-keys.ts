/** Where a backup's objects live in a bucket: `<prefix>/<topic>/<backupId>/...`. */
export function backupPrefix(topic: string, backupId: string, prefix = 'backups'): string {
  if (topic.includes('/') || backupId.includes('/'))
    throw new Error('topic and backup id must not contain "/"');
  return `${prefix}/${topic}/${backupId}`;
}

export const manifestKey = (topic: string, backupId: string, prefix?: string) =>
  `${backupPrefix(topic, backupId, prefix)}/manifest.json`;

/** Segment objects sort by partition, then by first offset (zero-padded so names sort as numbers do). */
export const segmentKey = (
  topic: string,
  backupId: string,
  partition: number,
  firstOffset: bigint,
  prefix?: string,
  /** `.bin.zst` for format 2, `.ndjson.gz` for format 1. */
  extension = '.bin.zst',
) =>
  `${backupPrefix(topic, backupId, prefix)}/segments/p${String(partition).padStart(5, '0')}-${firstOffset
    .toString()
    .padStart(20, '0')}${extension}`;

/** The replica's status record, kept next to the primary's manifest. */
export const replicationKey = (topic: string, backupId: string, prefix?: string) =>
  `${backupPrefix(topic, backupId, prefix)}/replication.json`;

/** The latest deep verification's result, kept next to the manifest it checked. */
export const verificationKey = (topic: string, backupId: string, prefix?: string) =>
  `${backupPrefix(topic, backupId, prefix)}/verification.json`;

/**
 * A backup id that sorts by creation time (`20260125T104500123Z-3f9a`), so "newest first" is a string sort.
 */
export function newBackupId(now: Date = new Date(), random = Math.random()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', '');
  return `${stamp}-${Math.floor(random * 0xffff)
    .toString(16)
    .padStart(4, '0')}`;
}
