import { base, instances, log, partitions, perImpression, type Run, rounds, total, values } from './args.ts';
import { ingest, raw } from './measured.ts';
import { loadAverage, report } from './report.ts';
import { scaleOut } from './scale-out.ts';
import { sustained } from './sustained.ts';
import { cleanup, prefill } from './topics.ts';

/**
 * `pnpm bench ingest`: the entry point (flags in args.ts). Pre-fills topics, runs the measured passes
 * (cold, warm rounds, scale-out), the sustained live run, and writes the report.
 */

// The machine is shared: the load next to the numbers says how much else was running.
const loadAtStart = loadAverage();

try {
  // Every measured pass reads a topic of its own: the worker stores how far it counted each topic, so a second
  // pass over the same topic would be skipped as a replay (and look faster than it is).
  const fresh = async (name: string, count = total) => {
    const t = `${base}.${name}`;
    log(`pre-filling ${t}: ${count} impressions, ~${perImpression} labels each, ${partitions} partitions`);
    return { topic: t, avgBytes: await prefill(t, count) };
  };
  const tracked = `${base}.tracked`;
  const runs: Run[] = [];
  // Cold: a fresh tracked-labels topic, so every label is new and written during the run (a first start).
  const warmupCount = Math.min(total, 50_000);
  const warmup = await fresh('warmup', warmupCount);
  runs.push(
    await ingest(
      'metadata-ingest, cold start (every label new)',
      warmup.topic,
      warmupCount,
      tracked,
      `${base}.cold`,
    ),
  );
  // Warm: the same tracked-labels topic (the labels exist), a topic not counted yet: a running service.
  let avgBytes = 0;
  for (let r = 1; r <= (values['scale-out-only'] ? 0 : rounds); r++) {
    const round = await fresh(`round-${r}`);
    avgBytes = round.avgBytes;
    runs.push(await raw(r, round.topic));
    runs.push(
      await ingest(`metadata-ingest, warm (round ${r})`, round.topic, total, tracked, `${base}.warm-${r}`),
    );
  }
  if (instances > 1) {
    const shared = await fresh('scale-out');
    runs.push(await scaleOut('raw', instances, shared.topic, tracked));
    runs.push(await scaleOut('ingest', instances, shared.topic, tracked));
  }
  const live = Number(values['sustain-seconds']) > 0 ? await sustained(tracked) : undefined;
  report(runs, live, avgBytes, loadAtStart);
} finally {
  await cleanup();
}
process.exit(0);
