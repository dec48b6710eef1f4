import type { OwnState } from './plan.js';
import type { StateTable } from './state-table.js';
import type { Owned } from './writer-fence.js';

/**
 * A writer's view of a key: the table's state, or its own decision when that is newer (the overlay holds only
 * decisions whose records could not be applied to the table at once). The overlay is only ever ahead of the
 * log; once the log caught up, the entry is dropped.
 */
export function ownKeyState<T>(table: StateTable<T>, owned: Owned<T>, key: string): OwnState<T> {
  const fromLog = { ...table.keyState(key), value: table.map.get(key)?.value };
  const mine = owned.overlay.get(key);
  if (mine === undefined || fromLog.lastVersion >= mine.lastVersion) {
    if (mine !== undefined) owned.overlay.delete(key);
    return fromLog;
  }
  return mine;
}

/** Forget decisions the log has caught up with, so the overlay holds only writes still in flight. */
export function pruneOverlay<T>(table: StateTable<T>, owned: Owned<T>): void {
  for (const [key, mine] of owned.overlay) {
    if (table.keyState(key).lastVersion >= mine.lastVersion) owned.overlay.delete(key);
  }
}
