import { createHash } from 'node:crypto';
import {
  decodeRecord,
  diffStates,
  encodeRecord,
  lineDigest,
  lineKey,
  parseLine,
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

  it('give the state the same key and value digest whether read as Buffers or straight from the line', () => {
    fc.assert(
      fc.property(record, (r) => {
        const [viaBuffers, viaLine] = [new TopicState(), new TopicState()];
        viaBuffers.apply(r.key, r.value, r.partition, Number(r.offset), Number(r.timestamp));
        const line = parseLine(encodeRecord(r).slice(0, -1));
        const k = lineKey(line);
        if (k !== null)
          viaLine.applyDigest(k, () => lineDigest(line), line.p, Number(line.o), Number(line.t));
        expect(viaLine.entries).toEqual(viaBuffers.entries);
        if (r.key !== null && r.value !== null)
          expect(viaLine.entries.get(r.key.toString('latin1'))?.digest).toBe(
            createHash('sha256').update(r.value).digest().toString('latin1'),
          );
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
});
