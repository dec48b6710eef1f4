/**
 * Segment format 2: one partition's records as length-prefixed binary, in offset order (docs/backup.md,
 * "Segment format 2"). Big-endian throughout:
 *
 *   record := u32 length of the rest ‖ u64 offset ‖ i64 timestamp ‖ i32 key length (-1 = null) ‖ key
 *             ‖ i32 value length (-1 = null, a tombstone) ‖ value ‖ u32 header count
 *             ‖ (u32 name length ‖ UTF-8 name ‖ u32 value length ‖ value) per header
 *
 * Encoding is a few copies per record and decoding hands out views of the decompressed chunk: no text,
 * escaping or base64 on either side, which NDJSON (format 1) paid for on every record.
 */

import { RUN_BUFFER_BYTES, type RunBuffers } from './run-buffers.js';

/** One record as a segment holds it (its partition is the segment's). */
export interface SegmentRecord {
  offset: number;
  timestamp: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: Array<[string, Buffer]>;
}

const NO_HEADERS: Array<[string, Buffer]> = [];
const TWO_32 = 2 ** 32;
const FIXED = 4 + 8 + 8 + 4 + 4 + 4;

/**
 * Appends records to buffers; {@link take} hands out what was written so far. With `buffers`, the buffers come
 * from that pool: a taken run's memory (`run.buffer`, its own ArrayBuffer) goes back there once its user is
 * done with it.
 */
export class RecordEncoder {
  // Allocated on the first add after a take, so taking the last run costs nothing.
  #buf: Buffer = Buffer.alloc(0);
  #at = 0;

  constructor(readonly buffers?: RunBuffers) {}

  /** Bytes written and not yet taken. */
  get length(): number {
    return this.#at;
  }

