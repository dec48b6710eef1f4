import { startIsolatedKafka } from '@labeldocs/testkit';
import { describe, expect, it, onTestFinished } from 'vitest';
import { type KafkaKeyValueStore, KvError } from '../src/index.js';
import { type Doc, eventually, openStore } from './helpers.js';

async function putOrError(store: KafkaKeyValueStore<Doc>, key: string, n: number) {
  try {
    return { ok: true as const, version: (await store.put(key, { n })).version };
  } catch (error) {
    return { ok: false as const, error: error as KvError };
  }
}

describe('broker outage', () => {
  it('reads go on from memory with a stale flag, writes fail retryably or succeed later, nothing acknowledged is lost', async () => {
    const kafka = await startIsolatedKafka();
    onTestFinished(() => kafka.destroy());
    const options = { brokers: kafka.brokers, writeTimeoutMs: 8_000, staleAfterMs: 4_000, partitions: 2 };
    const topic = 'outage-kv';
    const store = await openStore(topic, options);
    const acked = new Map<string, number>();
    for (let i = 0; i < 10; i += 1) acked.set(`k${i}`, (await store.put(`k${i}`, { n: i })).version);
    expect(store.metrics.stale).toBe(false);

    await kafka.kill();
    // A write in flight as the broker dies: it must settle, either applied or with a retryable error.
    const inflight = putOrError(store, 'inflight', 7);
    expect(store.metrics.writesInFlight).toBe(1);
    // Reads never touch the broker.
    for (let i = 0; i < 10; i += 1) expect(store.get(`k${i}`)?.value).toEqual({ n: i });
    await eventually(
      () => store.stale && store.metrics.stale,
      'the store notices the broker is gone',
      30_000,
    );

    const during = await putOrError(store, 'during', 1);
    expect(during.ok).toBe(false);
    if (!during.ok) {
      expect(during.error).toBeInstanceOf(KvError);
      expect(during.error.retryable).toBe(true);
      expect(['KV_BROKER_UNAVAILABLE', 'KV_TIMEOUT']).toContain(during.error.code);
    }

    await kafka.start();
    await eventually(() => !store.stale, 'the store reconnects without a restart', 60_000);
    // A write after the broker returns succeeds; the first tries may still race the writer's recovery.
    let after: Awaited<ReturnType<typeof putOrError>> | undefined;
    for (let i = 0; i < 20 && !after?.ok; i += 1) {
      after = await putOrError(store, 'after', 2);
      if (!after.ok) {
        expect(after.error.retryable).toBe(true);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    expect(after?.ok).toBe(true);
    for (let i = 0; i < 10; i += 1) acked.set(`k${i}`, (await store.put(`k${i}`, { n: i + 100 })).version);

    const settled = await inflight;
    expect(store.metrics.writesInFlight).toBe(0);
    if (!settled.ok) expect(settled.error.retryable).toBe(true);

    const fresh = await openStore(topic, { ...options, readOnly: true });
    if (settled.ok) expect(fresh.get('inflight')).toEqual({ value: { n: 7 }, version: settled.version });
    for (let i = 0; i < 10; i += 1) {
      expect(fresh.get(`k${i}`)).toEqual({ value: { n: i + 100 }, version: acked.get(`k${i}`) });
      expect(store.get(`k${i}`)).toEqual(fresh.get(`k${i}`));
    }
    expect(fresh.get('after')?.value).toEqual({ n: 2 });
  }, 180_000);
});
