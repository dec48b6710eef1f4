import { describe, expect, it } from 'vitest';
import { checkPublishedVersions } from '../src/index.js';

describe('schema compatibility rules', () => {
  it('accepts the same version and older minors or patches of the same major', () => {
    expect(() => checkPublishedVersions(['1.0.0', '1.2.3', '1.3.0'], '1.3.0')).not.toThrow();
    expect(() => checkPublishedVersions([], '1.0.0')).not.toThrow();
  });

  it('refuses another major, a newer version and a version that is not semver, by code', () => {
    for (const published of ['2.0.0', '0.9.0', '1.3.1', '1.4.0', 'one']) {
      expect(() => checkPublishedVersions([published], '1.3.0')).toThrow(
        expect.objectContaining({ code: 'PUB_SCHEMA_INCOMPATIBLE', retryable: false }),
      );
    }
  });
});
