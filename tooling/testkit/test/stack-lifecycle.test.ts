import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { loadStackConfig } from '@labeldocs/local-stack';
import { describe, expect, it, onTestFinished } from 'vitest';
import { freePort, isAlive } from '../src/index.ts';

const root = loadStackConfig().root;
const cli = join(root, 'tooling/local-stack/src/cli.ts');

/** A private stack (own folder and ports) so these tests never touch the shared one. */
async function privateStackEnv(): Promise<NodeJS.ProcessEnv> {
  const dir = mkdtempSync(join(loadStackConfig().dir, 'lifecycle-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return {
    ...process.env,
    LABELDOCS_STACK_DIR: dir,
    KAFKA_PORT: String(await freePort()),
    KAFKA_CONTROLLER_PORT: String(await freePort()),
    S3_PRIMARY_PORT: String(await freePort()),
    S3_REPLICA_PORT: String(await freePort()),
    KAFKA_HEAP: '512m',
  };
}

const pidsIn = (dir: string) =>
  existsSync(join(dir, 'run'))
    ? readdirSync(join(dir, 'run')).map((f) => Number(readFileSync(join(dir, 'run', f), 'utf8').trim()))
    : [];

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs `stack run -- sleep 600` in its own process group, as a terminal would run a foreground job. */
function runInTerminal(env: NodeJS.ProcessEnv): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [cli, 'run', '--', 'sleep', '600'], {
    env,
    detached: true,
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // A failing assertion must not leave the private stack running: Ctrl-C it and wait before cleanup.
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid!, 'SIGINT');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 60_000))]);
    }
  });
  return { child, exited };
}

describe('local stack lifecycle', () => {
  it('Ctrl-C on a running `stack run` stops every java process it started', async () => {
    const env = await privateStackEnv();
    const { child, exited } = runInTerminal(env);
    await until(() => existsSync(join(env.LABELDOCS_STACK_DIR!, 'stack.json')), 120_000);
    const pids = pidsIn(env.LABELDOCS_STACK_DIR!);
    expect(pids.length).toBe(3); // Kafka and two S3Proxy processes; Redis is the machine's
    expect(pids.every(isAlive)).toBe(true);
    process.kill(-child.pid!, 'SIGINT'); // the whole foreground group, as Ctrl-C does
    await exited;
    expect(pids.filter(isAlive)).toEqual([]);
  });

  it('Ctrl-C during start-up leaves no orphan java process', async () => {
    const env = await privateStackEnv();
    const { child, exited } = runInTerminal(env);
    await until(() => pidsIn(env.LABELDOCS_STACK_DIR!).length > 0, 60_000);
    process.kill(-child.pid!, 'SIGINT');
    await exited;
    // Anything spawned at all during the run is gone, including what started after the signal arrived.
    await new Promise((r) => setTimeout(r, 500));
    expect(pidsIn(env.LABELDOCS_STACK_DIR!).filter(isAlive)).toEqual([]);
  });

  it('a taken port fails with an error naming the port and the variable that moves it', async () => {
    const env = await privateStackEnv();
    const blocker: Server = await new Promise((resolve) => {
      const server = createServer().listen(Number(env.KAFKA_PORT), '127.0.0.1', () => resolve(server));
    });
    onTestFinished(() => void blocker.close());
    const child = spawn(process.execPath, [cli, 'up'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).not.toBe(0);
    expect(stderr).toContain(`port ${env.KAFKA_PORT}`);
    expect(stderr).toContain('KAFKA_PORT');
    expect(pidsIn(env.LABELDOCS_STACK_DIR!).filter(isAlive)).toEqual([]);
  });
});
