import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadStackConfig, paths } from './config.ts';
import { restartKafka, runKafkaTool } from './kafka.ts';
import { javaVersion } from './prereqs.ts';
import { tail } from './processes.ts';
import {
  currentEnv,
  down,
  reset,
  runningServices,
  type ServiceName,
  serviceNames,
  status,
  up,
} from './stack.ts';

const usage = `usage: pnpm stack <command>
  up                      start Kafka, both S3 endpoints and Redis (whatever is not running yet)
  down                    stop the processes the stack started (by pid file)
  status                  versions, addresses, pids and health
  logs [service] [-n N]   last lines of a service's log (kafka, s3-primary, s3-replica, redis)
  reset                   stop everything and delete all data (keeps the Maven cache)
  restart-kafka [--kill] [--down-ms N]   stop the broker (SIGTERM, or SIGKILL with --kill), wait, start it
  kafka <tool> [args]     run Kafka's own tool: topics, configs, console-consumer, console-producer,
                          consumer-groups, consumer-perf-test, producer-perf-test, get-offsets, dump-log
  env                     print the variables apps and tests use (export lines)
  run [--keep] -- <cmd>   start what is missing, run <cmd> with the stack's variables, stop what was started`;

const log = (line: string) => process.stderr.write(`[stack] ${line}\n`);
const config = loadStackConfig();

async function run(args: string[]): Promise<number> {
  const keep = args[0] === '--keep';
  const dashes = args.indexOf('--');
  const command = dashes >= 0 ? args.slice(dashes + 1) : args.slice(keep ? 1 : 0);
  if (command.length === 0) throw new Error('local-stack: run needs a command after --');
  const before = new Set(runningServices(config));
  let stopping: Promise<void> | undefined;
  // One cleanup shared by the signal handler and the normal exit path, so neither exits before it is done.
  const cleanup = (): Promise<void> => {
    stopping ??= (async () => {
      if (keep) return;
      // A signal can arrive while `up` is still spawning; look again after stopping so nothing is orphaned.
      for (let round = 0; round < 3; round++) {
        const started = runningServices(config).filter((n) => !before.has(n));
        if (started.length === 0) return;
        log(`stopping what this run started: ${started.join(', ')}`);
        await down(config, started);
      }
    })();
    return stopping;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await up(config, log);
    const env = { ...process.env, ...currentEnv(config) };
    const [cmd, ...rest] = command;
    return await new Promise<number>((resolve, reject) => {
      const child = spawn(cmd!, rest, { stdio: 'inherit', env });
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    });
  } finally {
    await cleanup();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case 'up': {
      const started = await up(config, log);
      log(started.length > 0 ? `started: ${started.join(', ')}` : 'everything was already running');
      await printStatus();
      return 0;
    }
    case 'down': {
      const stopped = await down(config);
      log(stopped.length > 0 ? `stopped: ${stopped.join(', ')}` : 'nothing of ours was running');
      return 0;
    }
    case 'status':
      await printStatus();
      return 0;
    case 'logs': {
      const name = (args.find((a) => !a.startsWith('-')) ?? 'kafka') as ServiceName;
      if (!serviceNames.includes(name))
        throw new Error(`local-stack: unknown service '${name}'; known: ${serviceNames.join(', ')}`);
      const n = args.includes('-n') ? Number(args[args.indexOf('-n') + 1]) : 60;
      process.stdout.write(`${tail(join(paths(config).logs, `${name}.log`), n)}\n`);
      return 0;
    }
    case 'reset':
      await reset(config);
      log('stopped everything and deleted Kafka, S3 and Redis data');
      return 0;
    case 'restart-kafka': {
      const downMs = args.includes('--down-ms') ? Number(args[args.indexOf('--down-ms') + 1]) : 0;
      await restartKafka(config, { kill: args.includes('--kill'), downMs }, log);
      return 0;
    }
    case 'kafka': {
      const [tool, ...toolArgs] = args;
      if (tool === undefined)
        throw new Error('local-stack: name a Kafka tool, e.g. pnpm stack kafka topics --list');
      return runKafkaTool(config, tool, toolArgs);
    }
    case 'env':
      for (const [k, v] of Object.entries(currentEnv(config))) process.stdout.write(`export ${k}=${v}\n`);
      return 0;
    case 'run':
      return run(args);
    default:
      process.stdout.write(`${usage}\n`);
      return command === undefined || command === 'help' ? 0 : 2;
  }
}

async function printStatus(): Promise<void> {
  const rows = await status(config);
  const pkg = JSON.parse(readFileSync(join(config.root, 'package.json'), 'utf8')) as {
    packageManager: string;
  };
  process.stdout.write(`Node ${process.version}, ${pkg.packageManager}, ${javaVersion()}\n`);
  for (const r of rows) {
    const state = r.healthy ? 'up' : r.pid !== undefined ? 'starting/unhealthy' : 'down';
    const owner = r.name === 'redis' && !r.ownedByStack && r.healthy ? ' (machine Redis, not ours)' : '';
    process.stdout.write(
      `${r.name.padEnd(11)} ${state.padEnd(18)} pid ${String(r.pid ?? '-').padEnd(8)} ${r.version.padEnd(30)} ${r.address}${owner}\n`,
    );
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
