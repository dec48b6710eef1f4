import type { DecodeResult } from './codec.js';
import { type FieldError, issuesToFieldErrors } from './field-errors.js';
import { type GroupRegistry, isKnownGroup } from './groups.js';
import { parseLabelName } from './label-name.js';
import {
  type LabelInput,
  type LabelRecord,
  type LabelStatus,
  labelInputSchema,
  labelStatusSchema,
} from './label-record.js';
import { dateSchema, labelNameSchema } from './primitives.js';
import { transitionProblem } from './status.js';

export interface LabelRuleOptions {
  /** The label's name (from the URL); enables the name and self-replacement checks. */
  name?: string;
  /** The stored record being replaced, if any; enables the status transition check. */
  previous?: Pick<LabelRecord, 'status'> | undefined;
  /** When given, the name's group must be registered in it. */
  registry?: GroupRegistry;
}

function field<T>(schema: { safeParse(v: unknown): { success: boolean; data?: T } }, value: unknown) {
  const r = schema.safeParse(value);
  return r.success ? (r.data as T) : undefined;
}

const asObject = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/**
 * The rules that span fields or need context. They run on the raw input, each on the fields it needs
 * when those are individually valid, so one call reports cross-field problems next to schema problems.
 */
export function labelRuleProblems(input: unknown, options: LabelRuleOptions = {}): FieldError[] {
  const problems: FieldError[] = [];
  const raw = asObject(input);
  const deprecation = asObject(raw.deprecation);
  const status = raw.status === undefined ? 'draft' : field<LabelStatus>(labelStatusSchema, raw.status);
  const startOfUse = field<string>(dateSchema, raw.startOfUse);
  const deprecationDate = field<string>(dateSchema, deprecation.date);
  const replacement = field<string>(labelNameSchema, deprecation.replacement);

  if (startOfUse !== undefined && deprecationDate !== undefined && deprecationDate < startOfUse)
    problems.push({ path: 'deprecation.date', message: `must not be before startOfUse (${startOfUse})` });
  if (status === 'deprecated' && raw.deprecation === undefined)
    problems.push({
      path: 'deprecation',
      message: 'is required when status is deprecated (date, replacement)',
    });
  if (options.name !== undefined) {
    const parsed = parseLabelName(options.name);
    if (!parsed.ok) problems.push({ path: 'name', message: parsed.reason });
    else if (options.registry !== undefined && !isKnownGroup(parsed.group, options.registry))
      problems.push({ path: 'name', message: `group "${parsed.group}" is not registered` });
    if (replacement !== undefined && replacement === options.name)
      problems.push({ path: 'deprecation.replacement', message: 'must not be the label itself' });
  }
  if (options.previous !== undefined && status !== undefined) {
    const problem = transitionProblem(options.previous.status, status);
    if (problem !== undefined) problems.push({ path: 'status', message: problem });
  }
  return problems;
}

/**
 * Validates the body of `PUT /labels/:name`: the strict schema (unknown fields rejected) plus the
 * cross-field rules, all problems at once with their field paths.
 */
export function validateLabelInput(input: unknown, options: LabelRuleOptions = {}): DecodeResult<LabelInput> {
  const parsed = labelInputSchema.safeParse(input);
  const errors = [
    ...(parsed.success ? [] : issuesToFieldErrors(parsed.error.issues)),
    ...labelRuleProblems(input, options),
  ];
  if (errors.length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, value: parsed.data };
}
