import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import type { BackupManifest } from '@labeldocs/schemas';
import { BackupSegmentCorruptError, BackupSegmentMissingError } from './errors.js';
import { type Line, parseLine } from './record-line.js';
import { getStream, isNotFound, type S3Store, storageError } from './s3.js';

export type Segment = BackupManifest['segments'][number];

/**
 * Streams one segment, checking everything the manifest says about it: stored bytes, SHA-256, record count,
 * partition and offset order of every line. Throws an error naming the object on the first disagreement.
 * `onRecord` may return a promise; reading waits for it (that is the backpressure for restores).
 */
export async function readSegment(
  store: S3Store,
  segment: Segment,
  onRecord: (line: Line) => void | Promise<void>,
  signal?: AbortSignal,
  /** When given, only lines whose offset it accepts are parsed and passed on; the rest are only counted. */
  wantOffset?: (offset: number) => boolean,
): Promise<void> {
  const where = `s3://${store.bucket}/${segment.key}`;
  let body: Awaited<ReturnType<typeof getStream>>['body'];
  try {
    ({ body } = await getStream(store, segment.key));
  } catch (error) {
    if (isNotFound(error))
      throw new BackupSegmentMissingError(`segment ${where} is missing`, { cause: error });
    throw storageError(error, where);
  }
  const hash = createHash('sha256');
  let bytes = 0;
  let records = 0;
  let previous = -1n;
  const first = BigInt(segment.firstOffset);
  const last = BigInt(segment.lastOffset);
  const corrupt = (why: string, cause?: unknown) =>
    new BackupSegmentCorruptError(`segment ${where} is corrupt: ${why}`, { cause });
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      bytes += chunk.length;
      cb(null, chunk);
    },
  });
  const onLine = (line: string) => {
    if (wantOffset !== undefined) {
      const offset = offsetOf(line);
      if (offset !== undefined && !wantOffset(offset)) {
        records++;
        return;
      }
    }
    let record: Line;
    try {
      record = parseLine(line);
    } catch (error) {
      throw corrupt(`line ${records + 1} does not decode: ${(error as Error).message}`, error);
    }
    const offset = BigInt(record.o);
    if (record.p !== segment.partition) throw corrupt(`line ${records + 1} is from partition ${record.p}`);
    if (offset <= previous || offset < first || offset > last)
      throw corrupt(`line ${records + 1} has offset ${offset} outside ${first}..${last} or out of order`);
    previous = offset;
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
      // Big output chunks: every chunk is one threadpool round trip and one callback on the main thread.
      createGunzip({ chunkSize: 256 * 1024 }),
      async (source: AsyncIterable<Buffer>) => {
        const decoder = new StringDecoder('utf8');
        let rest = '';
        for await (const chunk of source) {
          const lines = (rest + decoder.write(chunk)).split('\n');
          rest = lines.pop() ?? '';
          for (const line of lines) {
            const pending = onLine(line);
            if (pending instanceof Promise) await pending;
          }
        }
        if ((rest + decoder.end()).length > 0) throw corrupt('the last line is not terminated');
      },
      { ...(signal === undefined ? {} : { signal }) },
    );
  } catch (error) {
    if (error instanceof CallbackFailed) throw error.error;
    if (error instanceof BackupSegmentCorruptError) throw error;
    if ((error as { code?: string }).code?.startsWith('Z_'))
      throw corrupt(`gzip: ${(error as Error).message}`, error);
    throw storageError(error, where);
  }
  const sha = hash.digest('hex');
  if (bytes !== segment.bytes) throw corrupt(`${bytes} bytes stored, manifest says ${segment.bytes}`);
  if (sha !== segment.sha256) throw corrupt(`SHA-256 ${sha} differs from the manifest's ${segment.sha256}`);
  if (records !== segment.records) throw corrupt(`${records} records, manifest says ${segment.records}`);
}

/** Carries an error of the caller's `onRecord` through the pipeline, to be rethrown unchanged. */
class CallbackFailed extends Error {
  constructor(readonly error: unknown) {
    super('onRecord failed', { cause: error });
  }
}

/**
 * The offset of a line as the writer lays it out (`{"p":0,"o":"41",...`), read without parsing the line;
 * undefined when the line does not start that way (it is then parsed in full).
 */
function offsetOf(line: string): number | undefined {
  if (!line.startsWith('{"p":')) return undefined;
  const at = line.indexOf(',"o":"', 5);
  if (at < 0 || at > 16) return undefined;
  const end = line.indexOf('"', at + 6);
  const offset = Number(line.slice(at + 6, end));
  return end > at + 6 && Number.isSafeInteger(offset) ? offset : undefined;
}
