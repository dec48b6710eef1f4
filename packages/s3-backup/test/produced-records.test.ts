import {
  AppendedRecords,
  diffStates,
  MismatchCounter,
  ProducedRecords,
  TopicState,
} from '@labeldocs/s3-backup';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const op = fc.record({
  key: fc.constantFrom('a', 'b', 'c', 'd'),
  value: fc.option(fc.constantFrom('1', '2', '3'), { nil: null }),
  partition: fc.constantFrom(0, 0, 1),
});

describe("the final check's reader", () => {
  it('recognises our records by their bytes and counts them by tag; with other writers the count of differing keys is the same as hashing everything', () => {
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 20 }),
        fc.array(op, { maxLength: 20 }),
        fc.array(fc.tuple(fc.nat(20), op), { maxLength: 5 }),
        (before, backup, foreign) => {
          const apply = (s: TopicState, ops: typeof before) => {
            for (const [i, o] of ops.entries())
              s.apply(Buffer.from(o.key), o.value === null ? null : Buffer.from(o.value), o.partition, i, 0);
          };
          const wanted = new TopicState();
          apply(wanted, backup);
          const fresh = () => {
            const s = new TopicState();
            apply(s, before);
            return s;
          };
          // What restore produces (to partition 0): a tombstone per key to delete, then the backup's value per
          // key to create or change, tagged with the key's index in the diff when partition 0 holds the key's
          // current record (or there is none), as restore does.
          const diff = diffStates(fresh(), wanted);
          const keys = [...diff.delete, ...diff.create, ...diff.change];
          const ours = keys.map((k, tag) => {
            const latest = wanted.entries.get(k)!;
            const was = fresh().entries.get(k)?.partition;
            return {
              key: Buffer.from(k, 'latin1'),
              value: tag < diff.delete.length ? null : Buffer.from(backup[latest.offset]!.value!),
              partition: 0,
              tag: was === undefined || was === 0 ? tag : -1,
            };
          });
          // Read back: ours in order, with another writer's records (timestamp 1: newer) in between.
          const log: Array<{ key: Buffer; value: Buffer | null; partition: number }> = [...ours];
          for (const [at, o] of foreign)
            log.splice(at % (log.length + 1), 0, {
              key: Buffer.from(o.key),
              value: o.value === null ? null : Buffer.from(`foreign${o.value}`),
              partition: o.partition,
            });
          const total = keys.length;
          const plain = new MismatchCounter(fresh(), wanted, total);
          const hinted = new MismatchCounter(fresh(), wanted, total);
          const appended = new AppendedRecords(hinted, total, (tag) => keys[tag]!);
          const produced = new ProducedRecords();
          for (const r of ours) produced.add(r.partition, r.key, r.value, r.tag);
          let taken = 0;
          for (const [i, r] of log.entries()) {
            const tag = produced.take(r.partition, r.key, r.value);
            if (tag !== undefined) taken++;
            const timestamp = r.partition === 0 && tag !== undefined ? 0 : 1;
            appended.apply(r.key, r.value, r.partition, 1000 + i, timestamp, tag);
            plain.apply(r.key, r.value, r.partition, 1000 + i, timestamp);
          }
          expect(taken).toBe(ours.length);
          expect(hinted.mismatched).toBe(plain.mismatched);
          if (appended.general) expect(hinted.current.hash()).toBe(plain.current.hash());
          else expect(plain.mismatched).toBe(0);
          expect(plain.mismatched === 0).toBe(plain.current.sameLiveState(wanted));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('counts by tag alone while only our own records come back', () => {
    const wanted = new TopicState();
    for (const [i, k] of ['a', 'b', 'c'].entries()) wanted.apply(Buffer.from(k), Buffer.from('v'), 0, i, 0);
    const counter = new MismatchCounter(new TopicState(), wanted, 3);
    const appended = new AppendedRecords(counter, 3, (tag) => ['a', 'b', 'c'][tag]!);
    for (const [tag, k] of ['a', 'b', 'c'].entries())
      appended.apply(Buffer.from(k), Buffer.from('v'), 0, tag, 0, tag);
    expect(counter.mismatched).toBe(0);
    expect(appended.general).toBe(false);
    expect(counter.current.entries.size).toBe(0);
  });
});
