import { PUBLIC_SCHEMA_VERSION } from '@labeldocs/schemas';
import { SchemaIncompatibleError } from './errors.js';

function parse(version: string): [number, number, number] {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (m === null) throw new SchemaIncompatibleError(`schemaVersion "${version}" is not semver`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/**
 * The compatibility rules (docs/public-topic.md): one public topic carries one major version. Records of an
 * older minor or patch of the same major are republished in the new version on start; records of another
 * major, or of a newer version than this build writes, stop the publisher (an old build must never overwrite
 * newer records, and a new major goes to a new topic).
 */
export function checkPublishedVersions(published: Iterable<string>, ours = PUBLIC_SCHEMA_VERSION): void {
  const [major, minor, patch] = parse(ours);
  for (const version of published) {
    const [theirMajor, theirMinor, theirPatch] = parse(version);
    if (theirMajor !== major) {
      throw new SchemaIncompatibleError(
        `the public topic holds schema ${version} but this publisher writes ${ours}: a new major version ` +
          'must be published to a new topic (set PUBLIC_TOPIC)',
      );
    }
    if (theirMinor > minor || (theirMinor === minor && theirPatch > patch)) {
      throw new SchemaIncompatibleError(
        `the public topic holds schema ${version}, newer than ${ours} this publisher writes: deploy the newer publisher`,
      );
    }
  }
}