  add(
    offset: number,
    timestamp: number,
    key: Buffer | null,
    value: Buffer | null,
    headers: Array<[string, Buffer]>,
  ): void {
    let size = FIXED + (key?.length ?? 0) + (value?.length ?? 0);
    for (const [name, v] of headers) size += 8 + Buffer.byteLength(name) + v.length;
    if (this.#at + size > this.#buf.length) this.#grow(size);
    const b = this.#buf;
    let at = b.writeUInt32BE(size - 4, this.#at);
    // Offsets and timestamps are exact JavaScript numbers (below 2^53), written as 64-bit integers.
    at = b.writeUInt32BE(Math.floor(offset / TWO_32), at);
    at = b.writeUInt32BE(offset >>> 0, at);
    const hi = Math.floor(timestamp / TWO_32);
    at = b.writeInt32BE(hi, at);
    at = b.writeUInt32BE(timestamp - hi * TWO_32, at);
    at = bytes(b, key, at);
    at = bytes(b, value, at);
    at = b.writeUInt32BE(headers.length, at);
    for (const [name, v] of headers) {
      const n = b.write(name, at + 4, 'utf8');
      at = b.writeUInt32BE(n, at) + n;
      at = b.writeUInt32BE(v.length, at);
      at += v.copy(b, at);
    }
    this.#at = at;
  }

  /** The bytes written since the last take (a buffer the encoder no longer touches). */
  take(): Buffer {
    const out = this.#buf.subarray(0, this.#at);
    this.#buf = Buffer.alloc(0);
    this.#at = 0;
    return out;
  }

  #grow(size: number): void {
    const old = this.#buf;
    const want = Math.max(RUN_BUFFER_BYTES, 2 * this.#at, this.#at + size);
    this.#buf = this.buffers?.acquire(want) ?? Buffer.allocUnsafe(want);
    old.copy(this.#buf, 0, 0, this.#at);
    // Nothing was taken from the old buffer since it was filled, so it is free again.
    if (old.length > 0) this.buffers?.release(old.buffer as ArrayBuffer);
  }
}

function bytes(b: Buffer, v: Buffer | null, at: number): number {
  if (v === null) return b.writeInt32BE(-1, at);
  at = b.writeInt32BE(v.length, at);
  return at + v.copy(b, at);
}

/**
 * Splits a stream of decompressed chunks into records. Keys, values and headers are views of the chunk (no
 * copy). Throws a message saying what is wrong (the caller names the object).
 */
export class RecordDecoder {
  #rest: Buffer | undefined;

  /** Decodes every complete record in `chunk` (after what was left of the previous one), in order. */
  *push(chunk: Buffer): Generator<SegmentRecord> {
    let b = chunk;
    if (this.#rest !== undefined) {
      // Only the record that straddles the two chunks is copied, not the whole chunk.
      const rest = this.#rest;
      const head = rest.length >= 4 ? rest : Buffer.concat([rest, chunk.subarray(0, 4 - rest.length)]);
      if (head.length < 4) {
        this.#rest = head;
        return;
      }
      const need = 4 + head.readUInt32BE(0) - rest.length;
      if (need > chunk.length) {
        this.#rest = Buffer.concat([rest, chunk]);
        return;
      }
      this.#rest = undefined;
      yield* this.push(Buffer.concat([rest, chunk.subarray(0, need)]));
      if (this.#rest !== undefined) throw new Error('a record does not fit its length');
      b = chunk.subarray(need);
    }
    let at = 0;
    while (b.length - at >= 4) {
      const end = at + 4 + b.readUInt32BE(at);
      if (end - at < FIXED) throw new Error(`a record at byte ${at} of a chunk claims ${end - at} bytes`);
      if (end > b.length) break;
      yield decodeOne(b, at + 4, end);
      at = end;
    }
    // A copy, so the big chunk it came from is not kept alive by a few bytes.
    if (at < b.length) this.#rest = Buffer.from(b.subarray(at));
  }

  /** Throws when the stream ended inside a record. */
  end(): void {
    if (this.#rest !== undefined)
      throw new Error(`the stream ends inside a record (${this.#rest.length} bytes)`);
  }
}

function decodeOne(b: Buffer, at: number, end: number): SegmentRecord {
  const offset = b.readUInt32BE(at) * TWO_32 + b.readUInt32BE(at + 4);
  const timestamp = b.readInt32BE(at + 8) * TWO_32 + b.readUInt32BE(at + 12);
  at += 16;
  const key = slice(b, at, end, 'key');
  at += 4 + (key?.length ?? 0);
  const value = slice(b, at, end, 'value');
  at += 4 + (value?.length ?? 0);
  if (at + 4 > end) throw new Error(`record at offset ${offset}: header count past its end`);
  const count = b.readUInt32BE(at);
  at += 4;
  let headers = NO_HEADERS;
  if (count > 0) {
    headers = [];
    for (let i = 0; i < count; i++) {
      const nameLen = at + 4 <= end ? b.readUInt32BE(at) : end;
      if (at + 4 + nameLen + 4 > end) throw new Error(`record at offset ${offset}: header ${i} past its end`);
      const name = b.toString('utf8', at + 4, at + 4 + nameLen);
      at += 4 + nameLen;
      const len = b.readUInt32BE(at);
      if (at + 4 + len > end) throw new Error(`record at offset ${offset}: header ${i} past its end`);
      headers.push([name, b.subarray(at + 4, at + 4 + len)]);
      at += 4 + len;
    }
  }
  if (at !== end) throw new Error(`record at offset ${offset}: ${end - at} bytes left over`);
  if (!Number.isSafeInteger(offset)) throw new Error(`offset ${offset} is not a safe integer`);
  return { offset, timestamp, key, value, headers };
}

function slice(b: Buffer, at: number, end: number, what: string): Buffer | null {
  if (at + 4 > end) throw new Error(`${what} length past the record's end`);
  const len = b.readInt32BE(at);
  if (len === -1) return null;
  if (len < -1 || at + 4 + len > end) throw new Error(`${what} length ${len} does not fit the record`);
  return b.subarray(at + 4, at + 4 + len);
}
