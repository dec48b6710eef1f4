import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { type Readable, Transform } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { createGunzip, createZstdDecompress } from 'node:zlib';
import type { BackupManifest } from '@labeldocs/schemas';
import { BackupSegmentCorruptError, BackupSegmentMissingError } from './errors.js';
import { RecordDecoder, type SegmentRecord } from './record-codec.js';
import { decodeLines } from './record-line.js';
import { getStream, isNotFound, type S3Store, storageError } from './s3.js';

export type Segment = BackupManifest['segments'][number];

export interface ReadSegmentOptions {
  signal?: AbortSignal | undefined;
  /** Write a copy of the stored bytes to this file while reading (restore keeps it for its produce pass). */
  spoolTo?: string | undefined;
  /** Read the stored bytes from this local copy (written with `spoolTo`) instead of from S3. */
  from?: string | undefined;
}

/**
 * Streams one segment of a backup in format `formatVersion`, checking everything the manifest says about it:
 * stored bytes, SHA-256, record count, offset order and range of every record. Throws an error naming the
 * object on the first disagreement. `onRecord` may return a promise; reading waits for it (backpressure).
 */
export async function readSegment(
  store: S3Store,
  formatVersion: number,
  segment: Segment,
  onRecord: (record: SegmentRecord) => void | Promise<void>,
  opts: ReadSegmentOptions = {},
): Promise<void> {
  const where = `s3://${store.bucket}/${segment.key}`;
  const body = opts.from === undefined ? await download(store, segment, where) : localCopy(opts.from);
  const corrupt = (why: string, cause?: unknown) =>
    new BackupSegmentCorruptError(`segment ${where} is corrupt: ${why}`, { cause });
  const hash = createHash('sha256');
  let bytes = 0;
  let records = 0;
  let previous = -1;
  const first = Number(segment.firstOffset);
  const last = Number(segment.lastOffset);
  const spool = opts.spoolTo === undefined ? undefined : createWriteStream(opts.spoolTo);
  const tap: Transform = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      bytes += chunk.length;
      if (spool === undefined || spool.write(chunk)) cb(null, chunk);
      else spool.once('drain', () => cb(null, chunk));
    },
  });
  // A local disk failure fails the read; after the read failed (and destroyed it) there is nothing to report.
  spool?.on('error', (error) => tap.destroy(error));
  const onOne = (record: SegmentRecord) => {
    if (record.offset <= previous || record.offset < first || record.offset > last)
      throw corrupt(
        `record ${records + 1} has offset ${record.offset} outside ${first}..${last} or out of order`,
      );
    previous = record.offset;
    records++;
    // The caller's failure (e.g. restore's produce to Kafka) passes through as it is, not as an S3 error.
    try {
      const pending = onRecord(record);
      return pending instanceof Promise
        ? pending.catch((error: unknown) => {
            throw new CallbackFailed(error);
          })
        : pending;
    } catch (error) {
      throw new CallbackFailed(error);
    }
  };
  try {
    await pipeline(
      body,
      tap,
      decompressor(segment, corrupt),
      async (source: AsyncIterable<Buffer>) => {
        const decode = formatVersion === 1 ? decodeLines(segment.partition) : binary();
        try {
          for await (const chunk of source)
            for (const record of decode.push(chunk)) {
              const pending = onOne(record);
              if (pending instanceof Promise) await pending;
            }
          decode.end();
        } catch (error) {
          if (error instanceof CallbackFailed || error instanceof BackupSegmentCorruptError) throw error;
          throw corrupt(`record ${records + 1} does not decode: ${(error as Error).message}`, error);
        }
      },
      { ...(opts.signal === undefined ? {} : { signal: opts.signal }) },
    );
    if (spool !== undefined) {
      spool.end();
      await finished(spool);
    }
  } catch (error) {
    spool?.destroy();
    if (error instanceof CallbackFailed) throw error.error;
    if (error instanceof BackupSegmentCorruptError) throw error;
    if ((error as { code?: string }).code?.startsWith('Z_'))
      throw corrupt(`${segment.compression}: ${(error as Error).message}`, error);
    throw storageError(error, where);
  }
  const sha = hash.digest('hex');
  if (bytes !== segment.bytes) throw corrupt(`${bytes} bytes stored, manifest says ${segment.bytes}`);
  if (sha !== segment.sha256) throw corrupt(`SHA-256 ${sha} differs from the manifest's ${segment.sha256}`);
  if (records !== segment.records) throw corrupt(`${records} records, manifest says ${segment.records}`);
}

async function download(store: S3Store, segment: Segment, where: string): Promise<Readable> {
  try {
    return (await getStream(store, segment.key)).body;
  } catch (error) {
    if (isNotFound(error))
      throw new BackupSegmentMissingError(`segment ${where} is missing`, { cause: error });
    throw storageError(error, where);
  }
}

const localCopy = (path: string) => createReadStream(path, { highWaterMark: 1024 * 1024 });

function decompressor(segment: Segment, corrupt: (why: string) => Error): Transform {
  // Big output chunks: every chunk is one threadpool round trip and one callback on the main thread.
  const chunkSize = 256 * 1024;
  if (segment.compression === 'zstd') return createZstdDecompress({ chunkSize });
  if (segment.compression === 'gzip') return createGunzip({ chunkSize });
  if (segment.compression === 'none') return new Transform({ transform: (c, _e, cb) => cb(null, c) });
  throw corrupt(`unknown compression ${String(segment.compression)}`);
}

const binary = () => new RecordDecoder();

/** Carries an error of the caller's `onRecord` through the pipeline, to be rethrown unchanged. */
class CallbackFailed extends Error {
  constructor(readonly error: unknown) {
    super('onRecord failed', { cause: error });
  }
}
