import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { paths, type StackConfig } from './config.ts';
import { ensureKafkaLibs } from './maven.ts';
import { assertPortFree, runningPid, spawnDaemon, stopNamed, waitUntil } from './processes.ts';

/** Kafka's command-line tools, by the names of the scripts in Kafka's own bin/ folder. */
export const kafkaTools: Record<string, string> = {
  topics: 'org.apache.kafka.tools.TopicCommand',
  configs: 'kafka.admin.ConfigCommand',
  'console-consumer': 'org.apache.kafka.tools.consumer.ConsoleConsumer',
  'console-producer': 'org.apache.kafka.tools.ConsoleProducer',
  'consumer-groups': 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
  'consumer-perf-test': 'org.apache.kafka.tools.ConsumerPerformance',
  'producer-perf-test': 'org.apache.kafka.tools.ProducerPerformance',
  'get-offsets': 'org.apache.kafka.tools.GetOffsetShell',
  'dump-log': 'kafka.tools.DumpLogSegments',
  storage: 'kafka.tools.StorageTool',
};

const log4jConfig = `Configuration:
  Appenders:
    Console:
      name: STDOUT
      PatternLayout:
        pattern: "[%d] %p %m (%c)%n"
  Loggers:
    Logger:
      - name: kafka
        level: INFO
      - name: org.apache.kafka
        level: INFO
      - name: state.change.logger
        level: WARN
      - name: kafka.log.LogCleaner
        level: INFO
    Root:
      level: WARN
      AppenderRef:
        - ref: STDOUT
`;

const toolLog4jConfig = log4jConfig.replace(/level: INFO/g, 'level: WARN');

/**
 * Single-node KRaft (combined broker + controller) on loopback. Small segment and cleaner back-off settings
 * make compaction observable in tests; replication factors of 1 fit one node.
 */
function serverProperties(config: StackConfig): string {
  const { port, controllerPort } = config.kafka;
  return `process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${controllerPort}
listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}
advertised.listeners=PLAINTEXT://127.0.0.1:${port}
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=${paths(config).kafkaData}
num.partitions=3
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
group.initial.rebalance.delay.ms=0
log.cleaner.backoff.ms=1000
log.retention.check.interval.ms=5000
`;
}

function javaArgs(config: StackConfig, log4jFile: string): string[] {
  return ['-cp', `${paths(config).kafkaLibs}/*`, `-Dlog4j2.configurationFile=${log4jFile}`];
}

function writeRuntimeFiles(config: StackConfig): { log4j: string; toolLog4j: string } {
  const dir = join(config.dir, 'kafka');
  mkdirSync(dir, { recursive: true });
  writeFileSync(paths(config).kafkaConfig, serverProperties(config));
  const log4j = join(dir, 'log4j2.yaml');
  const toolLog4j = join(dir, 'tools-log4j2.yaml');
  writeFileSync(log4j, log4jConfig);
  writeFileSync(toolLog4j, toolLog4jConfig);
  return { log4j, toolLog4j };
}

export async function kafkaReady(config: StackConfig): Promise<boolean> {
  const kafka = new Kafka({
    brokers: [`127.0.0.1:${config.kafka.port}`],
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
    connectionTimeout: 1000,
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    return cluster.brokers.length > 0 && cluster.controller !== null;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export async function startKafka(config: StackConfig, log: (line: string) => void): Promise<number> {
  const p = paths(config);
  const running = runningPid(p.run, 'kafka');
  if (running !== undefined) return running;
  await assertPortFree(config.kafka.port, 'Kafka', 'KAFKA_PORT');
  await assertPortFree(config.kafka.controllerPort, 'the Kafka controller', 'KAFKA_CONTROLLER_PORT');
  ensureKafkaLibs(config, log);
  const files = writeRuntimeFiles(config);
  if (!existsSync(join(p.kafkaData, 'meta.properties'))) {
    mkdirSync(p.kafkaData, { recursive: true });
    const clusterId = execFileSync(
      'java',
      [...javaArgs(config, files.toolLog4j), kafkaTools.storage!, 'random-uuid'],
      {
        encoding: 'utf8',
      },
    ).trim();
    log(`formatting Kafka storage (cluster ${clusterId})`);
    execFileSync(
      'java',
      [
        ...javaArgs(config, files.toolLog4j),
        kafkaTools.storage!,
        'format',
        '-t',
        clusterId,
        '-c',
        p.kafkaConfig,
      ],
      { stdio: 'ignore' },
    );
  }
  mkdirSync(p.logs, { recursive: true });
  const logFile = join(p.logs, 'kafka.log');
  const pid = spawnDaemon({
    name: 'kafka',
    command: 'java',
    args: [
      `-Xmx${config.kafka.heap}`,
      `-Xms256m`,
      ...javaArgs(config, files.log4j),
      'kafka.Kafka',
      p.kafkaConfig,
    ],
    runDir: p.run,
    logFile,
  });
  log(`Kafka ${config.kafka.version} starting on 127.0.0.1:${config.kafka.port} (pid ${pid})`);
  await waitUntil('Kafka', () => kafkaReady(config), { timeoutMs: 90_000, logFile, pid });
  return pid;
}

export async function stopKafka(config: StackConfig, signal: NodeJS.Signals = 'SIGTERM'): Promise<boolean> {
  return stopNamed(paths(config).run, 'kafka', signal);
}

/** Runs one of Kafka's own tools against the local broker, inheriting stdio; resolves to its exit code. */
export function runKafkaTool(config: StackConfig, tool: string, args: string[]): Promise<number> {
  const mainClass = kafkaTools[tool];
  if (mainClass === undefined) {
    throw new Error(
      `local-stack: unknown Kafka tool '${tool}'; known: ${Object.keys(kafkaTools).join(', ')}`,
    );
  }
  ensureKafkaLibs(config, () => undefined);
  const { toolLog4j } = writeRuntimeFiles(config);
  return new Promise((resolve, reject) => {
    const child = spawn('java', [...javaArgs(config, toolLog4j), mainClass, ...args], { stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

/** Stops the broker (SIGTERM, or SIGKILL for a crash), keeps it down for `downMs`, then starts it again. */
export async function restartKafka(
  config: StackConfig,
  opts: { kill: boolean; downMs: number },
  log: (line: string) => void,
): Promise<number> {
  await stopKafka(config, opts.kill ? 'SIGKILL' : 'SIGTERM');
  log(`Kafka stopped with ${opts.kill ? 'SIGKILL' : 'SIGTERM'}`);
  if (opts.downMs > 0) await new Promise((r) => setTimeout(r, opts.downMs));
  return startKafka(config, log);
}
