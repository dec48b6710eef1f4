import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type AppSpec, type RunningApp, startApp, stopApp, waitReady } from './apps.ts';
import { loadStackConfig, paths } from './config.ts';
import { assertPortFree, tail } from './processes.ts';
import { currentEnv, down, runningServices, up } from './stack.ts';
import { printWhereToLook, systemApps } from './system-apps.ts';

/**
 * `./dev up`: the whole system in the foreground. Starts the stack (what is not running yet), builds,
 * starts the four apps, loads the demo catalog, starts simulated traffic and prints where to look.
 * Ctrl-C (or SIGTERM) stops the traffic, the apps and the stack services this command started.
 */
const { values: flags } = parseArgs({
  options: {
    'no-traffic': { type: 'boolean', default: false },
    'no-seed': { type: 'boolean', default: false },
    rate: { type: 'string', default: '200' },
    'exit-when-ready': { type: 'boolean', default: false },
    // For tests that already built the workspace: running turbo inside a turbo task is not wanted.
    'skip-build': { type: 'boolean', default: false },
  },
});

const log = (line: string) => process.stderr.write(`[system] ${line}\n`);
const config = loadStackConfig();
const before = new Set(runningServices(config));
const running: RunningApp[] = [];
let stopping: Promise<void> | undefined;

function stopAll(reason: string): Promise<void> {
  stopping ??= (async () => {
    log(`${reason}: stopping apps and the stack services this command started`);
    await Promise.allSettled([...running].reverse().map((app) => stopApp(app)));
    const started = runningServices(config).filter((n) => !before.has(n));
    if (started.length > 0) await down(config, started);
    log('stopped');
  })();
  return stopping;
}

process.once('SIGINT', () => void stopAll('Ctrl-C').finally(() => process.exit(130)));
process.once('SIGTERM', () => void stopAll('SIGTERM').finally(() => process.exit(143)));

async function main(): Promise<void> {
  await up(config, (line) => log(line));
  if (!flags['skip-build']) {
    log('building the workspace');
    const build = spawnSync('turbo', ['run', 'build', '--output-logs=errors-only'], {
      stdio: 'inherit',
      cwd: config.root,
    });
    if (build.status !== 0) throw new Error('system: build failed');
  }
  const env = currentEnv(config);
  const logsDir = paths(config).logs;
  mkdirSync(logsDir, { recursive: true });
  const apps = systemApps(process.env);
  for (const app of apps)
    if (app.port !== undefined) await assertPortFree(app.port, app.name, app.portVariable);

  const launch = (spec: AppSpec) => {
    const app = startApp(config.root, spec, env, join(logsDir, `${spec.name}.log`));
    running.push(app);
    void app.exited.then((code) => {
      if (stopping === undefined) {
        log(`${spec.name} exited with code ${code}. Last lines of ${app.logFile}:\n${tail(app.logFile, 30)}`);
        void stopAll(`${spec.name} exited`).finally(() => process.exit(1));
      }
    });
    return app;
  };
  log(`starting ${apps.map((a) => a.name).join(', ')} (logs in ${logsDir})`);
  await Promise.all(apps.map((spec) => waitReady(launch(spec), 180_000)));

  const seedCli = join(config.root, 'apps/documentor/dist/seed-cli.js');
  if (!flags['no-seed'] && existsSync(seedCli)) {
    log('loading the demo catalog');
    const seed = spawnSync(process.execPath, [seedCli], {
      stdio: 'inherit',
      env: { ...process.env, ...env, ...apps[0]!.env },
    });
    if (seed.status !== 0) throw new Error('system: loading the demo catalog failed');
  }
  const simulator = 'apps/metadata-ingest/dist/simulate-cli.js';
  if (!flags['no-traffic'] && existsSync(join(config.root, simulator))) {
    log(`starting simulated tracking traffic at ${flags.rate}/s`);
    launch({
      name: 'traffic',
      entry: simulator,
      args: ['traffic', '--rate', `${flags.rate}/s`, '--duration', '0'],
      env: {},
      urls: [],
    });
  }
  printWhereToLook(apps, env, logsDir);
  if (flags['exit-when-ready']) await stopAll('--exit-when-ready');
}

main().then(
  () => {
    if (flags['exit-when-ready']) process.exit(0);
  },
  async (error: unknown) => {
    log(error instanceof Error ? error.message : String(error));
    await stopAll('start-up failed');
    process.exit(1);
  },
);
