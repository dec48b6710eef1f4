import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  backupManifestCodec,
  type Codec,
  impressionCodec,
  labelChangeEventCodec,
  labelRecordCodec,
  publicLabelCodec,
  trackedLabelAggregateCodec,
  trackedLabelCodec,
} from '../src/index.js';
import * as arb from './arbitraries.js';

const cases: [Codec<unknown>, fc.Arbitrary<unknown>][] = [
  [labelRecordCodec, arb.labelRecord],
  [labelChangeEventCodec, arb.labelChangeEvent],
  [trackedLabelCodec, arb.trackedLabel],
  [impressionCodec, arb.impression],
  [trackedLabelAggregateCodec, arb.trackedLabelAggregate],
  [publicLabelCodec, arb.publicLabel],
  [backupManifestCodec, arb.backupManifest],
];

function expectFieldErrors(result: ReturnType<Codec<unknown>['decode']>): void {
  if (result.ok) return;
  expect(result.errors.length).toBeGreaterThan(0);
  for (const e of result.errors) {
    expect(typeof e.path).toBe('string');
    expect(e.message.length).toBeGreaterThan(0);
  }
}

describe.each(cases.map(([codec, arbitrary]) => [codec.name, codec, arbitrary] as const))(
  '%s codec',
  (_name, codec, arbitrary) => {
    it('decode(encode(x)) returns x for every valid record, with no unknown fields', () => {
      fc.assert(
        fc.property(arbitrary, (value) => {
          expect(codec.validate(value)).toEqual({ ok: true, value });
          expect(codec.decode(codec.encode(value))).toEqual({ ok: true, value });
        }),
        { numRuns: 150 },
      );
    });

    it('never throws on arbitrary bytes and answers with field errors', () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
          const result = codec.decode(Buffer.from(bytes));
          expect(result.ok).toBe(false);
          expectFieldErrors(result);
        }),
        { numRuns: 300 },
      );
    });

    it('never throws on arbitrary JSON, including mutated valid records', () => {
      const mutated = fc
        .tuple(arbitrary, fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }))
        .map(([value, key, junk]) => {
          const keys = Object.keys(value as object);
          const target = keys[key.length % keys.length] ?? key;
          return { ...(value as object), [target]: junk };
        });
      fc.assert(
        fc.property(fc.oneof(fc.jsonValue({ maxDepth: 3 }), mutated), (value) => {
          expectFieldErrors(codec.decode(Buffer.from(JSON.stringify(value) ?? 'null')));
        }),
        { numRuns: 300 },
      );
    });

    it('ignores unknown fields on decode and reports their paths', () => {
      fc.assert(
        fc.property(arbitrary, fc.stringMatching(/^x[a-zA-Z]{1,10}$/), (value, extra) => {
          const bytes = Buffer.from(JSON.stringify({ ...(value as object), [extra]: { nested: true } }));
          expect(codec.decode(bytes)).toEqual({ ok: true, value, unknownFields: [extra] });
        }),
        { numRuns: 50 },
      );
    });
  },
);
