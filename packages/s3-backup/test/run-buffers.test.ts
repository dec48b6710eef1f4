import { RecordDecoder, RecordEncoder, RunBuffers } from '@labeldocs/s3-backup';
import { describe, expect, it } from 'vitest';

const MiB = 1024 * 1024;

/** Fills the encoder with records of `size`-byte values tagged `tag` until about `bytes` were written. */
function fill(enc: RecordEncoder, tag: string, bytes: number, size = 4000): number {
  let offset = 0;
  while (enc.length < bytes) {
    enc.add(offset, 1, Buffer.from(`${tag}-${offset}`), Buffer.alloc(size, tag), []);
    offset++;
  }
  return offset;
}

const keysOf = (run: Buffer) => [...new RecordDecoder().push(run)].map((r) => r.key!.toString());

describe('RunBuffers with RecordEncoder', () => {
  it('never writes into a taken run before it is released, and fills a released one again', () => {
    const pool = new RunBuffers();
    const enc = new RecordEncoder(pool);
    fill(enc, 'a', MiB);
    const a = enc.take();
    const aBytes = Buffer.from(a);
    fill(enc, 'b', 1.5 * MiB);
    const b = enc.take();
    // Taken and not released: untouched by the second run, which got other memory.
    expect(a.equals(aBytes)).toBe(true);
    expect(b.buffer).not.toBe(a.buffer);
    pool.release(a.buffer as ArrayBuffer);
    expect(pool.free).toBe(1);
    fill(enc, 'c', MiB);
    const c = enc.take();
    expect(pool.free).toBe(0);
    expect(c.buffer).toBe(a.buffer);
    expect(keysOf(c).every((k) => k.startsWith('c-'))).toBe(true);
    expect(keysOf(b).every((k) => k.startsWith('b-'))).toBe(true);
  });

  it('returns the old buffer when a run outgrows it, and keeps oversized or detached buffers out', () => {
    const pool = new RunBuffers();
    const enc = new RecordEncoder(pool);
    // Far more than the pool's 2 MiB in one run: the encoder grows to 4 and then 8 MiB; the pooled buffer it
    // outgrew goes back, the 4 MiB one does not (not the pool's size).
    const n = fill(enc, 'd', 5 * MiB);
    expect(pool.free).toBe(1);
    const big = enc.take();
    expect(big.length).toBeGreaterThan(4 * MiB);
    expect(keysOf(big)).toEqual(Array.from({ length: n }, (_, i) => `d-${i}`));
    pool.release(big.buffer as ArrayBuffer);
    expect(pool.free).toBe(1); // not the pool's size: left to the garbage collector
    const moved = pool.acquire(10);
    structuredClone(moved.buffer, { transfer: [moved.buffer as ArrayBuffer] });
    pool.release(moved.buffer as ArrayBuffer);
    expect(pool.free).toBe(0); // detached: its byteLength is 0
  });
});
