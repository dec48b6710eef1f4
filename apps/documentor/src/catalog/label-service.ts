import {
  dateSchema,
  type GroupRegistry,
  issuesToFieldErrors,
  type LabelInput,
  type LabelRecord,
  labelNameSchema,
  parseLabelName,
  validateLabelInput,
} from '@labeldocs/schemas';
import { z } from 'zod';
import { DocInvalidInputError, DocLabelNotFoundError, invalid } from '../errors.js';
import { CONTENT_FIELDS, contentOf, toRecord } from './label-content.js';
import { expectedVersion, type Precondition } from './preconditions.js';
import type { LabelStore, VersionedLabel } from './types.js';

/** Who is writing, what they asserted about the version, and why. */
export interface WriteContext {
  actor: string;
  precondition: Precondition;
  reason?: string | undefined;
}

export interface WriteResult {
  created: boolean;
  label: VersionedLabel;
}

const deprecateSchema = z.strictObject({
  date: dateSchema,
  replacement: labelNameSchema.optional(),
  reason: z.string().max(2_000, 'must be at most 2000 characters').optional(),
});

/** Checks a label name from a URL; 400 naming `name` when it does not follow `<group>_<Name>`. */
export function checkName(name: string): { group: string } {
  const parsed = parseLabelName(name);
  if (!parsed.ok) throw invalid('name', parsed.reason);
  return { group: parsed.group };
}

/**
 * The schemas' strict input check plus its cross-field rules (status transitions from `previous`, deprecation
 * needs a date, known group when a registry is given): every problem at once.
 */
export function parseContent(
  body: unknown,
  name: string,
  previous: LabelRecord | undefined,
  registry: GroupRegistry | undefined,
): LabelInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalid('(root)', 'must be a JSON object');
  const result = validateLabelInput(body, {
    name,
    previous,
    ...(registry === undefined ? {} : { registry }),
  });
  if (!result.ok) throw new DocInvalidInputError(result.errors);
  return result.value;
}

/** Label writes: validation, preconditions and record building on top of kv-store's versioned puts. */
export class LabelService {
  readonly #store: LabelStore;
  readonly #now: () => Date;
  readonly #registry: GroupRegistry | undefined;
  readonly #deleted = new Map<string, number>();
  constructor(store: LabelStore, now: () => Date = () => new Date(), registry?: GroupRegistry) {
    this.#store = store;
    this.#now = now;
    this.#registry = registry;
  }

  get(name: string): VersionedLabel {
    checkName(name);
    const found = this.#store.get(name);
    if (found === undefined) throw new DocLabelNotFoundError(name);
    return found;
  }

  /** Create or replace. */
  async put(name: string, body: unknown, ctx: WriteContext): Promise<WriteResult> {
    const { group } = checkName(name);
    const content = parseContent(body, name, this.#store.get(name)?.value, this.#registry);
    return this.#write(name, group, content, ctx, false);
  }

  /** Merges the given fields into the current content; `null` clears an optional field. */
  async patch(name: string, body: unknown, ctx: WriteContext): Promise<WriteResult> {
    const { group } = checkName(name);
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw invalid('(root)', 'must be a JSON object with the fields to change');
    const current = this.#store.get(name);
    if (current === undefined) throw new DocLabelNotFoundError(name);
    const merged: Record<string, unknown> = { ...contentOf(current.value) };
    const unknown: string[] = [];
    for (const [field, value] of Object.entries(body)) {
      if (!(CONTENT_FIELDS as string[]).includes(field)) unknown.push(field);
      else if (value === null) delete merged[field];
      else merged[field] = value;
    }
    if (unknown.length > 0)
      throw new DocInvalidInputError(unknown.map((path) => ({ path, message: 'is not a label field' })));
    return this.#write(name, group, parseContent(merged, name, current.value, this.#registry), ctx, true);
  }

  async deprecate(name: string, body: unknown, ctx: WriteContext): Promise<WriteResult> {
    const { group } = checkName(name);
    const parsed = deprecateSchema.safeParse(body ?? {});
    if (!parsed.success) throw new DocInvalidInputError(issuesToFieldErrors(parsed.error.issues));
    const current = this.#store.get(name);
    if (current === undefined) throw new DocLabelNotFoundError(name);
    const { replacement, reason, date } = parsed.data;
    if (replacement === name) throw invalid('replacement', 'must be another label');
    if (replacement !== undefined && this.#store.get(replacement) === undefined)
      throw invalid('replacement', `no label named ${replacement}`);
    const content = parseContent(
      {
        ...contentOf(current.value),
        status: 'deprecated',
        deprecation: {
          date,
          ...(replacement === undefined ? {} : { replacement }),
          ...(reason === undefined ? {} : { reason }),
        },
      },
      name,
      current.value,
      this.#registry,
    );
    return this.#write(name, group, content, { ...ctx, reason: ctx.reason ?? reason }, true);
  }

  async delete(name: string, ctx: WriteContext): Promise<number> {
    checkName(name);
    const current = this.#store.get(name);
    const expected = expectedVersion(name, current?.version, ctx.precondition, true);
    const version = await this.#store.delete(name, { expectedVersion: expected, meta: meta(ctx) });
    this.#deleted.set(name, version);
    // Bounded: only recent deletes matter (for history's read-your-writes).
    if (this.#deleted.size > 10_000) this.#deleted.delete(this.#deleted.keys().next().value!);
    return version;
  }

  /** The newest version this instance knows of (a delete leaves no record but still has a version). */
  knownVersion(name: string): number {
    return Math.max(this.#store.get(name)?.version ?? 0, this.#deleted.get(name) ?? 0);
  }

  async #write(
    name: string,
    group: string,
    content: LabelInput,
    ctx: WriteContext,
    mustExist: boolean,
  ): Promise<WriteResult> {
    const current = this.#store.get(name);
    const expected = expectedVersion(name, current?.version, ctx.precondition, mustExist);
    const record = toRecord(name, group, content, ctx.actor, this.#now().toISOString(), current?.value);
    const label = await this.#store.put(name, record, { expectedVersion: expected, meta: meta(ctx) });
    return { created: expected === 0, label };
  }
}

const meta = (ctx: WriteContext) => ({
  actor: ctx.actor,
  ...(ctx.reason === undefined ? {} : { reason: ctx.reason }),
});
