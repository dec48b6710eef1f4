import { describe, expect, it } from 'vitest';
import { backupPrefix, manifestKey } from '../src/index.js';

describe('object keys', () => {
  it('puts the manifest under the backup prefix', () => {
    expect(manifestKey('labels', '2026-01-01T00-00-00Z')).toBe(
      'backups/labels/2026-01-01T00-00-00Z/manifest.json',
    );
  });
  it('refuses names that would escape the prefix', () => {
    expect(() => backupPrefix('a/b', 'x')).toThrow('must not contain');
  });
});
