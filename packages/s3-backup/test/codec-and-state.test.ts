import { createHash } from 'node:crypto';
import {
  applyRun,
  decodeRecord,
  diffStates,
  encodeRecord,
  MismatchCounter,
  RecordDecoder,
  RecordEncoder,
  type SegmentRecord,
  TopicState,
} from '@labeldocs/s3-backup';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const bytes = fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a));
const record = fc.record({
  partition: fc.nat(100),
  offset: fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }).map(String),
  timestamp: fc.nat().map(String),
  key: fc.option(
    fc.oneof(
      bytes,
      fc.string().map((s) => Buffer.from(s)),
    ),
    { nil: null },
  ),
  value: fc.option(
    fc.oneof(
      bytes,
      fc.string().map((s) => Buffer.from(s)),
    ),
    { nil: null },
  ),
  headers: fc.array(fc.tuple(fc.string({ minLength: 1 }), bytes), { maxLength: 3 }),
});

describe('record lines', () => {
  it('round-trip every record, binary or text, tombstone or not, as exactly one line', () => {
    fc.assert(
      fc.property(record, (r) => {
        const line = encodeRecord(r);
        expect(line.indexOf('\n')).toBe(line.length - 1);
        expect(decodeRecord(line.slice(0, -1))).toEqual(r);
      }),
    );
  });

  it('name the field that is wrong', () => {
    expect(() => decodeRecord('{"p":0,"o":"x","t":"1","k":null,"v":null}')).toThrow(/o \(offset\)/);
    expect(() => decodeRecord('{"p":-1,"o":"1","t":"1","k":null,"v":null}')).toThrow(/p \(partition\)/);
    expect(() => decodeRecord('{"p":0,"o":"1","t":"1","k":3,"v":null}')).toThrow(/k \(key\)/);
    expect(() => decodeRecord('{"p":0,"o":"1","t":"1","k":"a","v":"b","ve":"hex"}')).toThrow(/ve must/);
  });
});

