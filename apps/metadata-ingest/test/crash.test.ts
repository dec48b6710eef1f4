import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDemoCatalog, createImpressionGenerator } from '@labeldocs/demo-data';
import type { Impression } from '@labeldocs/schemas';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  createInputTopics,
  freshTopics,
  impressionMessage,
  produce,
  type Topics,
  trackedView,
  waitFor,
} from './helpers.js';

function startChild(t: Topics): {
  child: ChildProcess;
  ready: Promise<void>;
  stats: () => { replayedObservations: number };
} {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'fixtures/worker-child.mjs')], {
    env: { ...process.env, INGEST_TEST_TOPICS: JSON.stringify(t) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  onTestFinished(() => void child.kill('SIGKILL'));
  let last = { replayedObservations: 0 };
  let resolveReady: () => void;
  const ready = new Promise<void>((resolve) => {
    resolveReady = resolve;
  });
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (line === 'ready') resolveReady();
      else if (line.startsWith('{')) last = (JSON.parse(line) as { stats: typeof last }).stats;
    }
  });
  return { child, ready, stats: () => last };
}

function expectedTotals(impressions: Impression[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const imp of impressions)
    for (const name of Object.keys(imp.labels)) totals.set(name, (totals.get(name) ?? 0) + 1);
  return totals;
}

describe('crash safety (real SIGKILL)', () => {
  it('after kill -9 mid-stream and a restart, every label total is exact: nothing lost, nothing counted twice', async () => {
    const t = freshTopics();
    await createInputTopics(t, 3);
    const generator = createImpressionGenerator(createDemoCatalog({ labels: 200, groups: 10 }), {
      seed: 5,
      labelsPerImpression: 12,
      malformedRate: 0,
    });
    const all = Array.from({ length: 9_000 }, () => generator.impression());
    const view = await trackedView(t);
    const first = startChild(t);
    await first.ready;
    // Stream in chunks; kill once the worker has written (but not yet committed) a good part of it.
    let sent = 0;
    const chunk = 300;
    while (sent < 4_500) {
      await produce(
        t.impressions,
        all.slice(sent, sent + chunk).map((imp, i) => impressionMessage(imp, (sent + i) % 3)),
      );
      sent += chunk;
      await sleep(100);
    }
    await waitFor('some counts written', () => (view.get('page_PageType')?.value.totalCount ?? 0) > 1_000);
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');

    const second = startChild(t);
    await second.ready;
    while (sent < all.length) {
      await produce(
        t.impressions,
        all.slice(sent, sent + chunk).map((imp, i) => impressionMessage(imp, (sent + i) % 3)),
      );
      sent += chunk;
    }
    const expected = expectedTotals(all);
    await waitFor('every label counted', () =>
      [...expected].every(([name, n]) => (view.get(name)?.value.totalCount ?? 0) >= n),
    );
    await sleep(1_000); // a replayed double count would show up by now
    const actual = new Map([...expected.keys()].map((name) => [name, view.get(name)?.value.totalCount]));
    expect(actual).toEqual(expected);
    for (const name of expected.keys()) {
      const record = view.get(name)!.value;
      expect(Object.values(record.dailyCounts).reduce((a, b) => a + b, 0)).toBe(record.totalCount);
    }
    // The restart really re-read records the first process had already counted, and skipped them.
    expect(second.stats().replayedObservations).toBeGreaterThan(0);
  });
});
