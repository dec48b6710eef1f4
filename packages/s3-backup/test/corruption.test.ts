import { gunzipSync, gzipSync } from 'node:zlib';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { backupTopic, manifestKey, restoreBackup, verifyBackup } from '@labeldocs/s3-backup';
import { createTestTopic, testS3Client } from '@labeldocs/testkit';
import { describe, expect, it } from 'vitest';
import { compact, endOffsetSum, history, kafka, produce, stateOf, testLocation } from './helpers.js';

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

  it('a segment changed after pre-flight verified it: no record of the changed line is produced', async () => {
    const { topic, s3, manifest, client } = await backedUp();
    const target = await createTestTopic('bk-bad-dst', compact);
    // A record every key of which is the backup's latest (so the restore into an empty target produces it),
    // with other produced records after it in the same segment (so it would be sent before the segment ends).
    const lines: Array<{ segment: string; line: Record<string, unknown> }> = [];
    for (const segment of manifest.segments.filter((s) => s.partition === manifest.segments[0]!.partition)) {
      const got = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: segment.key }));
      const text = gunzipSync(Buffer.from(await got.Body!.transformToByteArray())).toString('utf8');
      for (const raw of text.split('\n').filter((l) => l.length > 0))
        lines.push({ segment: segment.key, line: JSON.parse(raw) });
    }
    const latest = new Map<unknown, number>();
    for (const [i, { line }] of lines.entries()) latest.set(line.k, i);
    const winners = lines.filter(({ line }, i) => latest.get(line.k) === i && typeof line.v === 'string');
    const lastSegment = winners[winners.length - 1]!.segment;
    const inLast = winners.filter((w) => w.segment === lastSegment);
    expect(inLast.length).toBeGreaterThan(4);
    const victim = inLast[0]!.line;
    victim.v = JSON.stringify({ tampered: true });
    victim.ve = undefined;

    const restore = restoreBackup({
      kafka,
      topic,
      targetTopic: target,
      backupId: manifest.backupId,
      s3,
      batchSize: 1,
      onPhase: async (phase) => {
        if (phase !== 'verified') return;
        const body = lines
          .filter((l) => l.segment === lastSegment)
          .map((l) => `${JSON.stringify(l.line)}\n`)
          .join('');
        await client.send(
          new PutObjectCommand({ Bucket: s3.bucket, Key: lastSegment, Body: gzipSync(body) }),
        );
      },
    });
    await expect(restore).rejects.toMatchObject({ code: 'BACKUP_SEGMENT_CORRUPT' });
    const restored = await stateOf(target);
    expect([...restored.values()].filter((v) => v.includes('tampered'))).toEqual([]);
  });
});