describe('binary records (format 2)', () => {
  const binaryRecord = fc.record({
    offset: fc.maxSafeNat(),
    timestamp: fc.integer({ min: -1, max: Number.MAX_SAFE_INTEGER }),
    key: fc.option(bytes, { nil: null }),
    value: fc.option(bytes, { nil: null }),
    headers: fc.array(fc.tuple(fc.string({ minLength: 1 }), bytes), { maxLength: 3 }),
  });

  it('round-trip every record byte for byte, however the stream is cut into chunks', () => {
    fc.assert(
      fc.property(
        fc.array(binaryRecord, { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (records, cuts) => {
          const enc = new RecordEncoder();
          for (const r of records) enc.add(r.offset, r.timestamp, r.key, r.value, r.headers);
          const stream = enc.take();
          const at = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
          const chunks = [0, ...at].map((from, i) => stream.subarray(from, at[i] ?? stream.length));
          const dec = new RecordDecoder();
          const out: SegmentRecord[] = [];
          for (const chunk of chunks) out.push(...dec.push(chunk));
          dec.end();
          const plain = (r: SegmentRecord) => ({
            ...r,
            key: r.key && Buffer.from(r.key),
            value: r.value && Buffer.from(r.value),
            headers: r.headers.map(([n, v]) => [n, Buffer.from(v)]),
          });
          expect(out.map(plain)).toEqual(records.map(plain));
        },
      ),
    );
  });

  it('refuse a stream that ends inside a record or a record whose lengths do not add up', () => {
    const enc = new RecordEncoder();
    enc.add(7, 1, Buffer.from('k'), Buffer.from('value'), [['h', Buffer.from('x')]]);
    const stream = enc.take();
    const cut = new RecordDecoder();
    expect([...cut.push(stream.subarray(0, stream.length - 1))]).toEqual([]);
    expect(() => cut.end()).toThrow(/ends inside a record/);
    const bad = Buffer.from(stream);
    bad.writeInt32BE(1000, 4 + 16 + 4 + 1); // the value's length
    expect(() => [...new RecordDecoder().push(bad)]).toThrow(/value length 1000/);
  });
});

type Op = { key: string; value: string | null };
function replayInto(state: TopicState, list: Op[]): void {
  for (const [i, op] of list.entries())
    state.apply(Buffer.from(op.key), op.value === null ? null : Buffer.from(op.value), 0, i, 0);
}

describe('topic state', () => {
  const ops = fc.array(
    fc.record({ key: fc.constantFrom('a', 'b', 'c', 'é'), value: fc.option(fc.string(), { nil: null }) }),
    { maxLength: 40 },
  );

  it('hashes the latest value per key, whatever the history that led there', () => {
    fc.assert(
      fc.property(ops, ops, (first, second) => {
        const replay = (list: typeof first) => {
          const s = new TopicState();
          replayInto(s, list);
          return s;
        };
        const final = (list: typeof first) => {
          const m = new Map<string, string | null>();
          for (const op of list) m.set(op.key, op.value);
          return JSON.stringify([...m].filter(([, v]) => v !== null).sort());
        };
        expect(replay(first).hash() === replay(second).hash()).toBe(final(first) === final(second));
        // The restore's final check compares states instead of hashing: it must agree with the hash.
        expect(replay(first).sameLiveState(replay(second))).toBe(final(first) === final(second));
      }),
    );
  });

  it('hashes exactly the documented bytes: sorted live keys, uint32be(len) ‖ key ‖ SHA-256(value)', () => {
    const reference = (m: Map<string, Buffer>) => {
      const h = createHash('sha256');
      const keys = [...m.keys()].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
      for (const k of keys) {
        const len = Buffer.alloc(4);
        len.writeUInt32BE(Buffer.byteLength(k));
        h.update(len)
          .update(k)
          .update(createHash('sha256').update(m.get(k)!).digest());
      }
      return h.digest('hex');
    };
    // Keys long enough to cross the hasher's 1 MiB buffer, and one longer than it.
    const key = fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.string({ minLength: 1, maxLength: 3 }).map((s) => s.repeat(100_000)),
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(key, fc.string()), { selector: ([k]) => k, maxLength: 30 }),
        (pairs) => {
          const state = new TopicState();
          const m = new Map<string, Buffer>();
          for (const [i, [k, v]] of pairs.entries()) {
            state.apply(Buffer.from(k), Buffer.from(v), 0, i, 0);
            m.set(k, Buffer.from(v));
          }
          expect(state.hash()).toBe(reference(m));
        },
      ),
      { numRuns: 50 },
    );
    const huge = 'k'.repeat(3 * 1024 * 1024);
    const state = new TopicState();
    state.apply(Buffer.from('a'), Buffer.from('1'), 0, 0, 0);
    state.apply(Buffer.from(huge), Buffer.from('2'), 0, 1, 0);
    state.apply(Buffer.from('z'), Buffer.from('3'), 0, 2, 0);
    expect(state.hash()).toBe(
      reference(
        new Map([
          ['a', Buffer.from('1')],
          [huge, Buffer.from('2')],
          ['z', Buffer.from('3')],
        ]),
      ),
    );
  });

  it('diffs into keys to create, change and delete, and applying the diff gives the target hash', () => {
    fc.assert(
      fc.property(ops, ops, (cur, tgt) => {
        const current = new TopicState();
        const target = new TopicState();
        replayInto(current, cur);
        replayInto(target, tgt);
        const diff = diffStates(current, target);
        for (const list of [diff.create, diff.change, diff.delete]) expect(list).toEqual([...list].sort());
        let offset = 1000;
        for (const k of diff.delete) current.apply(Buffer.from(k, 'latin1'), null, 0, offset++, 0);
        for (const k of [...diff.create, ...diff.change]) {
          const e = target.entries.get(k)!;
          // Re-apply the target's digest by replaying the same value: find it in the target history.
          const op = [...tgt].reverse().find((o) => Buffer.from(o.key).toString('latin1') === k)!;
          expect(e.digest).not.toBeNull();
          current.apply(Buffer.from(k, 'latin1'), Buffer.from(op.value!), 0, offset++, 0);
        }
        expect(current.hash()).toBe(target.hash());
      }),
    );
  });

  it('hashes again after a change, though it keeps the sorted keys of its last hash', () => {
    fc.assert(
      fc.property(ops, ops, (first, more) => {
        const kept = new TopicState();
        replayInto(kept, first);
        kept.hash();
        for (const [i, op] of more.entries())
          kept.apply(Buffer.from(op.key), op.value === null ? null : Buffer.from(op.value), 0, 1000 + i, 0);
        const fresh = new TopicState();
        replayInto(fresh, [...first, ...more]);
        expect(kept.hash()).toBe(fresh.hash());
        expect(kept.sortedLiveKeys()).toEqual(fresh.sortedLiveKeys());
      }),
    );
  });

  it('counts the keys that still differ while records are applied: zero exactly when the states are equal', () => {
    fc.assert(
      fc.property(ops, ops, ops, (cur, tgt, more) => {
        const current = new TopicState();
        const target = new TopicState();
        replayInto(current, cur);
        replayInto(target, tgt);
        const diff = diffStates(current, target);
        const counter = new MismatchCounter(
          current,
          target,
          diff.create.length + diff.change.length + diff.delete.length,
        );
        for (const [i, op] of more.entries())
          counter.apply(
            Buffer.from(op.key),
            op.value === null ? null : Buffer.from(op.value),
            0,
            1000 + i,
            0,
          );
        expect(counter.mismatched === 0).toBe(current.sameLiveState(target));
        const d = diffStates(current, target);
        expect(counter.mismatched).toBe(d.create.length + d.change.length + d.delete.length);
      }),
    );
  });
});

describe("the backup's state worker", () => {
  it('applies a run straight from its bytes to the same state as decoding every record', () => {
    const small = fc.option(
      fc.constantFrom('a', 'b', 'ü', '').map((s) => Buffer.from(s)),
      { nil: null },
    );
    const rec = fc.record({
      timestamp: fc.integer({ min: -1, max: Number.MAX_SAFE_INTEGER }),
      key: small,
      value: fc.option(bytes, { nil: null }),
      headers: fc.array(fc.tuple(fc.string({ minLength: 1 }), bytes), { maxLength: 2 }),
    });
    fc.assert(
      fc.property(fc.array(rec, { maxLength: 30 }), fc.nat(2 ** 40), (records, base) => {
        const enc = new RecordEncoder();
        for (const [i, r] of records.entries()) enc.add(base + i, r.timestamp, r.key, r.value, r.headers);
        const run = enc.take();
        const direct = new TopicState();
        applyRun(direct, 3, run);
        const decoded = new TopicState();
        const decoder = new RecordDecoder();
        for (const r of decoder.push(run)) decoded.apply(r.key, r.value, 3, r.offset, r.timestamp);
        expect(direct.hash()).toBe(decoded.hash());
        expect([...direct.entries]).toEqual([...decoded.entries]);
      }),
    );
  });
});
