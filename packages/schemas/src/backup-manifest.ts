import { z } from 'zod';
import { instantSchema, maxKeys, maxKeysMessage, nonEmptyText, shortText } from './primitives.js';

/**
 * The segment format backups are written in: 2 = length-prefixed binary records, zstd-compressed; 1 = gzip
 * NDJSON lines (still read). docs/backup.md describes both.
 */
export const BACKUP_FORMAT_VERSION = 2;
/** Every format a restore can still read. */
export const BACKUP_FORMAT_VERSIONS = [1, 2] as const;

const offset = z
  .string()
  .max(20, 'must be at most 20 digits')
  .regex(/^\d+$/, 'must be a non-negative integer offset as a string');
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lower-case hex SHA-256');

/**
 * A backup's manifest, written last: a backup without one is incomplete by definition and ignored.
 * Offsets are strings because Kafka offsets are 64-bit.
 */
export const backupManifestSchema = z.object({
  formatVersion: z.union([z.literal(1), z.literal(2)]),
  backupId: nonEmptyText(200),
  topic: nonEmptyText(249),
  topicConfig: z.record(nonEmptyText(200), shortText(10_000)).refine(maxKeys(500), maxKeysMessage(500)),
  sourceClusterId: nonEmptyText(200),
  createdAt: instantSchema,
  createdBy: nonEmptyText(200),
  partitions: z
    .array(
      z.object({
        partition: z.number().int().min(0),
        /** First offset read (the log start at capture time). */
        startOffset: offset,
        /** End offset captured before reading: everything below it is in the backup. */
        endOffset: offset,
        records: z.number().int().min(0),
      }),
    )
    .max(10_000, 'must list at most 10000 partitions'),
  segments: z
    .array(
      z.object({
        key: nonEmptyText(1024),
        partition: z.number().int().min(0),
        firstOffset: offset,
        lastOffset: offset,
        records: z.number().int().min(0),
        bytes: z.number().int().min(0),
        sha256,
        /** Format 1 writes `gzip`, format 2 `zstd`; `none` is readable in both. */
        compression: z.enum(['gzip', 'zstd', 'none']),
      }),
    )
    .max(1_000_000, 'must list at most 1000000 segments'),
  totalRecords: z.number().int().min(0),
  /** SHA-256 over the latest record per key (tombstoned keys excluded), sorted by key: what a restore must reproduce. */
  stateHash: sha256,
  stateKeys: z.number().int().min(0),
});
export type BackupManifest = z.infer<typeof backupManifestSchema>;
