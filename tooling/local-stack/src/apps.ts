import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { tail } from './processes.ts';

/** One app process the launcher runs in the foreground, with where to reach it. */
export interface AppSpec {
  name: string;
  /** Path of the built entry point, relative to the repo root. */
  entry: string;
  args?: string[];
  /** The HTTP port polled for /health/ready; undefined for a process without one (the traffic simulator). */
  port?: number;
  env: Record<string, string>;
  urls: Array<[string, string]>;
}

export interface RunningApp {
  spec: AppSpec;
  logFile: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

/** Starts a built app with the stack's env plus its own; its output goes to its own log file. */
export function startApp(
  root: string,
  spec: AppSpec,
  baseEnv: Record<string, string>,
  logFile: string,
): RunningApp {
  const file = join(root, spec.entry);
  if (!existsSync(file)) throw new Error(`system: ${spec.name} is not built (${spec.entry} missing)`);
  const out = openSync(logFile, 'a');
  const child = spawn(process.execPath, [file, ...(spec.args ?? [])], {
    cwd: root,
    env: { ...process.env, ...baseEnv, ...spec.env },
    stdio: ['ignore', out, out],
  });
  closeSync(out);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { spec, logFile, child, exited };
}

/** Polls an app's /health/ready until it answers 200, or fails if the process exits first. */
export async function waitReady(app: RunningApp, timeoutMs: number): Promise<void> {
  if (app.spec.port === undefined) return;
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void app.exited.then(() => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) {
      throw new Error(
        `system: ${app.spec.name} exited during start-up. Last lines of ${app.logFile}:\n${tail(app.logFile, 30)}`,
      );
    }
    const ok = await fetch(`http://127.0.0.1:${app.spec.port}/health/ready`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(
    `system: ${app.spec.name} was not ready on port ${app.spec.port} after ${timeoutMs / 1000}s`,
  );
}

/** SIGTERM, then SIGKILL after a grace period; resolves when the process is gone. */
export async function stopApp(app: RunningApp, graceMs = 10_000): Promise<void> {
  if (app.child.exitCode !== null || app.child.signalCode !== null) return;
  app.child.kill('SIGTERM');
  const timer = setTimeout(() => app.child.kill('SIGKILL'), graceMs);
  await app.exited;
  clearTimeout(timer);
}
