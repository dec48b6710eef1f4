import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChangelogFeed } from '../src/changelog-feed.js';
import { changelogKey } from '../src/changelog-keys.js';
import { OwnWrites } from '../src/own-writes.js';
import { StateTable } from '../src/state-table.js';

/** One record of a partition's log: ours (written by this instance's writer) or from outside (a restore). */
interface Rec {
  key: string;
  value: number | null;
  version: number;
  ours: boolean;
}

const recArb = fc.record({
  key: fc.constantFrom('a', 'b', 'c'),
  value: fc.option(fc.integer({ min: 0, max: 99 }), { nil: null, freq: 4 }),
  // Records from outside may carry any version, older ones included.
  version: fc.integer({ min: 1, max: 30 }),
  ours: fc.boolean(),
  // Where our run of records is split into transactions.
  cut: fc.boolean(),
});

function view(table: StateTable<number>): unknown {
  return ['a', 'b', 'c'].map((k) => ({ k, current: table.map.get(k), state: table.keyState(k) }));
}

/** The reader's loop, reduced to what matters here: admit, then apply in log order. */
function readOne(table: StateTable<number>, own: OwnWrites<number>, log: Rec[], offset: number): void {
  const r = log[offset] as Rec;
  if (own.admit(0, offset, r.key)) table.apply(r.key, r.value, r.version, 0, String(offset), 0);
}

