import { OffsetIndex } from '@labeldocs/s3-backup';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const partition = (p: number, start: number, end: number, records: number) => ({
  partition: p,
  startOffset: String(start),
  endOffset: String(end),
  records,
});

describe('the offset index restore finds its records to produce by', () => {
  it('answers like a Map for dense, sparse and out-of-range offsets', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(0, 1, 2), fc.nat(400), fc.nat(1_000_000)), { maxLength: 200 }),
        fc.nat(400),
        (sets, probe) => {
          // Partition 0 dense (range = records), 1 sparse (range far beyond 4× its records), 2 not in the manifest.
          const index = new OffsetIndex([partition(0, 100, 300, 200), partition(1, 0, 400, 10)]);
          const model = new Map<string, number>();
          for (const [p, offset, value] of sets) {
            index.set(p, offset, value);
            model.set(`${p}:${offset}`, value);
          }
          for (const p of [0, 1, 2]) {
            expect(index.get(p, probe)).toBe(model.get(`${p}:${probe}`) ?? -1);
            for (const [q, offset] of sets)
              if (q === p) expect(index.get(p, offset)).toBe(model.get(`${p}:${offset}`));
          }
        },
      ),
    );
  });
});
