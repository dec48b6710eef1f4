import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { BackupInvalidOptionsError, BackupStorageUnavailableError } from './errors.js';

/** Where backups live: one S3 endpoint (account/region) and bucket. */
export interface S3Location {
  /** e.g. `http://127.0.0.1:19000`; omit for AWS's default endpoint. */
  endpoint?: string;
  /** Default `us-east-1`. */
  region?: string;
  accessKeyId: string;
  secretAccessKey: string;
  bucket: string;
  /** Key prefix under which backups live. Default `backups`. */
  prefix?: string;
  /** Path-style URLs (needed by S3Proxy and MinIO). Default true when `endpoint` is set. */
  forcePathStyle?: boolean;
}

/** A connected location: the client plus the bucket and prefix it addresses. */
export interface S3Store {
  client: S3Client;
  bucket: string;
  prefix: string;
  /** A label for logs and status records, e.g. `http://127.0.0.1:19001/labeldocs-backups-replica`. */
  label: string;
}

export function openStore(location: S3Location, field = 's3'): S3Store {
  for (const name of ['bucket', 'accessKeyId', 'secretAccessKey'] as const) {
    if (typeof location[name] !== 'string' || location[name] === '')
      throw new BackupInvalidOptionsError(`${field}.${name} is required`);
  }
  const client = new S3Client({
    ...(location.endpoint === undefined ? {} : { endpoint: location.endpoint }),
    region: location.region ?? 'us-east-1',
    credentials: { accessKeyId: location.accessKeyId, secretAccessKey: location.secretAccessKey },
    forcePathStyle: location.forcePathStyle ?? location.endpoint !== undefined,
    // S3Proxy implements none of the flexible checksums; we keep our own SHA-256 per object.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    client,
    bucket: location.bucket,
    prefix: location.prefix ?? 'backups',
    label: `${location.endpoint ?? 's3'}/${location.bucket}`,
  };
}

export const isNotFound = (error: unknown): boolean =>
  error instanceof S3ServiceException &&
  (error.name === 'NoSuchKey' || error.name === 'NotFound' || error.$metadata.httpStatusCode === 404);

/** Wraps S3 failures that are not "not found" as retryable storage errors naming the object. */
export function storageError(error: unknown, what: string): Error {
  if (error instanceof Error && 'code' in error && 'retryable' in error) return error;
  // A missing bucket, bad credentials or a denied request will not heal by retrying: it is configuration.
  const status = error instanceof S3ServiceException ? (error.$metadata.httpStatusCode ?? 0) : 0;
  if (status >= 400 && status < 500 && status !== 408 && status !== 429)
    return new BackupInvalidOptionsError(
      `S3 rejected the request for ${what} (check s3.bucket and credentials): ${String(error)}`,
      {
        cause: error,
      },
    );
  return new BackupStorageUnavailableError(`S3 request for ${what} failed: ${String(error)}`, {
    cause: error,
  });
}

export async function getStream(store: S3Store, key: string): Promise<{ body: Readable; length: number }> {
  const out = await store.client.send(new GetObjectCommand({ Bucket: store.bucket, Key: key }));
  return { body: out.Body as Readable, length: out.ContentLength ?? 0 };
}

export async function getText(store: S3Store, key: string): Promise<string | undefined> {
  try {
    const out = await store.client.send(new GetObjectCommand({ Bucket: store.bucket, Key: key }));
    return await out.Body!.transformToString('utf8');
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw storageError(error, `s3://${store.bucket}/${key}`);
  }
}

export async function putJson(store: S3Store, key: string, value: unknown): Promise<void> {
  try {
    await store.client.send(
      new PutObjectCommand({
        Bucket: store.bucket,
        Key: key,
        Body: `${JSON.stringify(value, null, 2)}\n`,
        ContentType: 'application/json',
      }),
    );
  } catch (error) {
    throw storageError(error, `s3://${store.bucket}/${key}`);
  }
}

/** Deletes one object; one request each because S3Proxy rejects DeleteObjects' checksum header. */
export async function deleteObject(store: S3Store, key: string): Promise<void> {
  await store.client.send(new DeleteObjectCommand({ Bucket: store.bucket, Key: key }));
}

/** Every key under `prefix` (all pages), or the common prefixes when `delimiter` is given. */
export async function listKeys(store: S3Store, prefix: string, delimiter?: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  try {
    do {
      const page = await store.client.send(
        new ListObjectsV2Command({
          Bucket: store.bucket,
          Prefix: prefix,
          ...(delimiter === undefined ? {} : { Delimiter: delimiter }),
          ...(token === undefined ? {} : { ContinuationToken: token }),
        }),
      );
      // S3Proxy's filesystem backend lists its directories as keys ending in "/"; they are not objects.
      if (delimiter === undefined) {
        for (const o of page.Contents ?? []) if (!o.Key!.endsWith('/')) keys.push(o.Key!);
      } else {
        for (const p of page.CommonPrefixes ?? []) keys.push(p.Prefix!);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  } catch (error) {
    throw storageError(error, `s3://${store.bucket}/${prefix}`);
  }
  return keys;
}
