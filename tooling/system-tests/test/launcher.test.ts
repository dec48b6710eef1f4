import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadStackConfig } from '@labeldocs/local-stack';
import { freePort, isAlive } from '@labeldocs/testkit';
import { describe, expect, it, onTestFinished } from 'vitest';

const root = loadStackConfig().root;

/** Every descendant of a process, from the kernel's process table. */
function descendants(pid: number): number[] {
  const out = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' });
  const children = new Map<number, number[]>();
  for (const line of out.trim().split('\n')) {
    const [child, parent] = line.trim().split(/\s+/).map(Number);
    children.set(parent!, [...(children.get(parent!) ?? []), child!]);
  }
  const all: number[] = [];
  const stack = [pid];
  while (stack.length > 0) {
    for (const c of children.get(stack.pop()!) ?? []) {
      all.push(c);
      stack.push(c);
    }
  }
  return all;
}

describe('./dev up (the system launcher)', () => {
  it('brings up the stack and all four apps, prints where to look, and Ctrl-C stops every process', async () => {
    const dir = mkdtempSync(join(loadStackConfig().dir, 'system-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const ports = {
      KAFKA_PORT: await freePort(),
      KAFKA_CONTROLLER_PORT: await freePort(),
      S3_PRIMARY_PORT: await freePort(),
      S3_REPLICA_PORT: await freePort(),
      DOCUMENTOR_PORT: await freePort(),
      INGEST_PORT: await freePort(),
      PUBLISHER_PORT: await freePort(),
      BACKUP_WORKER_PORT: await freePort(),
    };
    const env = {
      ...process.env,
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
      LABELDOCS_STACK_DIR: dir,
      KAFKA_HEAP: '512m',
    };
    const launcher: ChildProcess = spawn(
      process.execPath,
      [join(root, 'tooling/local-stack/src/system-cli.ts'), '--skip-build', '--rate', '50'],
      { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    launcher.stdout!.on('data', (d: Buffer) => {
      output += d.toString();
    });
    launcher.stderr!.on('data', (d: Buffer) => {
      output += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => launcher.once('exit', resolve));
    // Whatever happens to the assertions, Ctrl-C the launcher and wait for it before the folder goes away,
    // so a failing run never leaves a broker behind.
    onTestFinished(async () => {
      if (launcher.exitCode === null && launcher.signalCode === null) {
        process.kill(-launcher.pid!, 'SIGINT');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 60_000))]);
      }
    });
    const deadline = Date.now() + 240_000;
    while (!output.includes('labeldocs is up') && Date.now() < deadline && launcher.exitCode === null) {
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(output).toContain('labeldocs is up');
    expect(output).toContain(`http://127.0.0.1:${ports.DOCUMENTOR_PORT}/`);
    for (const port of [
      ports.DOCUMENTOR_PORT,
      ports.INGEST_PORT,
      ports.PUBLISHER_PORT,
      ports.BACKUP_WORKER_PORT,
    ]) {
      expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(200);
    }
    const stackPids = readdirSync(join(dir, 'run')).map((f) =>
      Number(readFileSync(join(dir, 'run', f), 'utf8')),
    );
    const processes = [...new Set([...descendants(launcher.pid!), ...stackPids])];
    expect(processes.length).toBeGreaterThanOrEqual(7); // Kafka, 2 × S3Proxy, 4 apps (+ traffic)

    process.kill(-launcher.pid!, 'SIGINT'); // Ctrl-C reaches the terminal's foreground group
    await exited;
    await new Promise((r) => setTimeout(r, 500));
    expect(processes.filter(isAlive)).toEqual([]);
    expect(existsSync(join(dir, 'run')) ? readdirSync(join(dir, 'run')) : []).toEqual([]);
  }, 300_000);
});
