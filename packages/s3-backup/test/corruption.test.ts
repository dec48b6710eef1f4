import { zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import {
  backupTopic,
  manifestKey,
  RecordDecoder,
  RecordEncoder,
  restoreBackup,
  verifyBackup,
} from '@labeldocs/s3-backup';
import { createTestTopic, testS3Client } from '@labeldocs/testkit';
import { describe, expect, it } from 'vitest';
import { compact, endOffsetSum, history, kafka, produce, stateOf, testLocation } from './helpers.js';

/** A backed-up topic that was changed afterwards, so a restore would have to produce. */
async function backedUp(formatVersion: 1 | 2 = 2) {
  const topic = await createTestTopic('bk-bad', compact);
  const s3 = await testLocation('primary');
  await produce(topic, history(50, 200));
  const manifest = await backupTopic({ kafka, topic, s3, segmentBytes: 8192, formatVersion });
  await produce(topic, [{ key: 'extra_Key', value: 'x' }]);
  const client = testS3Client('primary');
  return { topic, s3, manifest, client, before: await endOffsetSum(topic) };
}

// Format 1 (gzip NDJSON) backups written before format 2 must fail the same way.
describe.each([2, 1] as const)(
  'a damaged backup (format %i) fails the restore before anything is produced',
  (format) => {
    it('one flipped byte in a segment object names the segment', async () => {
      const { topic, s3, manifest, client, before } = await backedUp(format);
      expect(manifest.formatVersion).toBe(format);
      const segment = manifest.segments[manifest.segments.length - 1]!;
      const got = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: segment.key }));
      const bytes = Buffer.from(await got.Body!.transformToByteArray());
      bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
      await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: segment.key, Body: bytes }));

      const restore = restoreBackup({ kafka, topic, backupId: manifest.backupId, s3 });
      await expect(restore).rejects.toMatchObject({ code: 'BACKUP_SEGMENT_CORRUPT' });
      await expect(restore).rejects.toThrow(segment.key);
      expect(await endOffsetSum(topic)).toBe(before);
      const verified = await verifyBackup({ s3, topic, backupId: manifest.backupId });
      expect(verified).toMatchObject({ ok: false, error: { code: 'BACKUP_SEGMENT_CORRUPT' } });
      expect(verified.error?.message).toContain(segment.key);
    });

    it('a missing segment names the segment', async () => {
      const { topic, s3, manifest, client, before } = await backedUp(format);
      const segment = manifest.segments[1]!;
      await client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: segment.key }));
      const restore = restoreBackup({ kafka, topic, backupId: manifest.backupId, s3 });
      await expect(restore).rejects.toMatchObject({ code: 'BACKUP_SEGMENT_MISSING' });
      await expect(restore).rejects.toThrow(segment.key);
      expect(await endOffsetSum(topic)).toBe(before);
    });

    it('a missing manifest names the manifest', async () => {
      const { topic, s3, manifest, client, before } = await backedUp(format);
      const key = manifestKey(topic, manifest.backupId);
      await client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: key }));
      const restore = restoreBackup({ kafka, topic, backupId: manifest.backupId, s3 });
      await expect(restore).rejects.toMatchObject({ code: 'BACKUP_MANIFEST_MISSING' });
      await expect(restore).rejects.toThrow(key);
      expect(await endOffsetSum(topic)).toBe(before);
    });
  },
);

describe('a restore', () => {
  it('a segment changed in S3 after pre-flight verified it: the restore produces the bytes it verified', async () => {
    const { topic, s3, manifest, client } = await backedUp();
    const target = await createTestTopic('bk-bad-dst', compact);
    const expected = await stateOf(topic);
    expected.delete('extra_Key');
    // Every value of the last segment is replaced by one the backup never had, once pre-flight is done.
    const segment = manifest.segments[manifest.segments.length - 1]!;
    const got = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: segment.key }));
    const dec = new RecordDecoder();
    const enc = new RecordEncoder();
    for (const r of dec.push(zstdDecompressSync(Buffer.from(await got.Body!.transformToByteArray()))))
      enc.add(r.offset, r.timestamp, r.key, r.value && Buffer.from('{"tampered":true}'), r.headers);
    const tampered = zstdCompressSync(enc.take());

    const result = await restoreBackup({
      kafka,
      topic,
      targetTopic: target,
      backupId: manifest.backupId,
      s3,
      batchSize: 1,
      onPhase: async (phase) => {
        if (phase === 'verified')
          await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: segment.key, Body: tampered }));
      },
    });
    expect(result.stateHash).toBe(manifest.stateHash);
    const restored = await stateOf(target);
    expect([...restored.values()].filter((v) => v.includes('tampered'))).toEqual([]);
    expect(restored).toEqual(expected);
    // The object in S3 is damaged now, and the next restore says so before producing anything.
    const again = restoreBackup({ kafka, topic, targetTopic: target, backupId: manifest.backupId, s3 });
    await expect(again).rejects.toMatchObject({ code: 'BACKUP_SEGMENT_CORRUPT' });
  });
});
