import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  defaultGroupRegistry,
  formatFieldErrors,
  type LabelStatus,
  validateLabelInput,
} from '../src/index.js';

const base = { ownerTeam: 'search', valueType: { kind: 'string' } };
const errorsOf = (input: unknown, options?: Parameters<typeof validateLabelInput>[1]) => {
  const result = validateLabelInput(input, options);
  return result.ok ? [] : result.errors;
};

describe('date rules', () => {
  it.each<[string | undefined, string, boolean, string]>([
    ['2026-01-01', '2026-06-30', true, 'deprecation after start of use'],
    ['2026-01-01', '2026-01-01', true, 'deprecation on the day of start of use'],
    ['2026-01-02', '2026-01-01', false, 'deprecation one day before start of use'],
    ['2026-01-01', '2025-12-31', false, 'deprecation across a year boundary before start'],
    [undefined, '2026-01-01', true, 'no start of use'],
  ])('startOfUse %s, deprecation %s: valid %s (%s)', (startOfUse, date, valid) => {
    const input = {
      ...base,
      status: 'deprecated',
      ...(startOfUse ? { startOfUse } : {}),
      deprecation: { date },
    };
    const errors = errorsOf(input);
    expect(errors).toEqual(
      valid ? [] : [{ path: 'deprecation.date', message: `must not be before startOfUse (${startOfUse})` }],
    );
  });

  it('a deprecated label must say when it was deprecated', () => {
    expect(errorsOf({ ...base, status: 'deprecated' })).toEqual([
      { path: 'deprecation', message: 'is required when status is deprecated (date, replacement)' },
    ]);
  });

  it('a label cannot replace itself', () => {
    const input = {
      ...base,
      status: 'deprecated',
      deprecation: { date: '2026-01-01', replacement: 'san_Term' },
    };
    expect(errorsOf(input, { name: 'san_Term' })).toEqual([
      { path: 'deprecation.replacement', message: 'must not be the label itself' },
    ]);
    expect(errorsOf(input, { name: 'san_OtherTerm' })).toEqual([]);
  });
});

describe('validateLabelInput', () => {
  it('accepts a minimal input and fills the defaults', () => {
    expect(validateLabelInput(base)).toEqual({
      ok: true,
      value: {
        ...base,
        description: '',
        examples: [],
        pii: { isPii: false, category: 'none' },
        tags: [],
        status: 'draft',
      },
    });
  });

  it('reports every problem at once, each with its field path and what was expected', () => {
    const input = {
      description: 'x'.repeat(10_001),
      valueType: { kind: 'enum', values: [] },
      examples: ['ok', 7],
      tags: Array.from({ length: 31 }, (_, i) => `t${i}`),
      status: 'deprecated',
      startOfUse: '2026-05-01',
      deprecation: { date: '2026-04-30', replacement: 'bad name' },
      colour: 'blue',
    };
    const errors = errorsOf(input, { name: 'san_Term', previous: { status: 'retired' } });
    expect(formatFieldErrors(errors).split('\n').sort()).toEqual(
      [
        'description: must be at most 10000 characters',
        'ownerTeam: is required (expected string)',
        'valueType.values: must list at least one value',
        'examples[1]: must be string, got number',
        'tags: must have at most 30 tags',
        'deprecation.replacement: must look like <group>_<Name>, e.g. san_SearchTerm',
        'colour: is not a known field',
        'deprecation.date: must not be before startOfUse (2026-05-01)',
        'status: cannot change from retired to deprecated; allowed from retired: retired',
      ].sort(),
    );
  });

  it('names the allowed values of an enum and of a discriminator', () => {
    expect(errorsOf({ ...base, status: 'gone', valueType: { kind: 'date' } })).toEqual([
      {
        path: 'valueType.kind',
        message: 'must be one of "string", "number", "boolean", "enum", "list", "json"',
      },
      { path: 'status', message: 'must be one of "draft", "active", "deprecated", "retired"' },
    ]);
  });

  it.each<[LabelStatus, LabelStatus | undefined, boolean]>([
    ['active', 'deprecated', true],
    ['deprecated', 'active', true],
    ['retired', 'active', false],
    ['retired', 'draft', false],
    ['active', undefined, false],
  ])('previous status %s -> %s allowed: %s (a missing status means draft)', (from, to, ok) => {
    const input = {
      ...base,
      ...(to ? { status: to } : {}),
      ...(to === 'deprecated' ? { deprecation: { date: '2026-01-01' } } : {}),
    };
    const errors = errorsOf(input, { previous: { status: from } });
    expect(errors.map((e) => e.path)).toEqual(ok ? [] : ['status']);
  });

  it('checks the label name and, given a registry, that its group is registered', () => {
    expect(errorsOf(base, { name: 'SearchTerm' })).toEqual([
      { path: 'name', message: 'must look like <group>_<Name>, e.g. san_SearchTerm' },
    ]);
    expect(errorsOf(base, { name: 'zzz_Term', registry: defaultGroupRegistry })).toEqual([
      { path: 'name', message: 'group "zzz" is not registered' },
    ]);
    expect(errorsOf(base, { name: 'san_Term', registry: defaultGroupRegistry })).toEqual([]);
  });

  it('rejects a body that is not an object with one root error', () => {
    expect(errorsOf('text')).toEqual([{ path: '(root)', message: 'must be object, got string' }]);
  });
});

describe('validateLabelInput on arbitrary input', () => {
  it('never throws, and answers either a value or at least one field error', () => {
    const status = fc.constantFrom('draft', 'active', 'deprecated', 'retired');
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue({ maxDepth: 3 }),
          fc.record({ ...Object.fromEntries(Object.keys(base).map((k) => [k, fc.jsonValue()])), status }),
        ),
        fc.option(fc.record({ status }), { nil: undefined }),
        fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
        (input, previous, name) => {
          const result = validateLabelInput(input, {
            ...(previous ? { previous: previous as { status: LabelStatus } } : {}),
            ...(name === undefined ? {} : { name }),
          });
          if (!result.ok) {
            expect(result.errors.length).toBeGreaterThan(0);
            for (const e of result.errors) expect(e.path.length * e.message.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
