import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  checkCompatibility,
  type JsonSchema,
  publicLabelJsonSchema,
  publicLabelSchema,
} from '../src/index.js';

const current = () => publicLabelJsonSchema();
// biome-ignore lint/suspicious/noExplicitAny: test surgery on plain JSON
type Json = Record<string, any>;
const documented = (s: Json): Json => s.properties.documentation.oneOf[1];
const edit = (change: (s: Json) => void): JsonSchema => {
  const copy = structuredClone(current()) as Json;
  change(copy);
  return copy;
};
const DOC = 'documentation<state=documented>';

describe('checkCompatibility on hand-edited copies of the public schema', () => {
  it('finds nothing between a schema and itself', () => {
    expect(checkCompatibility(current(), current())).toEqual({ breaking: [], nonBreaking: [] });
  });

  it.each<[string, (s: Json) => void, string]>([
    [
      'a removed field',
      (s) => delete documented(s).properties.ownerTeam,
      `${DOC}.ownerTeam: field removed (was required)`,
    ],
    [
      'a removed optional field',
      (s) => delete documented(s).properties.replacement,
      `${DOC}.replacement: field removed`,
    ],
    [
      'a narrowed type',
      (s) => (s.properties.group.type = 'integer'),
      'group: type narrowed: no longer accepts string',
    ],
    [
      'a tightened length',
      (s) => (documented(s).properties.description.maxLength = 500),
      `${DOC}.description: maxLength tightened from 10000 to 500`,
    ],
    [
      'a new required field',
      (s) => {
        s.properties.region = { type: 'string' };
        s.required.push('region');
      },
      'region: new required field',
    ],
    [
      'an optional field that became required',
      (s) => documented(s).required.push('startOfUse'),
      `${DOC}.startOfUse: became required`,
    ],
    [
      'a required field that became optional',
      (s) => (s.required = s.required.filter((k: string) => k !== 'group')),
      'group: no longer required (consumers may rely on it)',
    ],
    [
      'a removed enum value',
      (s) => (documented(s).properties.status.enum = ['draft', 'active', 'deprecated']),
      `${DOC}.status: enum value "retired" removed`,
    ],
    [
      'a removed union variant',
      (s) => s.properties.tracking.oneOf.splice(0, 1),
      'tracking: variant <state=untracked> removed',
    ],
    [
      'a closed content model',
      (s) => (s.additionalProperties = false),
      '(root): unknown fields no longer allowed',
    ],
    ['an added pattern', (s) => (s.properties.group.pattern = '^[a-z]+$'), 'group: pattern added'],
    [
      'a changed const',
      (s) => (s.properties.documentation.oneOf[0].properties.state.const = 'absent'),
      'documentation: variant <state=missing> removed',
    ],
  ])('reports %s as breaking', (_what, change, expected) => {
    const report = checkCompatibility(current(), edit(change));
    expect(report.breaking).toContain(expected);
  });

  it.each<[string, (s: Json) => void, string]>([
    [
      'an added optional field',
      (s) => (s.properties.region = { type: 'string' }),
      'region: optional field added',
    ],
    [
      'an added enum value',
      (s) => documented(s).properties.status.enum.push('archived'),
      `${DOC}.status: enum value "archived" added`,
    ],
    [
      'a relaxed length',
      (s) => (s.properties.group.maxLength = 40),
      'group: maxLength relaxed from 20 to 40',
    ],
    [
      'an added union variant',
      (s) =>
        s.properties.tracking.oneOf.push({
          type: 'object',
          properties: { state: { const: 'paused' } },
          required: ['state'],
        }),
      'tracking: variant <state=paused> added',
    ],
    [
      'a widened type',
      (s) => (s.properties.group.type = ['string', 'null']),
      'group: type widened to accept null',
    ],
    [
      'a field that became nullable',
      (s) => (s.properties.group = { anyOf: [s.properties.group, { type: 'null' }] }),
      'group: variant <type=null> added',
    ],
  ])('reports %s as non-breaking only', (_what, change, expected) => {
    const report = checkCompatibility(current(), edit(change));
    expect(report).toEqual({ breaking: [], nonBreaking: [expected] });
  });

  it('ignores documentation-only keywords', () => {
    const report = checkCompatibility(
      current(),
      edit((s) => (s.properties.group.description = 'the group')),
    );
    expect(report).toEqual({ breaking: [], nonBreaking: [] });
  });

  it('tells apart union variants without a discriminator by type, then by position', () => {
    const old = {
      anyOf: [
        { type: 'object', properties: { a: { type: 'string' } } },
        { type: 'object' },
        { type: 'null' },
      ],
    };
    const narrowed = structuredClone(old);
    narrowed.anyOf[0]!.properties!.a.type = 'number';
    expect(checkCompatibility(old, narrowed).breaking).toEqual([
      '(root)<type=object#0>.a: type narrowed: no longer accepts string',
    ]);
    expect(checkCompatibility(old, { anyOf: old.anyOf.slice(0, 2) }).breaking).toEqual([
      '(root): variant <type=null> removed',
    ]);
  });

  it('follows local $ref pointers', () => {
    const withRef = {
      $defs: { name: { type: 'string', maxLength: 10 } },
      type: 'object',
      properties: { a: { $ref: '#/$defs/name' } },
    };
    const narrowed = structuredClone(withRef);
    narrowed.$defs.name.maxLength = 5;
    expect(checkCompatibility(withRef, narrowed).breaking).toEqual(['a: maxLength tightened from 10 to 5']);
  });
});

describe('checkCompatibility on zod-derived copies of the public schema', () => {
  const documentedShape = publicLabelSchema.shape.documentation.options[1].shape;
  const variant = (shape: z.ZodRawShape) =>
    publicLabelSchema.extend({
      documentation: z.discriminatedUnion('state', [
        z.object({ state: z.literal('missing') }),
        z.object(shape),
      ]),
    });

  it('a removed field is breaking', () => {
    const { ownerTeam: _gone, ...rest } = documentedShape;
    expect(checkCompatibility(current(), publicLabelJsonSchema('1.0.0', variant(rest))).breaking).toEqual([
      `${DOC}.ownerTeam: field removed (was required)`,
    ]);
  });

  it('a narrowed type is breaking', () => {
    const narrowed = publicLabelSchema.extend({ group: z.enum(['san', 'order']) });
    expect(checkCompatibility(current(), publicLabelJsonSchema('1.0.0', narrowed)).breaking).toEqual([
      'group: restricted to an enum',
    ]);
  });

  it('a new required field is breaking, a new optional one is not', () => {
    const required = publicLabelSchema.extend({ region: z.string() });
    const optional = publicLabelSchema.extend({ region: z.string().optional() });
    expect(checkCompatibility(current(), publicLabelJsonSchema('1.0.0', required)).breaking).toEqual([
      'region: new required field',
    ]);
    expect(checkCompatibility(current(), publicLabelJsonSchema('1.0.0', optional))).toEqual({
      breaking: [],
      nonBreaking: ['region: optional field added'],
    });
  });
});
