import { describe, expect, it } from 'vitest';
import { buildApp, loadEnv, transactionalIdOf } from '../src/index.js';

describe('public-publisher health', () => {
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
    expect(metrics.body).toContain('app="public-publisher"');
    await app.close();
  });

  it('rejects a bad port naming the variable', () => {
    expect(() => loadEnv({ PORT: 'eighty' })).toThrow(/PORT:/);
  });

  it('defaults to the documented topics and reports every bad variable at once', () => {
    const env = loadEnv({});
    expect(env).toMatchObject({
      PORT: 8082,
      HOST: '127.0.0.1',
      LABELS_TOPIC: 'labeldocs.labels',
      TRACKED_LABELS_TOPIC: 'labeldocs.tracked-labels',
      PUBLIC_TOPIC: 'labeldocs.public-labels',
      PUBLISH_UNDOCUMENTED: true,
      REPUBLISH: false,
    });
    expect(transactionalIdOf(env)).toBe('labeldocs.public-publisher-0');
    expect(() => loadEnv({ PUBLISH_UNDOCUMENTED: 'yes', PUBLIC_TOPIC_PARTITIONS: '0' })).toThrow(
      /PUBLIC_TOPIC_PARTITIONS:[\s\S]*PUBLISH_UNDOCUMENTED: must be true or false, got "yes"/,
    );
  });
});
