import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { onTestFinished } from 'vitest';
import { testEnv } from './env.ts';
import { uniqueName } from './kafka.ts';

export function testS3Client(which: 'primary' | 'replica'): S3Client {
  const e = testEnv().s3[which];
  return new S3Client({
    endpoint: e.endpoint,
    region: e.region,
    credentials: { accessKeyId: e.accessKeyId, secretAccessKey: e.secretAccessKey },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** Creates a bucket for one test on one endpoint and empties and deletes it afterwards. */
export async function createTestBucket(which: 'primary' | 'replica'): Promise<string> {
  const bucket = uniqueName(`t-${which}`).slice(0, 63).toLowerCase();
  const client = testS3Client(which);
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  onTestFinished(async () => {
    const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
    // One DeleteObject each: the SDK signs DeleteObjects with x-amz-checksum-crc32, which S3Proxy does not implement.
    await Promise.all(
      (listed.Contents ?? []).map((o) =>
        client.send(new DeleteObjectCommand({ Bucket: bucket, Key: o.Key! })),
      ),
    );
    await client.send(new DeleteBucketCommand({ Bucket: bucket })).catch(() => undefined);
    client.destroy();
  });
  return bucket;
}
