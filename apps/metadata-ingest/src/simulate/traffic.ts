import { setTimeout as sleep } from 'node:timers/promises';
import { createDemoCatalog, createImpressionGenerator } from '@labeldocs/demo-data';
import { Kafka, logLevel, type Message } from 'kafkajs';
import { ensureTopics } from '../kafka/topics.js';
import type { TrafficArgs } from './args.js';

export interface TrafficSummary {
  sent: number;
  malformed: number;
  newLabels: string[];
  elapsedMs: number;
  ratePerSecond: number;
}

export interface TrafficOptions extends TrafficArgs {
  brokers: string[];
  topic: string;
  /** Stops the traffic early (SIGINT/SIGTERM). */
  signal?: AbortSignal;
  onProgress?: (summary: TrafficSummary) => void;
}

const TICK_MS = 100;

/**
 * Produces simulated impressions at a steady rate until the duration, the count or the signal ends it.
 * Each tick sends what the rate owes so far, so a slow tick is caught up rather than lost.
 */
export async function runTraffic(o: TrafficOptions): Promise<TrafficSummary> {
  const catalog = createDemoCatalog({ seed: o.seed, labels: o.labels, groups: o.groups });
  const generator = createImpressionGenerator(catalog, {
    seed: o.seed + 1,
    labelsPerImpression: o.labelsPerImpression,
    malformedRate: o.malformedRate,
    newLabelRate: o.newLabelRate,
    source: 'simulator',
  });
  const kafka = new Kafka({ clientId: 'labeldocs-simulator', brokers: o.brokers, logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [{ topic: o.topic, partitions: 6 }]).finally(() => admin.disconnect());
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const started = Date.now();
  const summary = (): TrafficSummary => {
    const elapsedMs = Date.now() - started;
    return {
      sent,
      malformed,
      newLabels: [...generator.newLabels()],
      elapsedMs,
      ratePerSecond: sent / Math.max(0.001, elapsedMs / 1000),
    };
  };
  let sent = 0;
  let malformed = 0;
  let lastProgress = started;
  try {
    for (;;) {
      const elapsed = Date.now() - started;
      if (o.signal?.aborted) break;
      if (o.durationMs > 0 && elapsed >= o.durationMs) break;
      if (o.count !== undefined && sent >= o.count) break;
      let owed =
        Math.floor((Math.min(elapsed + TICK_MS, o.durationMs || Number.POSITIVE_INFINITY) / 1000) * o.rate) -
        sent;
      if (o.count !== undefined) owed = Math.min(owed, o.count - sent);
      const messages: Message[] = [];
      for (let i = 0; i < owed; i++) {
        const record = generator.next();
        if (record.ok) messages.push({ value: JSON.stringify(record.impression) });
        else {
          messages.push({ value: record.bytes });
          malformed++;
        }
      }
      for (let i = 0; i < messages.length; i += 2_000)
        await producer.send({ topic: o.topic, acks: -1, messages: messages.slice(i, i + 2_000) });
      sent += messages.length;
      if (Date.now() - lastProgress >= 5_000) {
        lastProgress = Date.now();
        o.onProgress?.(summary());
      }
      const nextTick = started + (Math.floor(elapsed / TICK_MS) + 1) * TICK_MS;
      await sleep(Math.max(0, nextTick - Date.now()), undefined, { signal: o.signal }).catch(() => undefined);
    }
  } finally {
    await producer.disconnect();
  }
  return summary();
}
