/**
 * Change events live in the state topic itself, next to the state records they describe: same partition, same
 * record batch, so one Produce writes both or neither (no transaction needed). Their keys are unique per write,
 * so compaction never removes one, and start with a byte no store key may start with, so every reader of the
 * state topic tells them apart from state records by the first byte. See docs/kv-store.md, "Change events".
 */
const MARK = 0x00;
const SEPARATOR = '\u0000';

/** The key of the change event of one accepted write: `\0<key>\0<request id>` (request ids are UUIDs). */
export function changelogKey(key: string, requestId: string): string {
  return `${SEPARATOR}${key}${SEPARATOR}${requestId}`;
}

/** True for a change event's key; store keys never start with U+0000 (put and delete refuse them). */
export function isChangelogKey(key: Buffer | string): boolean {
  return typeof key === 'string' ? key.charCodeAt(0) === MARK : key.length > 0 && key[0] === MARK;
}

/** The store key a change event belongs to, or undefined if `key` is not a change event's key. */
export function changelogKeyOwner(key: Buffer | string): string | undefined {
  if (!isChangelogKey(key)) return undefined;
  const text = typeof key === 'string' ? key : key.toString();
  const end = text.lastIndexOf(SEPARATOR);
  return end > 0 ? text.slice(1, end) : undefined;
}

/** Why a store key cannot be used, or undefined when it can. */
export function invalidKeyReason(key: string): string | undefined {
  if (key.charCodeAt(0) === MARK) return 'keys starting with U+0000 are reserved for change events';
  return undefined;
}
