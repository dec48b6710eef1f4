import { isUtf8 } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import type { SegmentRecord } from './record-codec.js';

/**
 * Segment format 1 (still read; written only when asked for): one Kafka record as one NDJSON line. Bytes that are valid UTF-8 are stored as text (readable with zcat),
 * anything else as base64; `keyEnc`/`valueEnc` say which. A tombstone has `"value": null`.
 */
export interface BackupRecord {
  partition: number;
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Array<[string, Buffer]>;
}

type Enc = 'utf8' | 'base64';

/** A parsed and type-checked line, before its key and value become Buffers (see {@link lineToRecord}). */
export interface Line {
  p: number;
  o: string;
  t: string;
  k: string | null;
  ke?: Enc;
  v: string | null;
  ve?: Enc;
  h?: Array<[string, string]>;
}

// JSON.stringify of a string is V8's fast path; building the line by hand skips an object per record and the
// generic object serializer, and writes exactly what JSON.stringify(line) would (same fields, same order).
const field = (name: 'k' | 'v', b: Buffer | null): string => {
  if (b === null) return `"${name}":null`;
  return isUtf8(b)
    ? `"${name}":${JSON.stringify(b.toString('utf8'))}`
    : `"${name}":"${b.toString('base64')}","${name}e":"base64"`;
};

export function encodeRecord(r: BackupRecord): string {
  // Header values are always base64: they are short and often binary (trace ids).
  const h =
    r.headers.length === 0
      ? ''
      : `,"h":${JSON.stringify(r.headers.map(([n, v]) => [n, v.toString('base64')]))}`;
  return `{"p":${r.partition},"o":${JSON.stringify(r.offset)},"t":${JSON.stringify(r.timestamp)},${field('k', r.key)},${field('v', r.value)}${h}}\n`;
}

const isEnc = (e: unknown) => e === undefined || e === 'utf8' || e === 'base64';

/** Parses and type-checks one line, throwing a message that says what is wrong (the caller adds the object). */
export function parseLine(raw: string): Line {
  const line = JSON.parse(raw) as Line;
  if (typeof line !== 'object' || line === null) throw new Error('line is not an object');
  if (!Number.isInteger(line.p) || line.p < 0)
    throw new Error('p (partition) must be a non-negative integer');
  if (typeof line.o !== 'string' || !/^\d+$/.test(line.o))
    throw new Error('o (offset) must be a digit string');
  if (typeof line.t !== 'string') throw new Error('t (timestamp) must be a string');
  for (const [s, enc, field] of [
    [line.k, line.ke, 'k (key)'],
    [line.v, line.ve, 'v (value)'],
  ] as const) {
    if (s !== null && s !== undefined && typeof s !== 'string')
      throw new Error(`${field} must be a string or null`);
    if (!isEnc(enc)) throw new Error(`${field[0]}e must be "utf8" or "base64"`);
  }
  if (line.h !== undefined) {
    if (!Array.isArray(line.h)) throw new Error('h (headers) must be [name, base64] pairs');
    for (const pair of line.h)
      if (!Array.isArray(pair) || typeof pair[0] !== 'string' || typeof pair[1] !== 'string')
        throw new Error('h (headers) must be [name, base64] pairs');
  }
  return line;
}

const bytes = (s: string | null | undefined, enc: Enc | undefined): Buffer | null =>
  s === null || s === undefined ? null : Buffer.from(s, enc === 'base64' ? 'base64' : 'utf8');

export function lineToRecord(line: Line): BackupRecord {
  return {
    partition: line.p,
    offset: line.o,
    timestamp: line.t,
    key: bytes(line.k, line.ke),
    value: bytes(line.v, line.ve),
    headers: (line.h ?? []).map(([n, v]): [string, Buffer] => [n, Buffer.from(v, 'base64')]),
  };
}

/** Decodes one line, throwing a message that says what is wrong (the caller adds the object's name). */
export function decodeRecord(raw: string): BackupRecord {
  return lineToRecord(parseLine(raw));
}

/** Splits format 1's decompressed chunks into lines and decodes them, like RecordDecoder does for format 2. */
export function decodeLines(partition: number): {
  push(chunk: Buffer): Iterable<SegmentRecord>;
  end(): void;
} {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  return {
    *push(chunk) {
      const lines = (rest + decoder.write(chunk)).split('\n');
      rest = lines.pop() ?? '';
      for (const raw of lines) {
        const line = parseLine(raw);
        if (line.p !== partition) throw new Error(`the line is from partition ${line.p}`);
        const r = lineToRecord(line);
        yield {
          offset: Number(r.offset),
          timestamp: Number(r.timestamp),
          key: r.key,
          value: r.value,
          headers: r.headers,
        };
      }
    },
    end() {
      if ((rest + decoder.end()).length > 0) throw new Error('the last line is not terminated');
    },
  };
}
