/** What the partition's writer knows about a key when a command reaches it. */
export interface KeyState {
  /** Whether the key currently has a value. */
  exists: boolean;
  /** Version of the last accepted write or delete (0: never written, or forgotten after compaction). */
  lastVersion: number;
}

export type Op = 'put' | 'delete';

export type Decision =
  | { kind: 'accept'; version: number }
  | { kind: 'conflict'; currentVersion: number }
  /** A delete of an absent key: nothing to write. */
  | { kind: 'noop'; currentVersion: number };

/**
 * The whole rule, pure so it can be property-tested. A write without expectedVersion is last-writer-wins;
 * with one, it is accepted only when the key's visible version (0 when absent) equals it.
 */
export function decide(state: KeyState, op: Op, expectedVersion: number | undefined): Decision {
  const currentVersion = state.exists ? state.lastVersion : 0;
  if (expectedVersion !== undefined && expectedVersion !== currentVersion) {
    return { kind: 'conflict', currentVersion };
  }
  if (op === 'delete' && !state.exists) return { kind: 'noop', currentVersion };
  // Versions keep counting across a delete so an old version can never match a recreated key.
  return { kind: 'accept', version: state.lastVersion + 1 };
}
