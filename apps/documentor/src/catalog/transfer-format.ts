import type { FieldError, LabelInput } from '@labeldocs/schemas';
import { parseCsv, toCsv } from './csv.js';
import { contentOf } from './label-content.js';
import type { VersionedLabel } from './types.js';

/** CSV columns; structured fields travel as JSON in their cell so an export re-imports unchanged. */
export const CSV_COLUMNS = [
  'name',
  'version',
  'description',
  'ownerTeam',
  'valueType',
  'examples',
  'piiIsPii',
  'piiCategory',
  'tags',
  'status',
  'startOfUse',
  'deprecationDate',
  'deprecationReplacement',
  'deprecationReason',
] as const;
const JSON_COLUMNS = new Set(['valueType', 'examples', 'tags']);

/** One exported label: its name, the version it was exported at, and its content. */
export type ExportItem = { name: string; version: number } & LabelInput;

export const exportItem = (name: string, label: VersionedLabel): ExportItem => ({
  name,
  version: label.version,
  ...contentOf(label.value),
});

export function exportCsv(items: ExportItem[]): string {
  return toCsv(
    [...CSV_COLUMNS],
    items.map((i) => [
      i.name,
      String(i.version),
      i.description,
      i.ownerTeam,
      JSON.stringify(i.valueType),
      JSON.stringify(i.examples),
      String(i.pii.isPii),
      i.pii.category,
      JSON.stringify(i.tags),
      i.status,
      i.startOfUse ?? '',
      i.deprecation?.date ?? '',
      i.deprecation?.replacement ?? '',
      i.deprecation?.reason ?? '',
    ]),
  );
}

/** CSV rows as import items (plain objects, validated later like JSON items); cell problems name row and column. */
export function csvToItems(text: string): { items: unknown[]; errors: FieldError[] } {
  const [header, ...rows] = parseCsv(text);
  const errors: FieldError[] = [];
  if (header === undefined)
    return { items: [], errors: [{ path: '(root)', message: 'CSV has no header row' }] };
  const unknown = header.filter((h) => !(CSV_COLUMNS as readonly string[]).includes(h));
  if (unknown.length > 0) errors.push({ path: 'header', message: `unknown columns: ${unknown.join(', ')}` });
  if (!header.includes('name')) errors.push({ path: 'header', message: 'needs a name column' });
  const items = rows.map((row, r) => {
    const cell: Record<string, string> = {};
    header.forEach((h, c) => {
      if (row[c] !== undefined && row[c] !== '') cell[h] = row[c];
    });
    for (const column of JSON_COLUMNS)
      if (cell[column] !== undefined) {
        try {
          JSON.parse(cell[column]);
        } catch {
          errors.push({
            path: `[${r}].${column}`,
            message: 'must be JSON, e.g. ["a","b"] or {"kind":"string"}',
          });
          delete cell[column];
        }
      }
    const json = (k: string) => (cell[k] === undefined ? undefined : (JSON.parse(cell[k]) as unknown));
    const item: Record<string, unknown> = {
      name: cell.name,
      version: cell.version === undefined ? undefined : Number(cell.version),
      description: cell.description,
      ownerTeam: cell.ownerTeam,
      valueType: json('valueType'),
      examples: json('examples'),
      tags: json('tags'),
      status: cell.status,
      startOfUse: cell.startOfUse,
    };
    if (cell.piiIsPii !== undefined || cell.piiCategory !== undefined)
      item.pii = { isPii: cell.piiIsPii === 'true', category: cell.piiCategory ?? 'none' };
    if (cell.deprecationDate !== undefined)
      item.deprecation = {
        date: cell.deprecationDate,
        replacement: cell.deprecationReplacement,
        reason: cell.deprecationReason,
      };
    return Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined));
  });
  return { items, errors };
}
