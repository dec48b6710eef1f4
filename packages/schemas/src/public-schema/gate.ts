import { type CompatibilityReport, checkCompatibility } from './compatibility.js';
import { type JsonSchema, SCHEMA_VERSION_KEYWORD } from './json-schema.js';

/** A JSON Schema together with the public format version it describes. */
export interface SchemaSnapshot {
  version: string;
  schema: JsonSchema;
}

export interface SchemaGateResult {
  /** Version rules the change violates; empty when the change is allowed. */
  problems: string[];
  /** `write`: the committed snapshot must be (re)written by `export-schema`; `none`: it is current. */
  action: 'none' | 'write';
  report: CompatibilityReport;
}

const EXPORT = 'pnpm --filter @labeldocs/schemas export-schema';

function semver(version: string): [number, number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  return m === null ? undefined : [Number(m[1]), Number(m[2]), Number(m[3])];
}
const compareVersions = (a: number[], b: number[]) =>
  a.map((x, i) => x - (b[i] ?? 0)).find((d) => d !== 0) ?? 0;

function withoutVersion(schema: JsonSchema): JsonSchema {
  const { [SCHEMA_VERSION_KEYWORD]: _version, ...rest } = schema;
  return rest;
}

/**
 * The compatibility gate: may the public schema go from the committed snapshot (the latest major's) to the
 * current one under the current version? Breaking changes need a new major, other schema changes a new
 * minor, annotation-only changes at least a new patch; a version never goes backwards.
 */
export function evaluateSchemaChange(
  snapshot: SchemaSnapshot | undefined,
  current: SchemaSnapshot,
): SchemaGateResult {
  const empty: CompatibilityReport = { breaking: [], nonBreaking: [] };
  const now = semver(current.version);
  if (now === undefined)
    return {
      problems: [`version ${current.version} is not semver MAJOR.MINOR.PATCH`],
      action: 'none',
      report: empty,
    };
  if (snapshot === undefined) return { problems: [], action: 'write', report: empty };
  const before = semver(snapshot.version);
  if (before === undefined)
    return {
      problems: [`snapshot version ${snapshot.version} is not semver`],
      action: 'none',
      report: empty,
    };

  const report = checkCompatibility(snapshot.schema, current.schema);
  const changed =
    JSON.stringify(withoutVersion(snapshot.schema)) !== JSON.stringify(withoutVersion(current.schema));
  const order = compareVersions(now, before);
  const problems: string[] = [];
  if (order < 0) problems.push(`version went backwards: ${snapshot.version} -> ${current.version}`);
  else if (now[0] === before[0]) {
    const next = `${before[0]}.${before[1] + 1}.0`;
    if (report.breaking.length > 0)
      problems.push(
        `breaking changes need a new major version (PUBLIC_SCHEMA_VERSION ${before[0] + 1}.0.0):\n  ` +
          report.breaking.join('\n  '),
      );
    else if (report.nonBreaking.length > 0 && now[1] <= before[1])
      problems.push(
        `schema changes need a new minor version (PUBLIC_SCHEMA_VERSION ${next}), then ${EXPORT}:\n  ` +
          report.nonBreaking.join('\n  '),
      );
    else if (changed && order === 0)
      problems.push(`documentation of the schema changed: raise at least the patch version, then ${EXPORT}`);
  }
  const action = problems.length === 0 && (changed || order !== 0) ? 'write' : 'none';
  return { problems, action, report };
}
