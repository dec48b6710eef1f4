import { createHash, randomBytes } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createTestBucket, testEnv, testS3Client } from '@labeldocs/testkit';
import { describe, expect, it } from 'vitest';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe.each(['primary', 'replica'] as const)('S3 %s endpoint', (which) => {
  it('round-trips a small object and a 12 MiB multipart upload with matching SHA-256, lists and deletes', async () => {
    const bucket = await createTestBucket(which);
    const client = testS3Client(which);
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'small.txt', Body: 'hello' }));
    const small = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'small.txt' }));
    expect(await small.Body!.transformToString()).toBe('hello');

    const big = randomBytes(12 * 1024 * 1024);
    const upload = new Upload({
      client,
      params: { Bucket: bucket, Key: 'big.bin', Body: big },
      partSize: 5 * 1024 * 1024,
    });
    await upload.done();
    const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: 'big.bin' }));
    const bytes = await got.Body!.transformToByteArray();
    expect(bytes.length).toBe(big.length);
    expect(sha256(bytes)).toBe(sha256(big));

    const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect((listed.Contents ?? []).map((o) => o.Key).sort()).toEqual(['big.bin', 'small.txt']);
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'small.txt' }));
    const after = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect((after.Contents ?? []).map((o) => o.Key)).toEqual(['big.bin']);
    client.destroy();
  });

  it("refuses the other account's credentials", async () => {
    const bucket = await createTestBucket(which);
    const self = testEnv().s3[which];
    const other = testEnv().s3[which === 'primary' ? 'replica' : 'primary'];
    const wrong = new S3Client({
      endpoint: self.endpoint,
      region: self.region,
      credentials: { accessKeyId: other.accessKeyId, secretAccessKey: other.secretAccessKey },
      forcePathStyle: true,
    });
    await expect(wrong.send(new ListObjectsV2Command({ Bucket: bucket }))).rejects.toThrow();
    wrong.destroy();
  });
});
