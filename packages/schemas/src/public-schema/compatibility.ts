import type { JsonSchema } from './json-schema.js';

/** The outcome of comparing two versions of a JSON Schema; each entry names the path and the change. */
export interface CompatibilityReport {
  /** Changes that can break a consumer or make already published records invalid: need a major bump. */
  breaking: string[];
  /** Additive or widening changes: need a minor bump. */
  nonBreaking: string[];
}

/** Keywords that document but never constrain: changing them is neither breaking nor a schema change. */
const ANNOTATIONS = new Set([
  '$schema',
  '$id',
  '$defs',
  'definitions',
  '$comment',
  'title',
  'description',
  'default',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
]);
/** Handled explicitly below; any other constraining keyword is compared for equality, conservatively. */
const HANDLED = new Set([
  'type',
  'enum',
  'const',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'prefixItems',
  'anyOf',
  'oneOf',
  '$ref',
  'pattern',
  'format',
  'multipleOf',
  'uniqueItems',
  'propertyNames',
  'minimum',
  'exclusiveMinimum',
  'minLength',
  'minItems',
  'minProperties',
  'maximum',
  'exclusiveMaximum',
  'maxLength',
  'maxItems',
  'maxProperties',
]);
const LOWER_BOUNDS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'];
const UPPER_BOUNDS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'];
const ALL_TYPES = ['string', 'number', 'integer', 'boolean', 'null', 'object', 'array'];

type Node = JsonSchema | boolean;
const isObj = (v: unknown): v is JsonSchema => typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const show = (v: unknown) => JSON.stringify(v);

