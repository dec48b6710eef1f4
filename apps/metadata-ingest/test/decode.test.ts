import { impressionCodec } from '@labeldocs/schemas';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Aggregator,
  countImpression,
  decodeAggregate,
  decodeImpression,
  isPlainImpression,
} from '../src/index.js';

const instant = fc.oneof(
  fc
    .date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  fc.constantFrom(
    '2026-02-30T10:00:00Z',
    '2026-02-29T10:00:00Z',
    '2028-02-29T23:59:59.5Z',
    '2026-11-25T24:00:00Z',
    '2026-11-25T10:00:60Z',
    '2026-11-25T10:00Z',
    '2026-11-25T10:00:00.1234567891Z',
    '2026-11-25T10:00:00+02:00',
    '2026-11-25 10:00',
    'yesterday',
    '',
  ),
);
const labelValue = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constant('x'.repeat(10_001)),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.constant({ big: 'y'.repeat(10_000) }),
  fc.constant({ small: 'y'.repeat(9_000) }),
  fc.constant(Array.from({ length: 450 }, () => 1e20)),
  fc.constant(Array.from({ length: 460 }, () => 1e20)),
  fc.constant([{ nested: ['\u0001'.repeat(1_500)] }]),
  fc.constant([{ nested: ['\u0001'.repeat(1_700)] }]),
);
const impressionLike = fc.record(
  {
    ts: fc.oneof(instant, fc.integer()),
    pageType: fc.oneof(fc.string({ maxLength: 3 }), fc.constant('p'.repeat(101)), fc.constant(7)),
    labels: fc.oneof(
      fc.dictionary(fc.oneof(fc.string({ maxLength: 10 }), fc.constant('k'.repeat(301))), labelValue, {
        maxKeys: 6,
      }),
      fc.array(fc.integer(), { maxLength: 2 }),
      fc.constant(null),
    ),
    source: fc.oneof(fc.string({ maxLength: 4 }), fc.constant('s'.repeat(101)), fc.integer()),
  },
  { requiredKeys: [] },
);

describe('impression decoding', () => {
  it('the fast path accepts exactly what impressionSchema accepts', () => {
    fc.assert(
      fc.property(impressionLike, (value) => {
        const bytes = Buffer.from(JSON.stringify(value));
        const accepted = impressionCodec.decode(bytes).ok;
        expect(decodeImpression(bytes).ok).toBe(accepted);
        // The hot path (labels checked while counting) reaches the same verdict, and counts nothing it rejects.
        const aggregator = new Aggregator({
          lastSeenIntervalMs: 60_000,
          isPii: () => false,
          isKnownGroup: () => true,
          lookup: () => undefined,
        });
        expect(typeof countImpression(aggregator, bytes, 'impressions:0', 0) === 'number').toBe(accepted);
        if (!accepted) {
          expect(aggregator.stats.labelObservations).toBe(0);
          expect(aggregator.entries.size).toBe(0);
        }
        if (isPlainImpression(JSON.parse(bytes.toString())))
          expect(impressionCodec.decode(bytes).ok).toBe(true);
      }),
      { numRuns: 3_000 },
    );
  });

  it('a number JSON.parse reads as Infinity is judged by the schema (rejected), never counted', () => {
    const head = '{"ts":"2026-11-25T10:00:00.000Z","pageType":"home","labels":';
    const longArray = `[${Array.from({ length: 460 }, () => '1e20').join(',')},1e400]`;
    for (const labels of [
      '{"san_A":1e400}',
      '{"san_A":[1,-1e999]}',
      '{"san_A":{"n":1e400}}',
      `{"san_A":${longArray}}`,
    ]) {
      const bytes = Buffer.from(`${head}${labels}}`);
      expect(impressionCodec.decode(bytes).ok).toBe(false);
      expect(decodeImpression(bytes).ok).toBe(false);
      expect(isPlainImpression(JSON.parse(bytes.toString()))).toBe(false);
      const aggregator = new Aggregator({
        lastSeenIntervalMs: 60_000,
        isPii: () => false,
        isKnownGroup: () => true,
        lookup: () => undefined,
      });
      expect(typeof countImpression(aggregator, bytes, 'impressions:0', 0)).not.toBe('number');
      expect(aggregator.stats.labelObservations).toBe(0);
    }
  });

  it('names the field that is wrong, and never throws on garbage', () => {
    const missing = decodeImpression(Buffer.from(JSON.stringify({ pageType: 'home', labels: {} })));
    expect(missing.ok ? [] : missing.errors.map((e) => e.path)).toEqual(['ts']);
    const notJson = decodeImpression(Buffer.from('{"ts":'));
    expect(notJson.ok ? '' : notJson.errors[0]!.message).toMatch(/not valid JSON/);
    expect(decodeImpression(null).ok).toBe(false);
    const badAggregate = decodeAggregate(Buffer.from(JSON.stringify({ name: 'san_X', count: -1 })));
    expect(badAggregate.ok ? [] : badAggregate.errors.map((e) => e.path)).toEqual(
      expect.arrayContaining(['count', 'windowStart', 'windowEnd', 'source']),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(() => decodeImpression(Buffer.from(bytes))).not.toThrow();
      }),
    );
  });
});
