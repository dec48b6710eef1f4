import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { publicLabelCodec, readSnapshots, SCHEMA_VERSION_KEYWORD } from '../src/index.js';
import { publicLabel } from './arbitraries.js';

/** A real JSON Schema validator, as a consumer in another language would use the committed file. */
const snapshot = readSnapshots().at(-1)!.schema;
const ajv = new Ajv2020({ strict: true, validateFormats: false, allErrors: true });
// Strict Ajv refuses unknown keywords; the version annotation has to be declared once.
ajv.addKeyword(SCHEMA_VERSION_KEYWORD);
const validate = ajv.compile(snapshot);

describe('the committed public JSON Schema', () => {
  it('accepts every record publicLabelSchema accepts', () => {
    fc.assert(
      fc.property(publicLabel, (record) => {
        const ok = validate(JSON.parse(publicLabelCodec.encode(record).toString()));
        expect(validate.errors ?? []).toEqual([]);
        expect(ok).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('lets consumers read records carrying fields they do not know yet', () => {
    const record = {
      schemaVersion: '1.4.0',
      name: 'san_SearchTerm',
      group: 'san',
      region: 'eu',
      documentation: { state: 'missing', addedLater: true },
      tracking: { state: 'untracked' },
    };
    expect(validate(record)).toBe(true);
  });

  it.each([
    ['a malformed label name', { name: 'SearchTerm' }],
    ['a missing group', { group: undefined }],
    ['an unknown documentation state', { documentation: { state: 'half' } }],
    ['an over-long group', { group: 'g'.repeat(21) }],
  ])('rejects %s, as publicLabelSchema does', (_what, change) => {
    const record = JSON.parse(
      JSON.stringify({
        schemaVersion: '1.0.0',
        name: 'san_SearchTerm',
        group: 'san',
        documentation: { state: 'missing' },
        tracking: { state: 'untracked' },
        ...change,
      }),
    );
    expect(validate(record)).toBe(false);
    expect(publicLabelCodec.validate(record).ok).toBe(false);
  });
});
