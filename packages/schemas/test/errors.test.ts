import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  formatPath,
  type SchemaError,
  SchemaGroupRegistryError,
  SchemaStatusTransitionError,
  SchemaValidationError,
  validateLabelInput,
  valueOrThrow,
} from '../src/index.js';

/** One instance of every error class: adding a class without adding it here fails the table check below. */
const instances: SchemaError[] = [
  new SchemaValidationError([{ path: 'description', message: 'must be at most 10000 characters' }]),
  new SchemaStatusTransitionError('retired', 'active', 'no'),
  new SchemaGroupRegistryError('bad'),
];

const table = readFileSync(new URL('../../../docs/error-codes.md', import.meta.url), 'utf8')
  .split('\n')
  .map((line) => line.split('|').map((cell) => cell.trim()))
  .filter((cells) => cells[2] === 'schemas')
  .map((cells) => ({ code: cells[1]!.replaceAll('`', ''), retryable: cells[3] === 'yes' }));

describe('schemas errors', () => {
  it('docs/error-codes.md lists exactly the codes this package raises, with the same retryable flag', () => {
    const fromCode = instances.map((e) => ({ code: e.code, retryable: e.retryable }));
    expect(table.sort((a, b) => a.code.localeCompare(b.code))).toEqual(
      fromCode.sort((a, b) => a.code.localeCompare(b.code)),
    );
  });

  it('each class exposes its code statically for callers that branch on it', () => {
    expect(instances.map((e) => (e.constructor as unknown as { code: string }).code)).toEqual(
      instances.map((e) => e.code),
    );
  });

  it('a validation error lists every problem in its message and keeps them as data', () => {
    const error = new SchemaValidationError([
      { path: 'description', message: 'must be at most 10000 characters' },
      { path: 'tags[3]', message: 'must not be empty' },
    ]);
    expect(error.message).toBe(
      'invalid input:\ndescription: must be at most 10000 characters\ntags[3]: must not be empty',
    );
    expect(error.errors).toHaveLength(2);
    expect(error.name).toBe('SchemaValidationError');
  });

  it('valueOrThrow returns a valid value and throws the field errors of an invalid one', () => {
    expect(valueOrThrow(validateLabelInput({ ownerTeam: 't', valueType: { kind: 'json' } })).ownerTeam).toBe(
      't',
    );
    try {
      valueOrThrow(validateLabelInput({ ownerTeam: '', valueType: { kind: 'json' } }));
      expect.unreachable();
    } catch (error) {
      expect((error as SchemaValidationError).code).toBe('SCHEMA_VALIDATION_FAILED');
      expect((error as SchemaValidationError).errors).toEqual([
        { path: 'ownerTeam', message: 'must not be empty' },
      ]);
    }
  });
});

describe('field paths', () => {
  it.each<[(string | number)[], string]>([
    [[], '(root)'],
    [['description'], 'description'],
    [['examples', 2], 'examples[2]'],
    [['deprecation', 'replacement'], 'deprecation.replacement'],
    [['labels', 'san_SearchTerm'], 'labels.san_SearchTerm'],
    [['topicConfig', 'cleanup.policy'], 'topicConfig["cleanup.policy"]'],
    [['dailyCounts', '2026-11-25'], 'dailyCounts["2026-11-25"]'],
    [['labels', ''], 'labels[""]'],
    [[''], '[""]'],
    [['labels', 'a "b"'], 'labels["a \\"b\\""]'],
  ])('%j renders as %s', (path, rendered) => {
    expect(formatPath(path)).toBe(rendered);
  });
});
