import {
  type LabelRecord,
  PUBLIC_SCHEMA_VERSION,
  type PublicLabel,
  parseLabelName,
  type TrackedLabel,
} from '@labeldocs/schemas';

/** A documentation record as the labels topic carries it: the value plus the version from its header. */
export interface DocumentedLabel {
  record: LabelRecord;
  version: number;
}

export interface JoinOptions {
  /** Publish labels that are tracked but never documented, with `documentation.state = 'missing'`. */
  publishUndocumented: boolean;
  /** Defaults to this build's PUBLIC_SCHEMA_VERSION. */
  schemaVersion?: string;
}

type Documentation = PublicLabel['documentation'];

function documentation(doc: DocumentedLabel): Documentation {
  const r = doc.record;
  return {
    state: 'documented',
    version: doc.version,
    description: r.description,
    ownerTeam: r.ownerTeam,
    valueType: r.valueType,
    pii: r.pii,
    status: r.status,
    ...(r.startOfUse === undefined ? {} : { startOfUse: r.startOfUse }),
    ...(r.deprecation === undefined ? {} : { deprecationDate: r.deprecation.date }),
    ...(r.deprecation?.replacement === undefined ? {} : { replacement: r.deprecation.replacement }),
    updatedAt: r.updatedAt,
  };
}

/**
 * The public record for one label, or undefined when the label must not be on the public topic
 * (neither side knows it, only tracked while undocumented labels are not published, or a tracked name
 * that is not a valid label name).
 */
export function joinLabel(
  name: string,
  doc: DocumentedLabel | undefined,
  tracked: TrackedLabel | undefined,
  options: JoinOptions,
): PublicLabel | undefined {
  if (doc === undefined && (tracked === undefined || !options.publishUndocumented)) return undefined;
  const parsed = parseLabelName(name);
  if (!parsed.ok) return undefined;
  return {
    schemaVersion: options.schemaVersion ?? PUBLIC_SCHEMA_VERSION,
    name,
    group: doc?.record.group ?? parsed.group,
    documentation: doc === undefined ? { state: 'missing' } : documentation(doc),
    tracking:
      tracked === undefined
        ? { state: 'untracked' }
        : {
            state: 'tracked',
            firstSeen: tracked.firstSeen,
            lastSeen: tracked.lastSeen,
            valueTypes: [...tracked.valueTypes],
          },
  };
}

/** JSON with object keys sorted, so equal records compare equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

function withoutStamps(doc: Documentation): unknown {
  if (doc.state !== 'documented') return doc;
  const { version: _version, updatedAt: _updatedAt, ...content } = doc;
  return content;
}

/**
 * What to publish for a label given what was last published: the candidate, except that a documentation
 * whose consumer-visible content did not change keeps the published `version` and `updatedAt`. An edit of
 * internal-only fields (tags, examples, editors) bumps the internal version but must publish nothing.
 */
export function reconcile(previous: PublicLabel | undefined, candidate: PublicLabel): PublicLabel {
  if (previous === undefined) return candidate;
  const before = previous.documentation;
  const after = candidate.documentation;
  if (
    before.state === 'documented' &&
    after.state === 'documented' &&
    canonicalJson(withoutStamps(before)) === canonicalJson(withoutStamps(after))
  ) {
    return { ...candidate, documentation: before };
  }
  return candidate;
}
