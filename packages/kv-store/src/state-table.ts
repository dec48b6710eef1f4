import type { KeyState } from './decide.js';
import type { Change, Versioned } from './types.js';

/** The in-memory table every instance holds; changed only by applying state records in log order. */
export class StateTable<T> {
  readonly map = new Map<string, Versioned<T>>();
  /** Version of keys whose last record is a tombstone, so a recreated key keeps counting. */
  readonly deletedVersions = new Map<string, number>();
  readonly listeners = new Set<(change: Change<T>) => void>();
  recordsApplied = 0;
  onListenerError: (error: unknown) => void = () => undefined;

  keyState(key: string): KeyState {
    const current = this.map.get(key);
    if (current !== undefined) return { exists: true, lastVersion: current.version };
    return { exists: false, lastVersion: this.deletedVersions.get(key) ?? 0 };
  }

  apply(
    key: string,
    value: T | null,
    version: number,
    partition: number,
    offset: string,
    timestamp: number,
  ): Change<T> | undefined {
    const previous = this.map.get(key);
    let current: Versioned<T> | undefined;
    if (value === null) {
      this.map.delete(key);
      this.deletedVersions.set(key, version);
    } else {
      current = { value, version };
      this.map.set(key, current);
      if (this.deletedVersions.size > 0) this.deletedVersions.delete(key);
    }
    this.recordsApplied += 1;
    if (this.listeners.size === 0) return undefined;
    const change: Change<T> = { key, previous, current, version, partition, offset, timestamp };
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        // A subscriber's bug must not stop the table from applying the log.
        this.onListenerError(error);
      }
    }
    return change;
  }
}
