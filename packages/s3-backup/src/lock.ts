import { BackupLockedError } from './errors.js';

/** A held lock; `release()` is called exactly once when the operation ends (also on failure). */
export interface HeldLock {
  release(): Promise<void>;
}

/**
 * Acquires the exclusive lock for restoring or backing up `topic`, or throws BackupLockedError when another
 * holder has it. The worker supplies a Redis lock with expiry and renewal; the default only guards one process.
 */
export type TopicLock = (topic: string) => Promise<HeldLock>;

const held = new Set<string>();

export const inProcessLock: TopicLock = async (topic) => {
  if (held.has(topic))
    throw new BackupLockedError(`topic ${topic} is locked by another operation in this process`);
  held.add(topic);
  return { release: async () => void held.delete(topic) };
};