function resolve(node: unknown, root: JsonSchema, depth = 0): Node {
  if (typeof node === 'boolean') return node;
  if (!isObj(node)) return true;
  const ref = node.$ref;
  if (typeof ref !== 'string' || depth > 20) return node;
  const target = ref
    .replace(/^#\/?/, '')
    .split('/')
    .filter((s) => s.length > 0)
    .reduce<unknown>(
      (at, seg) => (isObj(at) ? at[seg.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined),
      root,
    );
  const { $ref: _ref, ...siblings } = node;
  const resolved = resolve(target, root, depth + 1);
  return isObj(resolved) ? { ...resolved, ...siblings } : resolved;
}

function types(node: JsonSchema): Set<string> {
  const t = node.type;
  if (t === undefined) return new Set(ALL_TYPES);
  return new Set(Array.isArray(t) ? (t as string[]) : [t as string]);
}
const covers = (set: Set<string>, t: string) => set.has(t) || (t === 'integer' && set.has('number'));

/** A union variant's identity: its `const` properties (the discriminator), else its type, else its index. */
function variantKey(variant: unknown, index: number): string {
  if (isObj(variant) && isObj(variant.properties)) {
    const consts = Object.entries(variant.properties)
      .filter(([, p]) => isObj(p) && 'const' in p)
      .map(([k, p]) => `${k}=${String((p as JsonSchema).const)}`);
    if (consts.length > 0) return consts.sort().join(',');
  }
  if (isObj(variant) && typeof variant.type === 'string') return `type=${variant.type}`;
  return `#${index}`;
}

/** Keys for a union's variants; repeated keys (two object variants without a discriminator) get their index. */
function variantKeys(variants: unknown[], root: JsonSchema): string[] {
  const keys = variants.map((v, i) => variantKey(resolve(v, root), i));
  return keys.map((k, i) => (keys.indexOf(k) === keys.lastIndexOf(k) ? k : `${k}#${i}`));
}

/**
 * Compares an old and a new version of a JSON Schema from a consumer's point of view (Schema Registry's
 * BACKWARD idea: every record valid under the old schema must stay valid under the new one), plus: a
 * field consumers could rely on must not disappear or become optional.
 */
export function checkCompatibility(oldSchema: JsonSchema, newSchema: JsonSchema): CompatibilityReport {
  const report: CompatibilityReport = { breaking: [], nonBreaking: [] };
  const breaking = (path: string, what: string): void => {
    report.breaking.push(`${path}: ${what}`);
  };
  const widening = (path: string, what: string): void => {
    report.nonBreaking.push(`${path}: ${what}`);
  };

  const compare = (oldRaw: unknown, newRaw: unknown, path: string): void => {
    const o = resolve(oldRaw, oldSchema);
    const n = resolve(newRaw, newSchema);
    if (o === false) {
      if (n !== false) widening(path, 'now accepts values');
      return;
    }
    if (n === false) {
      breaking(path, 'no longer accepts any value');
      return;
    }
    const oldNode: JsonSchema = o === true ? {} : o;
    const newNode: JsonSchema = n === true ? {} : n;
    const oldUnion = (oldNode.oneOf ?? oldNode.anyOf) as unknown[] | undefined;
    const newUnion = (newNode.oneOf ?? newNode.anyOf) as unknown[] | undefined;
    if (oldUnion !== undefined || newUnion !== undefined) {
      compareUnion(oldNode, newNode, path);
      return;
    }
    compareScalar(oldNode, newNode, path);
    compareObject(oldNode, newNode, path);
    compareArray(oldNode, newNode, path);
    for (const key of new Set([...Object.keys(oldNode), ...Object.keys(newNode)])) {
      if (ANNOTATIONS.has(key) || HANDLED.has(key) || key.startsWith('x-')) continue;
      if (!same(oldNode[key], newNode[key])) breaking(path, `keyword "${key}" changed`);
    }
  };

  const compareUnion = (oldNode: JsonSchema, newNode: JsonSchema, path: string): void => {
    const strip = ({ oneOf: _o, anyOf: _a, ...rest }: JsonSchema) => rest;
    const oldVariants = (oldNode.oneOf ?? oldNode.anyOf ?? [strip(oldNode)]) as unknown[];
    const newVariants = (newNode.oneOf ?? newNode.anyOf ?? [strip(newNode)]) as unknown[];
    const newIsUnion = (newNode.oneOf ?? newNode.anyOf) !== undefined;
    const oldKeyList = variantKeys(oldVariants, oldSchema);
    const newKeyList = variantKeys(newVariants, newSchema);
    const newByKey = new Map(newVariants.map((v, i) => [newKeyList[i]!, v]));
    const oldKeys = new Set(oldKeyList);
    oldVariants.forEach((variant, i) => {
      const key = oldKeyList[i]!;
      // A union that became one plain schema: compare every old variant against it.
      const match = newByKey.get(key) ?? (newIsUnion ? undefined : newVariants[0]);
      if (match === undefined) breaking(path, `variant <${key}> removed`);
      else compare(variant, match, `${path}<${key}>`);
    });
    for (const key of newByKey.keys())
      if (!oldKeys.has(key) && newIsUnion) widening(path, `variant <${key}> added`);
  };

  const compareScalar = (o: JsonSchema, n: JsonSchema, path: string): void => {
    const ot = types(o);
    const nt = types(n);
    const lost = [...ot].filter((t) => !covers(nt, t));
    if (lost.length > 0) breaking(path, `type narrowed: no longer accepts ${lost.join(', ')}`);
    const gained = [...nt].filter((t) => !covers(ot, t));
    if (gained.length > 0 && o.type !== undefined)
      widening(path, `type widened to accept ${gained.join(', ')}`);

    if ('const' in n && (!('const' in o) || !same(o.const, n.const)))
      breaking(path, `value restricted to ${show(n.const)}`);
    else if ('const' in o && !('const' in n)) widening(path, `no longer restricted to ${show(o.const)}`);

    const oldEnum = o.enum as unknown[] | undefined;
    const newEnum = n.enum as unknown[] | undefined;
    if (newEnum !== undefined && oldEnum === undefined) breaking(path, 'restricted to an enum');
    if (oldEnum !== undefined && newEnum === undefined) widening(path, 'enum restriction removed');
    if (oldEnum !== undefined && newEnum !== undefined) {
      for (const v of oldEnum)
        if (!newEnum.some((w) => same(v, w))) breaking(path, `enum value ${show(v)} removed`);
      for (const v of newEnum)
        if (!oldEnum.some((w) => same(v, w))) widening(path, `enum value ${show(v)} added`);
    }
    for (const key of LOWER_BOUNDS) bound(o, n, key, path, (a, b) => b > a);
    for (const key of UPPER_BOUNDS) bound(o, n, key, path, (a, b) => b < a);
    for (const key of ['pattern', 'format', 'multipleOf']) {
      if (n[key] !== undefined && !same(o[key], n[key]))
        breaking(path, `${key} ${o[key] === undefined ? 'added' : 'changed'}`);
      else if (o[key] !== undefined && n[key] === undefined) widening(path, `${key} removed`);
    }
    if (n.uniqueItems === true && o.uniqueItems !== true) breaking(path, 'items must now be unique');
  };

  const bound = (
    o: JsonSchema,
    n: JsonSchema,
    key: string,
    path: string,
    tighter: (a: number, b: number) => boolean,
  ) => {
    const a = o[key] as number | undefined;
    const b = n[key] as number | undefined;
    if (b !== undefined && (a === undefined || tighter(a, b)))
      breaking(path, `${key} ${a === undefined ? `added (${b})` : `tightened from ${a} to ${b}`}`);
    else if (a !== undefined && (b === undefined || tighter(b, a)))
      widening(path, `${key} ${b === undefined ? 'removed' : `relaxed from ${a} to ${b}`}`);
  };

  const compareObject = (o: JsonSchema, n: JsonSchema, path: string): void => {
    const oldProps = (o.properties ?? {}) as JsonSchema;
    const newProps = (n.properties ?? {}) as JsonSchema;
    const oldReq = new Set((o.required ?? []) as string[]);
    const newReq = new Set((n.required ?? []) as string[]);
    const at = (key: string) => (path === '(root)' ? key : `${path}.${key}`);
    for (const key of Object.keys(oldProps)) {
      if (!(key in newProps)) {
        breaking(at(key), `field removed${oldReq.has(key) ? ' (was required)' : ''}`);
        continue;
      }
      if (oldReq.has(key) && !newReq.has(key))
        breaking(at(key), 'no longer required (consumers may rely on it)');
      if (!oldReq.has(key) && newReq.has(key)) breaking(at(key), 'became required');
      compare(oldProps[key], newProps[key], at(key));
    }
    for (const key of Object.keys(newProps)) {
      if (key in oldProps) continue;
      if (newReq.has(key)) breaking(at(key), 'new required field');
      else widening(at(key), 'optional field added');
    }
    for (const key of newReq)
      if (!(key in newProps) && !oldReq.has(key)) breaking(at(key), 'new required field');
    const oldAdd = o.additionalProperties;
    const newAdd = n.additionalProperties;
    if (newAdd === false && oldAdd !== false) breaking(path, 'unknown fields no longer allowed');
    else if (oldAdd === false && newAdd !== false) widening(path, 'unknown fields now allowed');
    else if (isObj(oldAdd) || isObj(newAdd)) compare(oldAdd ?? true, newAdd ?? true, `${path}{*}`);
    if (o.propertyNames !== undefined || n.propertyNames !== undefined)
      compare(o.propertyNames ?? true, n.propertyNames ?? true, `${path}{key}`);
  };

  const compareArray = (o: JsonSchema, n: JsonSchema, path: string): void => {
    if (o.items !== undefined || n.items !== undefined)
      compare(o.items ?? true, n.items ?? true, `${path}[]`);
    const oldPrefix = (o.prefixItems ?? []) as unknown[];
    const newPrefix = (n.prefixItems ?? []) as unknown[];
    for (let i = 0; i < Math.max(oldPrefix.length, newPrefix.length); i++)
      compare(oldPrefix[i] ?? true, newPrefix[i] ?? true, `${path}[${i}]`);
  };

  compare(oldSchema, newSchema, '(root)');
  return report;
}