describe('own writes applied at commit', () => {
  it('whatever the interleaving of commits and reads, the table ends as if the log was read in order, and our records are visible from their commit on', () => {
    fc.assert(
      fc.property(
        fc.array(recArb, { minLength: 1, maxLength: 30 }),
        fc.array(fc.boolean(), { minLength: 60, maxLength: 60 }),
        // Quiet: the reader does not fetch the partition and is moved past our batches when it stands at one.
        fc.boolean(),
        (records, schedule, quiet) => {
          const log: Rec[] = records.map(({ cut: _, ...r }) => r);
          // Our transactions: consecutive runs of our records (one record batch each), split at `cut`.
          const txns: number[][] = [];
          records.forEach((r, offset) => {
            if (!r.ours) return;
            const last = txns[txns.length - 1];
            const previous = last?.[last.length - 1];
            if (last && previous === offset - 1 && !r.cut) last.push(offset);
            else txns.push([offset]);
          });
          const expected = new StateTable<number>();
          for (const [o, r] of log.entries()) expected.apply(r.key, r.value, r.version, 0, String(o), 0);

          const table = new StateTable<number>();
          let position = 0;
          const own = new OwnWrites(
            table,
            () => position,
            new ChangelogFeed(),
            (_partition, base, next) => {
              if (!quiet || position !== base) return false;
              position = next;
              return true;
            },
          );
          let nextTxn = 0;
          const committed = new Set<number>();
          let toApply: number[] | undefined;
          // The broker commits transaction g: from now on the reader may read it, maybe before we apply it.
          const commit = () => {
            toApply = txns[nextTxn++] as number[];
            for (const o of toApply) committed.add(o);
          };
          // Our writer applies g once the commit response is in, before it starts transaction g + 1.
          const applyOwn = () => {
            const offsets = toApply as number[];
            toApply = undefined;
            const batch = offsets.map((o) => {
              const r = log[o] as Rec;
              return { key: r.key, value: r.value, version: r.version, requestId: `r${o}` };
            });
            const base = offsets[0] as number;
            own.apply(0, base, batch, 0, own.passOver(0, base, base + offsets.length));
            // Read-your-writes: now the table holds our records or something newer in the log.
            for (const o of offsets) {
              const r = log[o] as Rec;
              const newest = log.findLastIndex(
                (x, i) => x.key === r.key && (i < position || committed.has(i)),
              );
              expect(table.keyState(r.key).lastVersion).toBe((log[newest] as Rec).version);
            }
          };
          const step = (readNow: boolean): boolean => {
            // read_committed: the reader stops at the first transaction not yet committed.
            const canRead = position < (txns[nextTxn]?.[0] ?? log.length);
            if (canRead && (readNow || (toApply === undefined && nextTxn >= txns.length))) {
              readOne(table, own, log, position);
              position += 1;
            } else if (toApply !== undefined) applyOwn();
            else if (nextTxn < txns.length) commit();
            else return false;
            return true;
          };
          for (const readNow of schedule) step(readNow);
          while (step(true)) {}
          expect(view(table)).toEqual(view(expected));
          expect(own.size).toBe(0);
          expect(own.mismatches).toBe(0);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('an older record from outside the writer (a restore) never moves a key back behind a record we applied', () => {
    const table = new StateTable<number>();
    let position = 0;
    const own = new OwnWrites(table, () => position, new ChangelogFeed());
    // Log: offset 0 restore writes k@v2, offset 1 is our k@v9 (committed, applied by us before the reader got here).
    own.apply(0, 1, [{ key: 'k', value: 9, version: 9, requestId: 'x' }], 0);
    expect(table.map.get('k')).toEqual({ value: 9, version: 9 });
    expect(own.admit(0, 0, 'k')).toBe(false);
    position = 1;
    expect(own.admit(0, 1, 'k')).toBe(false);
    position = 2;
    expect(table.map.get('k')).toEqual({ value: 9, version: 9 });
    // After our offset everything is applied as usual, older versions included: the log decides.
    expect(own.admit(0, 2, 'k')).toBe(true);
    expect(own.size).toBe(0);
  });

  it('a record the reader already passed is not applied again', () => {
    const table = new StateTable<number>();
    const own = new OwnWrites(table, () => 5, new ChangelogFeed());
    table.apply('k', 1, 1, 0, '4', 0);
    own.apply(0, 4, [{ key: 'k', value: 1, version: 1, requestId: 'x' }], 0);
    expect(table.recordsApplied).toBe(1);
    expect(own.size).toBe(0);
  });

  it('records of ours that compaction removed before the reader reached them are forgotten once it passes their offsets', () => {
    const table = new StateTable<number>();
    const own = new OwnWrites(table, () => 0, new ChangelogFeed());
    own.apply(
      0,
      10,
      [
        { key: 'a', value: 1, version: 1, requestId: 'x' },
        { key: 'b', value: 1, version: 1, requestId: 'y' },
        { key: 'a', value: 2, version: 2, requestId: 'z' },
      ],
      0,
    );
    expect(own.size).toBe(2);
    // Offsets 10 and 11 were compacted away (newer records of a and b exist); the reader meets 12, then 13.
    expect(own.admit(0, 12, 'a')).toBe(false);
    expect(own.size).toBe(0);
    expect(own.admit(0, 13, 'b')).toBe(true);
  });
  it('the change events of our own write reach changelog subscribers once: at the write, and never again from the reader', () => {
    const table = new StateTable<number>();
    const feed = new ChangelogFeed();
    const seen: string[] = [];
    feed.listeners.add((r) => seen.push(`${r.key}@${r.offset}:${r.value.toString()}`));
    let position = 3;
    const own = new OwnWrites(table, () => position, feed);
    // One write: state records at 3 and 4, their events at 5 and 6.
    own.apply(
      0,
      3,
      [
        { key: 'a', value: 1, version: 1, requestId: 'r1' },
        { key: 'b', value: 1, version: 1, requestId: 'r2' },
      ],
      0,
    );
    own.applyEvents(
      0,
      5,
      [
        { key: changelogKey('a', 'r1'), value: Buffer.from('ea') },
        { key: changelogKey('b', 'r2'), value: Buffer.from('eb') },
      ],
      0,
    );
    expect(seen).toEqual(['a@5:ea', 'b@6:eb']);
    // The reader meets them later: state and events of ours are skipped.
    expect(
      [3, 4, 5, 6].map((o) =>
        own.admit(
          0,
          o,
          o === 3 ? 'a' : o === 4 ? 'b' : o === 5 ? changelogKey('a', 'r1') : changelogKey('b', 'r2'),
        ),
      ),
    ).toEqual([false, false, false, false]);
    // Events the reader had already passed when the write was acknowledged were delivered by the reader.
    position = 9;
    own.applyEvents(0, 7, [{ key: changelogKey('c', 'r3'), value: Buffer.from('ec') }], 0);
    expect(seen).toHaveLength(2);
  });
});
