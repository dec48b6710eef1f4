import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  defaultGroupRegistry,
  isKnownGroup,
  loadGroupRegistry,
  parseGroupRegistry,
  SchemaGroupRegistryError,
} from '../src/index.js';

const group = (name: string) => ({ name, title: 'T', description: 'D', ownerTeam: 'team' });

describe('group registry', () => {
  it('ships about 25 groups, each with a description and an owning team', () => {
    expect(defaultGroupRegistry.groups.length).toBeGreaterThanOrEqual(20);
    for (const g of defaultGroupRegistry.groups) {
      expect(g.description.length).toBeGreaterThan(10);
      expect(g.ownerTeam.length).toBeGreaterThan(0);
    }
    expect(defaultGroupRegistry.byName.get('san')?.title).toBe('Site search');
  });

  it('docs/schemas.md lists every registered group with its owner', () => {
    const doc = readFileSync(new URL('../../../docs/schemas.md', import.meta.url), 'utf8');
    for (const g of defaultGroupRegistry.groups)
      expect(doc).toContain(`| \`${g.name}\` | ${g.title} | ${g.ownerTeam} |`);
  });

  it.each([
    ['san', true],
    ['order', true],
    ['san_SearchTerm', true],
    ['order_BasketItems', true],
    ['nope', false],
    ['nope_Thing', false],
    ['San', false],
    ['san_', false],
    ['', false],
  ])('isKnownGroup(%j) is %s', (name, known) => {
    expect(isKnownGroup(name)).toBe(known);
  });

  it('loads an edited registry file, so a group can be added without a release', () => {
    const dir = mkdtempSync(join(tmpdir(), 'groups-'));
    const file = join(dir, 'groups.json');
    writeFileSync(file, JSON.stringify({ groups: [group('san'), group('newgrp')] }));
    const registry = loadGroupRegistry(file);
    expect(isKnownGroup('newgrp_Thing', registry)).toBe(true);
    expect(isKnownGroup('order', registry)).toBe(false);
    expect(loadGroupRegistry()).toBe(defaultGroupRegistry);
  });

  it('rejects an invalid registry listing every problem', () => {
    const data = { groups: [group('san'), group('san'), { ...group('Bad-Name'), ownerTeam: '' }], extra: 1 };
    let error: unknown;
    try {
      parseGroupRegistry(data, 'groups.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SchemaGroupRegistryError);
    const message = (error as Error).message;
    expect((error as SchemaGroupRegistryError).code).toBe('SCHEMA_GROUP_REGISTRY_INVALID');
    expect(message).toContain('groups[2].name: must be lower-case letters and digits');
    expect(message).toContain('groups[2].ownerTeam: must not be empty');
    expect(message).toContain('extra: is not a known field');
  });

  it('reports duplicates once the entries themselves are valid', () => {
    expect(() => parseGroupRegistry({ groups: [group('san'), group('san')] })).toThrow(
      'groups[1].name: duplicate group "san"',
    );
  });

  it('reports an unreadable file with its path', () => {
    expect(() => loadGroupRegistry('/nonexistent/groups.json')).toThrow(
      /cannot read group registry \/nonexistent/,
    );
  });
});
