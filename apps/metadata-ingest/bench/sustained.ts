import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fmt } from '@labeldocs/bench';
import { pino } from 'pino';
import { base, brokers, log, perImpression, sleep, values } from './args.ts';
import { onJsonLines } from './json-lines.ts';
import { createTopic } from './topics.ts';
import { counterValue, createBenchWorker } from './worker.ts';

export interface Sustained {
  rate: number;
  produced: number;
  consumed: number;
  seconds: number;
  lagAtEnd: number;
  cpuMs: number;
  writes: number;
}

/**
 * Live traffic: a paced producer (its own process) writes `rate` impressions/s for `seconds` while one worker
 * with production defaults consumes them. Sustained means the lag stays small; the writes to the
 * tracked-labels topic over a window longer than the commit interval are its real write rate.
 */
export async function sustained(tracked: string): Promise<Sustained> {
  const rate = Number(values['sustain-rate']);
  const seconds = Number(values['sustain-seconds']);
  const topic = `${base}.sustained`;
  await createTopic(topic);
  const worker = createBenchWorker({
    brokers,
    source: topic,
    prefix: base,
    tracked,
    group: `${base}.sustained`,
    logger: pino({ level: process.env.BENCH_LOG ?? 'warn' }),
  });
  await worker.start();
  while (worker.notReadyReason() !== undefined) await sleep(50);
  const child = spawn(
    process.execPath,
    [
      join(import.meta.dirname, 'paced-producer.ts'),
      topic,
      String(rate),
      String(seconds),
      String(perImpression),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let produced = 0;
  let pacing = false;
  onJsonLines(child, '{"sent"', (line) => {
    pacing = true;
    produced = JSON.parse(line).sent;
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  while (!pacing) await sleep(10);
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const consumed0 = await counterValue(worker.metrics.impressions);
  const writes0 = await counterValue(worker.metrics.labelWrites);
  await exited;
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const consumed = (await counterValue(worker.metrics.impressions)) - consumed0;
  const result = {
    rate,
    produced,
    consumed,
    seconds: elapsed,
    lagAtEnd: produced - (await counterValue(worker.metrics.impressions)),
    cpuMs: (cpu.user + cpu.system) / 1000,
    writes: (await counterValue(worker.metrics.labelWrites)) - writes0,
  };
  await worker.close();
  log(
    `sustained at ${rate}/s for ${seconds} s: consumed ${fmt(consumed / elapsed, 0)}/s, lag at the end ${result.lagAtEnd}, ${result.writes} label writes`,
  );
  return result;
}
