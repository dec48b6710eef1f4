import { DocLabelNotFoundError, DocVersionMismatchError, invalid } from '../errors.js';

/** What the client asserted about the current version, from `If-Match` / `If-None-Match`. */
export type Precondition =
  | { kind: 'none' }
  | { kind: 'any' }
  | { kind: 'absent' }
  | { kind: 'version'; version: number };

const VERSION_TAG = /^(?:W\/)?"?(\d{1,15})"?$/;

export function parsePreconditions(
  ifMatch: string | undefined,
  ifNoneMatch: string | undefined,
): Precondition {
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() !== '*')
      throw invalid('headers.if-none-match', 'only * is supported (create only)');
    return { kind: 'absent' };
  }
  if (ifMatch === undefined) return { kind: 'none' };
  const value = ifMatch.trim();
  if (value === '*') return { kind: 'any' };
  const match = VERSION_TAG.exec(value);
  if (match === null) throw invalid('headers.if-match', 'must be a version ETag like "3", or *');
  return { kind: 'version', version: Number(match[1]) };
}

/**
 * The `expectedVersion` to hand kv-store, or 412/404 when the client's precondition already fails against what
 * this instance holds. Without a precondition the version we hold is expected, so a write this instance has not
 * seen yet still loses with a 409 instead of being overwritten.
 */
export function expectedVersion(
  label: string,
  current: number | undefined,
  pre: Precondition,
  mustExist: boolean,
): number {
  if (mustExist && current === undefined && pre.kind !== 'version') throw new DocLabelNotFoundError(label);
  switch (pre.kind) {
    case 'none':
      return current ?? 0;
    case 'any':
      if (current === undefined)
        throw new DocVersionMismatchError(`${label} does not exist (If-Match: *)`, 0);
      return current;
    case 'absent':
      if (current !== undefined)
        throw new DocVersionMismatchError(`${label} already exists (If-None-Match: *)`, current);
      return 0;
    case 'version':
      if (pre.version !== (current ?? 0)) {
        if (mustExist && current === undefined) throw new DocLabelNotFoundError(label);
        throw new DocVersionMismatchError(
          `${label} is at version ${current ?? 0}, not ${pre.version}: someone else changed it first`,
          current ?? 0,
        );
      }
      return pre.version;
  }
}
