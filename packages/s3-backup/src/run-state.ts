// Applying format 2 runs to a state straight from their bytes (the backup's state worker).
import type { TopicState } from './state.js';

const TWO_32 = 2 ** 32;

/**
 * Applies every record of a run (format 2, see record-codec.ts) straight from its bytes: the key as a latin1
 * string, the value as a view that is hashed only if the record becomes the key's latest. No record object,
 * key view or generator step per record as RecordDecoder hands out; the run was encoded by this process a
 * moment ago (the segment's own checks are the uploaded bytes' SHA-256 and a restore's decoding).
 */
export function applyRun(state: TopicState, partition: number, run: Buffer): void {
  let at = 0;
  while (at < run.length) {
    const end = at + 4 + run.readUInt32BE(at);
    const offset = run.readUInt32BE(at + 4) * TWO_32 + run.readUInt32BE(at + 8);
    const timestamp = run.readInt32BE(at + 12) * TWO_32 + run.readUInt32BE(at + 16);
    const keyLength = run.readInt32BE(at + 20);
    let v = at + 24 + Math.max(keyLength, 0);
    const valueLength = run.readInt32BE(v);
    v += 4;
    if (keyLength >= 0)
      state.applyKey(
        run.toString('latin1', at + 24, at + 24 + keyLength),
        valueLength < 0 ? null : run.subarray(v, v + valueLength),
        partition,
        offset,
        timestamp,
      );
    at = end;
  }
}
