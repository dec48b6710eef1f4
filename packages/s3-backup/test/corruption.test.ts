import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { backupTopic, manifestKey, restoreBackup, verifyBackup } from '@labeldocs/s3-backup';
import { createTestTopic, testS3Client } from '@labeldocs/testkit';
import { describe, expect, it } from 'vitest';
import { compact, endOffsetSum, history, kafka, produce, testLocation } from './helpers.js';

/** A backed-up topic that was changed afterwards, so a restore would have to produce. */
async function backedUp() {
  const topic = await createTestTopic('bk-bad', compact);
  const s3 = await testLocation('primary');
  await produce(topic, history(50, 200));
  const manifest = await backupTopic({ kafka, topic, s3, segmentBytes: 8192 });
  await produce(topic, [{ key: 'extra_Key', value: 'x' }]);
  const client = testS3Client('primary');
  return { topic, s3, manifest, client, before: await endOffsetSum(topic) };
}

describe('a damaged backup fails the restore before anything is produced', () => {
  it('one flipped byte in a segment object names the segment', async () => {
    const { topic, s3, manifest, client, before } = await backedUp();
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
    const { topic, s3, manifest, client, before } = await backedUp();
    const segment = manifest.segments[1]!;
    await client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: segment.key }));
    const restore = restoreBackup({ kafka, topic, backupId: manifest.backupId, s3 });
    await expect(restore).rejects.toMatchObject({ code: 'BACKUP_SEGMENT_MISSING' });
    await expect(restore).rejects.toThrow(segment.key);
    expect(await endOffsetSum(topic)).toBe(before);
  });

  it('a missing manifest names the manifest', async () => {
    const { topic, s3, manifest, client, before } = await backedUp();
    const key = manifestKey(topic, manifest.backupId);
    await client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: key }));
    const restore = restoreBackup({ kafka, topic, backupId: manifest.backupId, s3 });
    await expect(restore).rejects.toMatchObject({ code: 'BACKUP_MANIFEST_MISSING' });
    await expect(restore).rejects.toThrow(key);
    expect(await endOffsetSum(topic)).toBe(before);
  });
});
