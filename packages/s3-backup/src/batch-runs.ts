// A fetched batch as runs of encoded records for the segment writer, the state updated in the same pass.
import type { IHeaders, KafkaMessage } from 'kafkajs';
import { RecordEncoder } from './record-codec.js';
import { encodeRecord } from './record-line.js';
import type { RunBuffers } from './run-buffers.js';
import type { TopicState } from './state.js';

export interface Run {
  data: string | Buffer;
  count: number;
  first: string;
  last: string;
}

/**
 * Format 2: a batch's records as binary runs of about `flushAt` bytes. With `buffers`, each run's data is a
 * buffer from that pool, for the caller to release once it is done with it.
 */
export function* binaryBatch(
  partition: number,
  messages: KafkaMessage[],
  flushAt: number,
  state: TopicState | undefined,
  buffers?: RunBuffers,
): Generator<Run> {
  const enc = new RecordEncoder(buffers);
  let first = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    const offset = Number(m.offset);
    const timestamp = Number(m.timestamp);
    enc.add(offset, timestamp, m.key, m.value, headersOf(m.headers));
    state?.apply(m.key, m.value, partition, offset, timestamp);
    if (enc.length >= flushAt || i === messages.length - 1) {
      yield { data: enc.take(), count: i + 1 - first, first: messages[first]!.offset, last: m.offset };
      first = i + 1;
    }
  }
}

/** Format 1: a batch's records as NDJSON runs of about `flushAt` characters. */
export function* ndjsonBatch(
  partition: number,
  messages: KafkaMessage[],
  flushAt: number,
  state: TopicState | undefined,
): Generator<Run> {
  let lines = '';
  let first = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    state?.apply(m.key, m.value, partition, Number(m.offset), Number(m.timestamp));
    lines += encodeRecord({
      partition,
      offset: m.offset,
      timestamp: m.timestamp,
      key: m.key,
      value: m.value,
      headers: headersOf(m.headers),
    });
    if (lines.length >= flushAt || i === messages.length - 1) {
      yield { data: lines, count: i + 1 - first, first: messages[first]!.offset, last: m.offset };
      lines = '';
      first = i + 1;
    }
  }
}

const NO_HEADERS: Array<[string, Buffer]> = [];

function headersOf(headers: IHeaders | undefined): Array<[string, Buffer]> {
  if (headers === undefined) return NO_HEADERS;
  const out: Array<[string, Buffer]> = [];
  for (const [name, v] of Object.entries(headers))
    for (const x of Array.isArray(v) ? v : [v]) if (x !== undefined) out.push([name, Buffer.from(x)]);
  return out;
}
