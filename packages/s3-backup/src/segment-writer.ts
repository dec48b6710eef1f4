import { createHash } from 'node:crypto';
import { PassThrough, Transform } from 'node:stream';
import { constants, createGzip, createZstdCompress } from 'node:zlib';
import { Upload } from '@aws-sdk/lib-storage';
import type { S3Store } from './s3.js';
import { storageError } from './s3.js';

export interface WrittenSegment {
  key: string;
  partition: number;
  firstOffset: string;
  lastOffset: string;
  records: number;
  /** Stored (compressed) bytes. */
  bytes: number;
  /** SHA-256 of the stored bytes, so any flipped byte in the object is caught. */
  sha256: string;
  compression: 'gzip' | 'zstd';
}

/**
 * Streams encoded records (format 2's binary, or format 1's NDJSON lines) through zstd (or gzip) into one S3
 * object with a multipart upload. Writes wait for the compressor to drain, so at most a few parts are in
 * memory whatever the segment's size.
 */
export class SegmentWriter {
  readonly #compressor;
  readonly #hash = createHash('sha256');
  readonly #upload: Upload;
  readonly #uploaded: Promise<unknown>;
  #bytes = 0;
  #records = 0;
  #rawBytes = 0;
  #first: string | undefined;
  #last = '';

  constructor(
    readonly store: S3Store,
    readonly key: string,
    readonly partition: number,
    readonly compression: 'gzip' | 'zstd',
    level = 1,
  ) {
    this.#compressor =
      compression === 'zstd'
        ? createZstdCompress({
            chunkSize: 256 * 1024,
            params: { [constants.ZSTD_c_compressionLevel]: level },
          })
        : createGzip({ level, chunkSize: 256 * 1024 });
    const body = new PassThrough({ highWaterMark: 1024 * 1024 });
    const tap = new Transform({
      transform: (chunk: Buffer, _enc, cb) => {
        this.#hash.update(chunk);
        this.#bytes += chunk.length;
        cb(null, chunk);
      },
    });
    this.#compressor.pipe(tap).pipe(body);
    this.#upload = new Upload({
      client: store.client,
      params: {
        Bucket: store.bucket,
        Key: key,
        Body: body,
        ContentType: compression === 'zstd' ? 'application/octet-stream' : 'application/x-ndjson',
        ContentEncoding: 'identity',
      },
      partSize: 8 * 1024 * 1024,
      queueSize: 2,
      leavePartsOnError: false,
    });
    this.#uploaded = this.#upload.done();
    // Surfaced by finish(); without this an early failure would be an unhandled rejection.
    this.#uploaded.catch(() => undefined);
  }

  /** Uncompressed bytes written so far (for rolling segments). */
  get rawBytes(): number {
    return this.#rawBytes;
  }

  get records(): number {
    return this.#records;
  }

  /**
   * Writes a run of consecutive records at once: one compressor call per batch, not per record. Resolves once
   * the compressor has consumed the run, so its buffer may be reused (a run of 1 MiB always filled the
   * compressor's buffer, so this waited for 'drain' before, which comes at the same moment).
   */
  async write(
    lines: string | Buffer,
    records: number,
    firstOffset: string,
    lastOffset: string,
  ): Promise<void> {
    this.#first ??= firstOffset;
    this.#last = lastOffset;
    this.#records += records;
    this.#rawBytes += lines.length;
    const consumed = new Promise<void>((resolve, reject) =>
      this.#compressor.write(lines, (error) => (error ? reject(error) : resolve())),
    );
    // Surfaced through the race or by finish(); without this a late failure would be an unhandled rejection.
    consumed.catch(() => undefined);
    await Promise.race([consumed, this.#uploaded]);
  }

  async finish(): Promise<WrittenSegment> {
    this.#compressor.end();
    try {
      await this.#uploaded;
    } catch (error) {
      throw storageError(error, `s3://${this.store.bucket}/${this.key}`);
    }
    return {
      key: this.key,
      partition: this.partition,
      firstOffset: this.#first ?? '0',
      lastOffset: this.#last,
      records: this.#records,
      bytes: this.#bytes,
      sha256: this.#hash.digest('hex'),
      compression: this.compression,
    };
  }

  /** Abandons the upload (its parts are deleted); the manifest was never written, so nothing refers to it. */
  async abort(): Promise<void> {
    this.#compressor.destroy();
    await this.#upload.abort().catch(() => undefined);
  }
}
