import { readFileSync } from 'node:fs';
import { z } from 'zod';
import defaultGroupsData from './data/groups.json' with { type: 'json' };
import { SchemaGroupRegistryError } from './errors.js';
import { formatFieldErrors, issuesToFieldErrors } from './field-errors.js';
import { parseLabelName } from './label-name.js';
import { nonEmptyText } from './primitives.js';

/** A group prefix: lower-case letters and digits, starting with a letter, 1-20 characters. */
export const GROUP_NAME_PATTERN = /^[a-z][a-z0-9]{0,19}$/;

/** One tracking group: the `<group>` in `<group>_<Name>`, owned by one team. */
export const groupSchema = z.strictObject({
  name: z
    .string()
    .max(20, 'must be at most 20 characters')
    .regex(GROUP_NAME_PATTERN, 'must be lower-case letters and digits, starting with a letter'),
  title: nonEmptyText(100),
  description: nonEmptyText(2_000),
  ownerTeam: nonEmptyText(100),
});
export type Group = z.infer<typeof groupSchema>;

/** The registry file's shape (`src/data/groups.json`); group names are unique. */
export const groupRegistryFileSchema = z
  .strictObject({ groups: z.array(groupSchema).min(1).max(500, 'must list at most 500 groups') })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.groups.forEach((group, i) => {
      if (seen.has(group.name))
        ctx.addIssue({
          code: 'custom',
          path: ['groups', i, 'name'],
          message: `duplicate group "${group.name}"`,
        });
      seen.add(group.name);
    });
  });

export interface GroupRegistry {
  readonly groups: readonly Group[];
  readonly byName: ReadonlyMap<string, Group>;
}

/** Validates registry data (e.g. a parsed JSON file); throws SchemaGroupRegistryError listing every problem. */
export function parseGroupRegistry(data: unknown, source = 'group registry'): GroupRegistry {
  const result = groupRegistryFileSchema.safeParse(data);
  if (!result.success) {
    const problems = formatFieldErrors(issuesToFieldErrors(result.error.issues));
    throw new SchemaGroupRegistryError(`${source} is invalid:\n${problems}`);
  }
  const groups = result.data.groups;
  return { groups, byName: new Map(groups.map((g) => [g.name, g])) };
}

/** The registry shipped with this package (`src/data/groups.json`, edited by pull request). */
export const defaultGroupRegistry: GroupRegistry = parseGroupRegistry(
  defaultGroupsData,
  'built-in groups.json',
);

/**
 * Loads a registry: the built-in one, or a JSON file with the same shape (so operators can add a group
 * without a release). Throws SchemaGroupRegistryError when the file is unreadable or invalid.
 */
export function loadGroupRegistry(filePath?: string): GroupRegistry {
  if (filePath === undefined) return defaultGroupRegistry;
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(filePath, 'utf8'));
  } catch (error) {
    throw new SchemaGroupRegistryError(
      `cannot read group registry ${filePath}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
  return parseGroupRegistry(data, filePath);
}

/**
 * Whether a group is registered. Accepts a group (`san`) or a whole label name (`san_SearchTerm`,
 * whose group is checked): group names never contain `_`, so the two cannot be confused.
 */
export function isKnownGroup(name: string, registry: GroupRegistry = defaultGroupRegistry): boolean {
  if (name.includes('_')) {
    const parsed = parseLabelName(name);
    return parsed.ok && registry.byName.has(parsed.group);
  }
  return registry.byName.has(name);
}
