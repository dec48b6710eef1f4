import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { testEnv } from '@labeldocs/testkit';
import { onTestFinished } from 'vitest';
import type { PublisherTopics } from '../src/index.js';

const serverJs = join(import.meta.dirname, '../dist/server.js');

export interface ChildPublisher {
  process: ChildProcess;
  /** Resolves with the HTTP port once the server logged that it listens. */
  port: Promise<number>;
  output: () => string;
}

/** Starts the built server as a real child process (what the SIGKILL test kills). */
export function spawnPublisher(
  topics: PublisherTopics,
  ids: { group: string; txnPrefix: string },
): ChildPublisher {
  const child = spawn(process.execPath, [serverJs], {
    env: {
      PATH: process.env.PATH,
      KAFKA_BROKERS: testEnv().kafkaBrokers.join(','),
      LABELS_TOPIC: topics.labels,
      TRACKED_LABELS_TOPIC: topics.tracked,
      PUBLIC_TOPIC: topics.public,
      CONSUMER_GROUP: ids.group,
      TRANSACTIONAL_ID_PREFIX: ids.txnPrefix,
      PORT: '0',
      LOG_LEVEL: 'info',
      RESTART_BACKOFF_MS: '100',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let resolvePort: (port: number) => void = () => undefined;
  const port = new Promise<number>((resolve) => {
    resolvePort = resolve;
  });
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    const match = /"url":"http:\/\/[^:]+:(\d+)"/.exec(out);
    if (match) resolvePort(Number(match[1]));
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { process: child, port, output: () => out.slice(-4000) };
}

export async function killHard(child: ChildPublisher): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  const exited = once(child.process, 'exit');
  child.process.kill('SIGKILL');
  await exited;
}

/** Polls the child's /health/ready until it answers 200 (bounded). */
export async function waitReady(child: ChildPublisher, timeoutMs = 60_000): Promise<void> {
  const exited = once(child.process, 'exit').then(() => {
    throw new Error(`publisher child exited:\n${child.output()}`);
  });
  exited.catch(() => undefined);
  const port = await Promise.race([child.port, exited]);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) throw new Error(`publisher child exited:\n${child.output()}`);
    const res = await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined);
    if (res?.status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`publisher child never became ready:\n${child.output()}`);
}
