import { loadSimulateEnv } from './env.js';
import { IngestError } from './errors.js';
import { parseTrafficArgs } from './simulate/args.js';
import { runTraffic } from './simulate/traffic.js';

/** `pnpm simulate traffic --rate 5000/s --labels 1400 --groups 25 --duration 60s` */
try {
  const args = parseTrafficArgs(process.argv.slice(2));
  const env = loadSimulateEnv();
  const topic = args.topic ?? env.IMPRESSIONS_TOPIC;
  const controller = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => controller.abort());
  const duration = args.durationMs === 0 ? 'until stopped' : `${args.durationMs / 1000}s`;
  process.stderr.write(
    `[simulate] ${args.rate}/s to ${topic}, ${args.labels} labels in ${args.groups} groups, ${duration}${args.count === undefined ? '' : `, at most ${args.count}`}\n`,
  );
  const summary = await runTraffic({
    ...args,
    topic,
    brokers: env.KAFKA_BROKERS,
    signal: controller.signal,
    onProgress: (s) =>
      process.stderr.write(
        `[simulate] ${s.sent} sent (${Math.round(s.ratePerSecond)}/s), ${s.malformed} malformed, ${s.newLabels.length} new labels\n`,
      ),
  });
  process.stdout.write(
    `${JSON.stringify({ ...summary, ratePerSecond: Math.round(summary.ratePerSecond) })}\n`,
  );
} catch (error) {
  process.stderr.write(
    `[simulate] ${error instanceof IngestError ? error.message : String((error as Error).stack ?? error)}\n`,
  );
  process.exit(error instanceof IngestError ? 2 : 1);
}
