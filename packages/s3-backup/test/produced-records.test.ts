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
  it('recognises our records by their bytes and counts them by tag; with other writers the count of differing keys is the same as hashing everything', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { maxLength: 20 }),
        fc.array(op, { maxLength: 20 }),
        fc.array(fc.tuple(fc.nat(20), op), { maxLength: 5 }),
        fc.boolean(),
        async (before, backup, foreign, asyncLoad) => {
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
          // The general path's plan is loaded only when needed, at once or later (restore rebuilds it).
          let loads = 0;
          const plan = () => {
            loads++;
            return { wanted, keyAt: (tag: number) => keys[tag]! };
          };
          const appended = new AppendedRecords(fresh(), total, total, () =>
            asyncLoad ? new Promise((resolve) => setImmediate(() => resolve(plan()))) : plan(),
          );
          const produced = new ProducedRecords();
          for (const r of ours) produced.add(r.partition, r.key, r.value, r.tag);
          let taken = 0;
          for (const [i, r] of log.entries()) {
            const tag = produced.take(r.partition, r.key, r.value);
            if (tag !== undefined) taken++;
            const timestamp = r.partition === 0 && tag !== undefined ? 0 : 1;
            const switching = appended.apply(r.key, r.value, r.partition, 1000 + i, timestamp, tag);
            if (switching !== undefined) await switching;
            plain.apply(r.key, r.value, r.partition, 1000 + i, timestamp);
          }
          expect(taken).toBe(ours.length);
          expect(appended.mismatched).toBe(plain.mismatched);
          expect(loads).toBe(appended.general ? 1 : 0);
          if (appended.general) expect(appended.current.hash()).toBe(plain.current.hash());
          else expect(plain.mismatched).toBe(0);
          expect(plain.mismatched === 0).toBe(plain.current.sameLiveState(wanted));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('counts by tag alone while only our own records come back', () => {
    // The backup's state is never needed on this path (restore does not keep it while producing).
    const appended = new AppendedRecords(new TopicState(), 3, 3, () => {
      throw new Error('the general path was loaded');
    });
    for (const [tag, k] of ['a', 'b', 'c'].entries())
      expect(appended.apply(Buffer.from(k), Buffer.from('v'), 0, tag, 0, tag)).toBeUndefined();
    expect(appended.mismatched).toBe(0);
    expect(appended.general).toBe(false);
    expect(appended.current.entries.size).toBe(0);
  });
});
