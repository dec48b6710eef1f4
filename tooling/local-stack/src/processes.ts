import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';

/** True when a process with this pid exists (signal 0 checks without touching it). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readPid(runDir: string, name: string): number | undefined {
  const file = join(runDir, `${name}.pid`);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** The pid of a process we started that is still running, or undefined (stale pid files are removed). */
export function runningPid(runDir: string, name: string): number | undefined {
  const pid = readPid(runDir, name);
  if (pid === undefined) return undefined;
  if (isAlive(pid)) return pid;
  rmSync(join(runDir, `${name}.pid`), { force: true });
  return undefined;
}

/**
 * Starts a long-running server in its own process group, output appended to its log file, and records its pid.
 * Its own group means a terminal's Ctrl-C reaches only us; we stop it explicitly, by pid, never by name.
 */
export function spawnDaemon(opts: {
  name: string;
  command: string;
  args: string[];
  runDir: string;
  logFile: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}): number {
  mkdirSync(opts.runDir, { recursive: true });
  const out = openSync(opts.logFile, 'a');
  const child = spawn(opts.command, opts.args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    detached: true,
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  if (child.pid === undefined) throw new Error(`local-stack: could not start ${opts.name} (${opts.command})`);
  child.unref();
  writeFileSync(join(opts.runDir, `${opts.name}.pid`), `${child.pid}\n`);
  return child.pid;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends `signal`, waits up to `graceMs` for the process to exit, then SIGKILLs it. */
export async function stopPid(
  pid: number,
  signal: NodeJS.Signals = 'SIGTERM',
  graceMs = 15_000,
): Promise<void> {
  if (!isAlive(pid)) return;
  try {
    process.kill(pid, signal);
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return;
    await sleep(100);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return;
  }
  while (isAlive(pid)) await sleep(50);
}

export async function stopNamed(
  runDir: string,
  name: string,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<boolean> {
  const pid = runningPid(runDir, name);
  if (pid === undefined) return false;
  await stopPid(pid, signal);
  rmSync(join(runDir, `${name}.pid`), { force: true });
  return true;
}

/** Resolves true when something accepts TCP connections on 127.0.0.1:port. */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function assertPortFree(port: number, what: string, variable: string): Promise<void> {
  if (await portInUse(port)) {
    throw new Error(
      `local-stack: port ${port} for ${what} is already taken; free it or move it with ${variable}=<port>`,
    );
  }
}

export function tail(file: string, lines = 40): string {
  if (!existsSync(file)) return '(no log yet)';
  return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}

/** Polls `check` until it resolves true; on timeout throws with the tail of the server's log. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  opts: { timeoutMs: number; logFile: string; pid?: number },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  while (Date.now() < deadline) {
    if (opts.pid !== undefined && !isAlive(opts.pid)) {
      throw new Error(
        `local-stack: ${what} exited during start-up. Last lines of ${opts.logFile}:\n${tail(opts.logFile)}`,
      );
    }
    if (await check().catch(() => false)) return;
    await sleep(250);
  }
  throw new Error(
    `local-stack: ${what} was not ready after ${opts.timeoutMs / 1000}s. Last lines of ${opts.logFile}:\n${tail(opts.logFile)}`,
  );
}
