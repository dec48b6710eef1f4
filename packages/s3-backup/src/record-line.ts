import { isUtf8 } from 'node:buffer';

/**
 * One Kafka record as one NDJSON line. Bytes that are valid UTF-8 are stored as text (readable with zcat),
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

interface Line {
  p: number;
  o: string;
  t: string;
  k: string | null;
  ke?: Enc;
  v: string | null;
  ve?: Enc;
  h?: Array<[string, string]>;
}

const text = (b: Buffer): [string, Enc] =>
  isUtf8(b) ? [b.toString('utf8'), 'utf8'] : [b.toString('base64'), 'base64'];

export function encodeRecord(r: BackupRecord): string {
  const line: Line = { p: r.partition, o: r.offset, t: r.timestamp, k: null, v: null };
  if (r.key !== null) {
    const [k, ke] = text(r.key);
    line.k = k;
    if (ke === 'base64') line.ke = ke;
  }
  if (r.value !== null) {
    const [v, ve] = text(r.value);
    line.v = v;
    if (ve === 'base64') line.ve = ve;
  }
  // Header values are always base64: they are short and often binary (trace ids).
  if (r.headers.length > 0) line.h = r.headers.map(([n, v]) => [n, v.toString('base64')]);
  return `${JSON.stringify(line)}\n`;
}

/** Decodes one line, throwing a message that says what is wrong (the caller adds the object's name). */
export function decodeRecord(raw: string): BackupRecord {
  const line = JSON.parse(raw) as Line;
  if (typeof line !== 'object' || line === null) throw new Error('line is not an object');
  if (!Number.isInteger(line.p) || line.p < 0)
    throw new Error('p (partition) must be a non-negative integer');
  if (typeof line.o !== 'string' || !/^\d+$/.test(line.o))
    throw new Error('o (offset) must be a digit string');
  if (typeof line.t !== 'string') throw new Error('t (timestamp) must be a string');
  const bytes = (s: string | null | undefined, enc: Enc | undefined, field: string): Buffer | null => {
    if (s === null || s === undefined) return null;
    if (typeof s !== 'string') throw new Error(`${field} must be a string or null`);
    return Buffer.from(s, enc === 'base64' ? 'base64' : 'utf8');
  };
  const headers = (line.h ?? []).map(([n, v]): [string, Buffer] => {
    if (typeof n !== 'string' || typeof v !== 'string')
      throw new Error('h (headers) must be [name, base64] pairs');
    return [n, Buffer.from(v, 'base64')];
  });
  return {
    partition: line.p,
    offset: line.o,
    timestamp: line.t,
    key: bytes(line.k, line.ke, 'k (key)'),
    value: bytes(line.v, line.ve, 'v (value)'),
    headers,
  };
}
