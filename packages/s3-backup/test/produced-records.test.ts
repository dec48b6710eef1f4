import { diffStates, MismatchCounter, ProducedRecords, TopicState } from '@labeldocs/s3-backup';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const op = fc.record({
  key: fc.constantFrom('a', 'b', 'c', 'd'),
  value: fc.option(fc.constantFrom('1', '2', '3'), { nil: null }),
});

describe("the final check's reader", () => {
  it('recognises our records by their bytes, others are hashed, and the count of differing keys is the same', () => {
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 20 }),
        fc.array(op, { maxLength: 20 }),
        fc.array(fc.tuple(fc.nat(20), op), { maxLength: 5 }),
        (before, backup, foreign) => {
          const apply = (s: TopicState, ops: typeof before) => {
            for (const [i, o] of ops.entries())
              s.apply(Buffer.from(o.key), o.value === null ? null : Buffer.from(o.value), 0, i, 0);
          };
          const wanted = new TopicState();
          apply(wanted, backup);
          // What restore produces: a tombstone per key to delete, the backup's value per key to create or change.
          const fresh = () => {
            const s = new TopicState();
            apply(s, before);
            return s;
          };
          const diff = diffStates(fresh(), wanted);
          const ours = [
            ...diff.delete.map((k) => ({ key: Buffer.from(k, 'latin1'), value: null })),
            ...[...diff.create, ...diff.change].map((k) => {
              const latest = backup.findLast((o) => o.key === k)!;
              return { key: Buffer.from(k, 'latin1'), value: Buffer.from(latest.value!) };
            }),
          ];
          // Read back: ours in order, with another writer's records in between.
          const log: Array<{ key: Buffer; value: Buffer | null }> = [...ours];
          for (const [at, o] of foreign)
            log.splice(at % (log.length + 1), 0, {
              key: Buffer.from(o.key),
              value: o.value === null ? null : Buffer.from(`foreign${o.value}`),
            });
          const total = diff.create.length + diff.change.length + diff.delete.length;
          const hinted = new MismatchCounter(fresh(), wanted, total);
          const plain = new MismatchCounter(fresh(), wanted, total);
          const produced = new ProducedRecords();
          for (const r of ours) produced.add(0, r.key, r.value);
          let taken = 0;
          for (const [i, r] of log.entries()) {
            const mine = produced.take(0, r.key, r.value);
            if (mine) taken++;
            hinted.apply(r.key, r.value, 0, 1000 + i, 0, mine);
            plain.apply(r.key, r.value, 0, 1000 + i, 0);
          }
          expect(taken).toBe(ours.length);
          expect(hinted.mismatched).toBe(plain.mismatched);
          expect(hinted.current.hash()).toBe(plain.current.hash());
          expect(hinted.mismatched === 0).toBe(foreign.length === 0 || hinted.current.sameLiveState(wanted));
        },
      ),
    );
  });
});
