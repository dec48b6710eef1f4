import { type LabelInput, type LabelRecord, labelInputSchema } from '@labeldocs/schemas';

/** The analyst-editable fields of a record, in schema order. */
export const CONTENT_FIELDS = Object.keys(labelInputSchema.shape) as Array<keyof LabelInput>;

export function contentOf(record: LabelRecord): LabelInput {
  const out: Record<string, unknown> = {};
  for (const field of CONTENT_FIELDS) if (record[field] !== undefined) out[field] = record[field];
  return out as LabelInput;
}

/** A stable JSON form for comparing contents regardless of key order. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

export const sameContent = (a: LabelInput, b: LabelInput): boolean => canonical(a) === canonical(b);

/** Builds the stored record from validated content, keeping who created it first. */
export function toRecord(
  name: string,
  group: string,
  content: LabelInput,
  actor: string,
  now: string,
  previous: LabelRecord | undefined,
): LabelRecord {
  return {
    name,
    group,
    ...content,
    createdBy: previous?.createdBy ?? actor,
    createdAt: previous?.createdAt ?? now,
    updatedBy: actor,
    updatedAt: now,
  };
}
