import { randomUUID } from 'node:crypto';
import { BackupLockedError, type HeldLock, type TopicLock } from '@labeldocs/s3-backup';
import type { Redis } from 'ioredis';

const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

export interface RedisLockOptions {
  redis: Redis;
  /** Key namespace, e.g. `labeldocs:backup:lock`. */
  prefix: string;
  /** Expiry; a crashed holder's lock frees itself after this. Renewed every third of it. */
  ttlMs: number;
  /** Called when a renewal finds the lock lost (expired and taken); the holder should stop. */
  onLost?: (topic: string) => void;
}

/**
 * One holder per topic across every worker process: SET NX PX with a random token, renewed while held,
 * released only by its holder (compare-and-delete), so a stalled holder cannot free someone else's lock.
 */
export function redisTopicLock(opts: RedisLockOptions): TopicLock {
  return async (topic: string): Promise<HeldLock> => {
    const key = `${opts.prefix}:${topic}`;
    const token = randomUUID();
    const ok = await opts.redis.set(key, token, 'PX', opts.ttlMs, 'NX');
    if (ok !== 'OK')
      throw new BackupLockedError(`topic ${topic} is locked by another backup or restore (${key})`);
    const timer = setInterval(
      () => {
        opts.redis.eval(RENEW, 1, key, token, opts.ttlMs).then(
          (renewed) => {
            if (renewed === 0) opts.onLost?.(topic);
          },
          () => undefined, // a Redis hiccup: the next renewal tries again before the expiry
        );
      },
      Math.max(250, Math.floor(opts.ttlMs / 3)),
    );
    timer.unref();
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        clearInterval(timer);
        await opts.redis.eval(RELEASE, 1, key, token);
      },
    };
  };
}
