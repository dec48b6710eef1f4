import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../src/options.js';
import { StateTable } from '../src/state-table.js';
import { type Doc, docCodec } from './helpers.js';

type Step =
  | { kind: 'put'; key: string; n: number; valid: boolean }
  | { kind: 'delete'; key: string }
  | { kind: 'read'; key: string };

const key = fc.constantFrom('a', 'b', 'c', 'd');
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('put' as const), key, n: fc.integer(), valid: fc.boolean() }),
  fc.record({ kind: fc.constant('delete' as const), key }),
  fc.record({ kind: fc.constant('read' as const), key }),
);

/** Applies the steps as the state reader would; reads in between decode some values early. */
function run(steps: Step[], mode: 'lazy' | 'eager'): StateTable<Doc> {
  const table = new StateTable<Doc>();
  table.configure(docCodec, silentLogger, mode);
  steps.forEach((s, offset) => {
    if (s.kind === 'read') {
      table.map.get(s.key);
      return;
    }
    const version = table.lastVersion(s.key) + 1;
    // A shared pool buffer, as kafkajs hands out slices of one fetch response: the table must copy.
    const bytes =
      s.kind === 'delete' ? null : Buffer.from(s.valid ? JSON.stringify({ n: s.n }) : `{"n":"${s.n}"}`);
    table.applyEncoded(s.key, bytes, version, 0, String(offset), 0);
    bytes?.fill(0);
  });
  return table;
}

describe('lazy materialisation', () => {
  it('a lazy table serves exactly what an eager one serves, whatever is read when, and never an invalid value', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const lazy = run(steps, 'lazy');
        const eager = run(steps, 'eager');
        for (const k of ['a', 'b', 'c', 'd']) {
          expect(lazy.keyState(k)).toEqual(eager.keyState(k));
          expect(lazy.map.get(k)).toEqual(eager.map.get(k));
        }
        expect(new Map(lazy.map.entries())).toEqual(new Map(eager.map.entries()));
        expect(lazy.map.size).toBe(eager.map.size);
        expect(lazy.map.pending).toBe(0);
        // Lazy decodes only what was the newest record when read: an invalid one replaced unread is not seen.
        expect(lazy.invalidRecords).toBeLessThanOrEqual(eager.invalidRecords);
        for (const [, v] of eager.map.entries()) expect(Number.isInteger(v.value.n)).toBe(true);
      }),
    );
  });

  it('a value read once is decoded once: later reads return the same object', () => {
    const table = run([{ kind: 'put', key: 'a', n: 1, valid: true }], 'lazy');
    expect(table.map.pending).toBe(1);
    const first = table.map.get('a');
    expect(first).toEqual({ value: { n: 1 }, version: 1 });
    expect(table.map.get('a')).toBe(first);
    expect(table.map.pending).toBe(0);
  });
});
