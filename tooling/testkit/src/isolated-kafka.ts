import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  loadStackConfig,
  restartKafka,
  type StackConfig,
  startKafka,
  stopKafka,
} from '@labeldocs/local-stack';
import { freePort } from './ports.ts';

export interface IsolatedKafka {
  brokers: string[];
  /** SIGKILL the broker: a crash, with no clean shutdown. */
  kill(): Promise<void>;
  /** SIGTERM the broker: a clean shutdown. */
  stop(): Promise<void>;
  start(): Promise<void>;
  restart(opts?: { kill?: boolean; downMs?: number }): Promise<void>;
  /** Stops the broker and deletes its data. */
  destroy(): Promise<void>;
}

/**
 * A broker of its own for a test that injects faults (kill -9, restart), so that stopping it never
 * disturbs tests of other packages running against the shared stack at the same time.
 */
export async function startIsolatedKafka(): Promise<IsolatedKafka> {
  const base = loadStackConfig();
  const dir = mkdtempSync(join(base.dir, 'isolated-kafka-'));
  const config: StackConfig = {
    ...base,
    dir,
    kafka: { ...base.kafka, port: await freePort(), controllerPort: await freePort(), heap: '512m' },
  };
  const quiet = () => undefined;
  await startKafka(config, quiet);
  return {
    brokers: [`127.0.0.1:${config.kafka.port}`],
    kill: async () => void (await stopKafka(config, 'SIGKILL')),
    stop: async () => void (await stopKafka(config, 'SIGTERM')),
    start: async () => void (await startKafka(config, quiet)),
    restart: async (opts = {}) =>
      void (await restartKafka(config, { kill: opts.kill ?? false, downMs: opts.downMs ?? 0 }, quiet)),
    destroy: async () => {
      await stopKafka(config, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
