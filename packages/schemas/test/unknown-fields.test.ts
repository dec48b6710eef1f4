import { describe, expect, it } from 'vitest';
import {
  impressionCodec,
  labelRecordCodec,
  observeUnknownFields,
  publicLabelCodec,
  validateLabelInput,
} from '../src/index.js';
import { impressionFixture, labelRecordFixture, publicLabelFixture } from './fixtures.js';

const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('unknown fields', () => {
  it('Kafka input ignores unknown fields at any depth and lists their paths', () => {
    const input = {
      ...labelRecordFixture,
      colour: 'blue',
      pii: { ...labelRecordFixture.pii, retention: 30 },
      deprecation: { ...labelRecordFixture.deprecation, ticket: 'X-1' },
    };
    const result = labelRecordCodec.decode(bytes(input));
    expect(result).toEqual({
      ok: true,
      value: labelRecordFixture,
      unknownFields: ['pii.retention', 'deprecation.ticket', 'colour'],
    });
  });

  it('a field of a union variant it does not know is reported, the variant is still read', () => {
    const input = { ...publicLabelFixture, tracking: { ...publicLabelFixture.tracking, rate: 0.5 } };
    const result = publicLabelCodec.decode(bytes(input));
    expect(result.ok && result.unknownFields).toEqual(['tracking.rate']);
  });

  it('free-form maps (impression labels) are data, never unknown fields', () => {
    const input = { ...impressionFixture, labels: { zz_New: 1, x: { deep: { er: true } } } };
    expect(impressionCodec.decode(bytes(input))).toEqual({ ok: true, value: input });
  });

  it('a __proto__ key is dropped (never assigned to the prototype) and reported', () => {
    const raw = `{"ts":"2026-11-25T10:00:00Z","pageType":"p","labels":{"__proto__":{"polluted":1},"a":1}}`;
    const result = impressionCodec.decode(Buffer.from(raw));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.unknownFields).toEqual(['labels.__proto__']);
    expect(Object.getPrototypeOf(result.value.labels)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('the API input rejects the same unknown fields, each named', () => {
    const {
      name: _n,
      group: _g,
      createdBy: _c,
      createdAt: _ca,
      updatedBy: _u,
      updatedAt: _ua,
      ...content
    } = labelRecordFixture;
    const result = validateLabelInput({
      ...content,
      colour: 'blue',
      pii: { ...content.pii, isPII: true },
      valueType: { ...content.valueType, ordered: true },
      deprecation: { ...content.deprecation, ticket: 'X-1' },
    });
    expect(result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`).sort()).toEqual([
      'colour: is not a known field',
      'deprecation.ticket: is not a known field',
      'pii.isPII: is not a known field',
      'valueType.ordered: is not a known field',
    ]);
  });

  it('observeUnknownFields counts ignored fields without changing the result', () => {
    const seen: [string[], string][] = [];
    const codec = observeUnknownFields(labelRecordCodec, (paths, name) => seen.push([paths, name]));
    const withExtra = codec.decode(bytes({ ...labelRecordFixture, colour: 'blue' }));
    const plain = codec.decode(bytes(labelRecordFixture));
    const invalid = codec.decode(bytes({ colour: 'blue' }));
    expect(withExtra).toEqual(labelRecordCodec.decode(bytes({ ...labelRecordFixture, colour: 'blue' })));
    expect(plain).toEqual({ ok: true, value: labelRecordFixture });
    expect(invalid.ok).toBe(false);
    expect(seen).toEqual([[['colour'], 'label-record']]);
    expect(codec.encode(labelRecordFixture)).toEqual(labelRecordCodec.encode(labelRecordFixture));
  });

  it('reports at most 100 paths however many unknown fields a message carries', () => {
    const extras = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`x${i}`, i]));
    const result = labelRecordCodec.decode(bytes({ ...labelRecordFixture, ...extras }));
    expect(result.ok && result.unknownFields?.length).toBe(100);
  });
});
