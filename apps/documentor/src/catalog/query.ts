import { dateSchema, instantSchema, issuesToFieldErrors, LABEL_STATUSES } from '@labeldocs/schemas';
import { z } from 'zod';
import { DocInvalidInputError, invalid } from '../errors.js';
import type { CatalogEntry } from './types.js';

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');
const SORTS = ['name', 'group', 'status', 'updatedAt', 'lastSeen'] as const;

/** `GET /labels` query parameters; unknown parameters are errors so typos do not silently match everything. */
export const listQuerySchema = z.strictObject({
  q: z.string().max(200, 'must be at most 200 characters').optional(),
  group: z.string().max(20, 'must be at most 20 characters').optional(),
  status: z.enum(LABEL_STATUSES).optional(),
  owner: z.string().max(100, 'must be at most 100 characters').optional(),
  documented: bool.optional(),
  tracked: bool.optional(),
  deprecatedBefore: dateSchema.optional(),
  /** Only documented labels not seen in traffic for this many days (or never): `/groups`' `staleDocumented`. */
  staleDays: z.coerce.number().int('must be an integer').min(1).max(3650).optional(),
  sort: z
    .string()
    .regex(
      new RegExp(`^-?(${SORTS.join('|')})$`),
      `must be one of ${SORTS.join(', ')}, optionally prefixed with -`,
    )
    .default('name'),
  limit: z.coerce.number().int('must be an integer').min(1).max(500).default(50),
  cursor: z.string().max(1_000).optional(),
  asOf: instantSchema.optional(),
});
export type ListQuery = z.infer<typeof listQuerySchema>;

export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): z.output<S> {
  const result = schema.safeParse(query ?? {});
  if (!result.success)
    throw new DocInvalidInputError(
      issuesToFieldErrors(result.error.issues).map((f) => ({ ...f, path: `query.${f.path}` })),
    );
  return result.data;
}

// Records are replaced, never mutated, so the lower-cased text can hang off the record object itself.
const searchText = new WeakMap<object, string>();
function textOf(entry: CatalogEntry): string {
  const key = entry.label ?? entry;
  let text = searchText.get(key);
  if (text === undefined) {
    text = `${entry.name}\u0000${entry.label?.description ?? ''}`.toLowerCase();
    searchText.set(key, text);
  }
  return text;
}

function matches(entry: CatalogEntry, q: ListQuery, staleCutoff: string | undefined): boolean {
  const label = entry.label;
  if (q.group !== undefined && entry.group !== q.group) return false;
  if (q.status !== undefined && label?.status !== q.status) return false;
  if (q.owner !== undefined && label?.ownerTeam.toLowerCase() !== q.owner.toLowerCase()) return false;
  if (q.documented !== undefined && entry.documented !== q.documented) return false;
  if (q.tracked !== undefined && entry.tracked !== q.tracked) return false;
  if (
    q.deprecatedBefore !== undefined &&
    !(label?.deprecation && label.deprecation.date < q.deprecatedBefore)
  )
    return false;
  if (
    staleCutoff !== undefined &&
    !(entry.documented && (entry.tracking === null || entry.tracking.lastSeen < staleCutoff))
  )
    return false;
  if (q.q && !textOf(entry).includes(q.q.toLowerCase())) return false;
  return true;
}

type SortKey = string;
function sortValue(entry: CatalogEntry, field: string): SortKey {
  switch (field) {
    case 'group':
      return entry.group;
    case 'status':
      return entry.label?.status ?? '';
    case 'updatedAt':
      return entry.label?.updatedAt ?? '';
    case 'lastSeen':
      return entry.tracking?.lastSeen ?? '';
    default:
      return entry.name;
  }
}

export interface Page {
  items: CatalogEntry[];
  total: number;
  nextCursor: string | null;
}

/**
 * Filters, sorts and pages. The cursor is the last row's (sort value, name), so pages stay stable while
 * labels are added or removed between requests.
 */
export function queryEntries(entries: CatalogEntry[], q: ListQuery, now = new Date()): Page {
  const desc = q.sort.startsWith('-');
  const field = desc ? q.sort.slice(1) : q.sort;
  // The same cutoff groupCoverage uses for staleDocumented, so the list and the count agree.
  const staleCutoff =
    q.staleDays === undefined ? undefined : new Date(now.getTime() - q.staleDays * 86_400_000).toISOString();
  const keyed = entries
    .filter((e) => matches(e, q, staleCutoff))
    .map((e) => ({ e, k: sortValue(e, field) }))
    .sort((a, b) => compare(a.k, a.e.name, b.k, b.e.name) * (desc ? -1 : 1));
  let start = 0;
  if (q.cursor !== undefined) {
    const [k, name] = decodeCursor(q.cursor);
    start = keyed.findIndex((x) => compare(x.k, x.e.name, k, name) * (desc ? -1 : 1) > 0);
    if (start === -1) start = keyed.length;
  }
  const page = keyed.slice(start, start + q.limit);
  const last = page.at(-1);
  const more = start + q.limit < keyed.length;
  return {
    items: page.map((x) => x.e),
    total: keyed.length,
    nextCursor:
      more && last ? Buffer.from(JSON.stringify([last.k, last.e.name])).toString('base64url') : null,
  };
}

const compare = (ak: string, an: string, bk: string, bn: string) =>
  ak < bk ? -1 : ak > bk ? 1 : an < bn ? -1 : an > bn ? 1 : 0;

function decodeCursor(cursor: string): [string, string] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((p) => typeof p === 'string'))
      return parsed as [string, string];
  } catch {
    // fall through to the 400 below
  }
  throw invalid('query.cursor', 'is not a cursor this API returned');
}
