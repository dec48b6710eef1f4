import { describe, expect, it } from 'vitest';
import { hashTokens, isOpsToken, loadEnv, presentedToken } from '../src/index.js';
import { startWorker, workerEnv } from './helpers.js';

describe('backup-worker http face', () => {
  it('is live and ready once started, and exposes the backup metrics', async () => {
    const app = await startWorker(await workerEnv({ BACKUP_TOPICS: 'a.topic' }));
    expect((await app.http.inject('/health/live')).statusCode).toBe(200);
    expect((await app.http.inject('/health/ready')).statusCode).toBe(200);
    const metrics = (await app.http.inject('/metrics')).body;
    expect(metrics).toContain('app="backup-worker"');
    expect(metrics).toContain(
      'labeldocs_backup_last_success_age_seconds{topic="a.topic",app="backup-worker"} +Inf',
    );
    await app.close();
    const closing = await app.http.inject('/health/ready');
    expect(closing.statusCode).toBe(503);
    expect(closing.json()).toMatchObject({ reason: 'closing' });
  });

  it('admits only ops tokens to the bull-board dashboard', async () => {
    const app = await startWorker(
      await workerEnv({
        BACKUP_OPS_TOKENS: `plain-token,sha256:${hashTokens(['hashed-token'])[0]!.toString('hex')}`,
      }),
    );
    expect((await app.http.inject('/admin/queues')).statusCode).toBe(401);
    expect(
      (await app.http.inject({ url: '/admin/queues', headers: { authorization: 'Bearer wrong' } }))
        .statusCode,
    ).toBe(401);
    const ok = await app.http.inject({
      url: '/admin/queues/api/queues',
      headers: { authorization: 'Bearer plain-token' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('"name":"backup"');
    const basic = `Basic ${Buffer.from('ops:hashed-token').toString('base64')}`;
    expect(
      (await app.http.inject({ url: '/admin/queues', headers: { authorization: basic } })).statusCode,
    ).toBe(200);
  });

  it('compares tokens by digest and rejects an empty configuration', () => {
    expect(isOpsToken([], 'x')).toBe(false);
    expect(isOpsToken(hashTokens(['a', 'b']), 'b')).toBe(true);
    expect(presentedToken('Bearer abc')).toBe('abc');
    expect(presentedToken('Token abc')).toBeUndefined();
  });

  it('reports every bad variable at once, naming each', () => {
    expect(() => loadEnv({ PORT: 'eighty', REDIS_URL: 'http://x', S3_PRIMARY_ACCESS_KEY_ID: '' })).toThrow(
      /PORT:[\s\S]*REDIS_URL:[\s\S]*S3_PRIMARY_ACCESS_KEY_ID:/,
    );
  });
});
