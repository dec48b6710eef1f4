import { describe, expect, it } from 'vitest';
import { buildApp, loadEnv } from '../src/index.js';

describe('backup-worker health', () => {
  it('is live, and ready only when nothing holds it back', async () => {
    let reason: string | undefined = 'bootstrapping';
    const app = buildApp({ notReadyReason: () => reason });
    expect((await app.inject('/health/live')).statusCode).toBe(200);
    const notReady = await app.inject('/health/ready');
    expect(notReady.statusCode).toBe(503);
    expect(notReady.headers['retry-after']).toBe('1');
    reason = undefined;
    expect((await app.inject('/health/ready')).statusCode).toBe(200);
    const metrics = await app.inject('/metrics');
    expect(metrics.body).toContain('app="backup-worker"');
    await app.close();
  });

  it('rejects a bad port naming the variable', () => {
    expect(() => loadEnv({ PORT: 'eighty' })).toThrow(/PORT:/);
  });
});
