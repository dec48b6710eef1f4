import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fmt } from '@labeldocs/bench';
import { base, log, type Run, sleep, total } from './args.ts';
import { onJsonLines } from './json-lines.ts';

/** `instances` child processes in one consumer group, `raw` or `ingest`; CPU summed over the children. */
export async function scaleOut(
  mode: 'raw' | 'ingest',
  count: number,
  topic: string,
  tracked: string,
): Promise<Run> {
  const group = `${base}.${mode}-x${count}`;
  const children = Array.from({ length: count }, () =>
    // process.execArgv: the children run with the bench's Node flags (the apps' own), the raw ones too.
    spawn(
      process.execPath,
      [...process.execArgv, join(import.meta.dirname, 'child.ts'), mode, topic, group, tracked],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    ),
  );
  const last = children.map(() => ({ count: 0, cpuMs: 0 }));
  children.forEach((child, i) => {
    onJsonLines(child, '{"count"', (line) => {
      last[i] = JSON.parse(line);
    });
  });
  const sum = () =>
    last.reduce((acc, l) => ({ count: acc.count + l.count, cpuMs: acc.cpuMs + l.cpuMs }), {
      count: 0,
      cpuMs: 0,
    });
  // Measured between 20% and 90% of the topic: joining and the rebalance as the second process arrives
  // are start-up costs, not throughput.
  const at = async (share: number) => {
    while (sum().count < total * share) await sleep(10);
    return { t: performance.now(), cpuMs: sum().cpuMs, count: sum().count };
  };
  const from = await at(0.2);
  const to = await at(0.9);
  const seconds = (to.t - from.t) / 1000;
  const cpuMs = to.cpuMs - from.cpuMs;
  const measured = to.count - from.count;
  for (const child of children) child.kill('SIGTERM');
  const name = `${mode === 'raw' ? 'raw kafkajs + JSON.parse' : 'metadata-ingest, warm'} × ${count} processes`;
  log(`${name}: ${fmt(measured / seconds, 0)}/s`);
  return { name, count: measured, seconds, cpuMs };
}
