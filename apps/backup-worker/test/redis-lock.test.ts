import { randomUUID } from 'node:crypto';
import { testEnv } from '@labeldocs/testkit';
import { Redis } from 'ioredis';
import { describe, expect, it, onTestFinished } from 'vitest';
import { redisTopicLock } from '../src/index.js';

describe('redis topic lock', () => {
  it('admits one holder, renews while held, and frees a crashed holder’s lock at expiry', async () => {
    const redis = new Redis(testEnv().redisUrl);
    onTestFinished(() => void redis.disconnect());
    const prefix = `t-lock-${randomUUID()}`;
    const lock = redisTopicLock({ redis, prefix, ttlMs: 600 });
    const held = await lock('labels');
    await new Promise((r) => setTimeout(r, 1500)); // well past the ttl: only renewal keeps it
    await expect(lock('labels')).rejects.toMatchObject({ code: 'BACKUP_LOCKED', retryable: true });
    const other = await lock('tracked');
    await held.release();
    await (await lock('labels')).release();
    await other.release();

    // A holder that died without releasing: its key simply expires.
    await redis.set(`${prefix}:crashed`, 'someone-else', 'PX', 300);
    await expect(lock('crashed')).rejects.toMatchObject({ code: 'BACKUP_LOCKED' });
    await new Promise((r) => setTimeout(r, 400));
    const taken = await lock('crashed');
    // Releasing never deletes a lock the releaser does not hold.
    await redis.set(`${prefix}:crashed`, 'new-owner', 'PX', 5000);
    await taken.release();
    expect(await redis.get(`${prefix}:crashed`)).toBe('new-owner');
    await redis.del(`${prefix}:crashed`);
  });
});
