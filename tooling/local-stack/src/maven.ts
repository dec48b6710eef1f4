import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { paths, type StackConfig } from './config.ts';
import { ensureCommand } from './prereqs.ts';

const mvnArgs = ['-q', '-B', '-Dstyle.color=never'];

/** Runs Maven quietly; its output is shown only when it fails, so a first run stays readable. */
function mvn(args: string[], cwd?: string): void {
  try {
    execFileSync('mvn', [...mvnArgs, ...args], { stdio: 'pipe', cwd, encoding: 'utf8' });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`local-stack: Maven failed (mvn ${args.join(' ')}):\n${stdout}${stderr}`, {
      cause: error,
    });
  }
}

/** Resolves Kafka's jars (broker, controller, tools, log4j2) from Maven Central into the cache, once per version. */
export function ensureKafkaLibs(config: StackConfig, log: (line: string) => void): string {
  const dir = paths(config).kafkaLibs;
  if (existsSync(join(dir, `kafka_2.13-${config.kafka.version}.jar`))) return dir;
  ensureCommand('java', 'openjdk-17-jre-headless', log);
  ensureCommand('mvn', 'maven', log);
  log(`resolving Apache Kafka ${config.kafka.version} from Maven Central (first run only)`);
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  mvn([
    '-f',
    join(config.root, 'tooling/local-stack/maven/kafka-pom.xml'),
    `-Dkafka.version=${config.kafka.version}`,
    'dependency:copy-dependencies',
    `-DoutputDirectory=${partial}`,
  ]);
  if (readdirSync(partial).length === 0) throw new Error('local-stack: Maven resolved no Kafka jars');
  rmSync(dir, { recursive: true, force: true });
  renameSync(partial, dir);
  return dir;
}

/** Resolves S3Proxy's self-contained jar from Maven Central into the cache. */
export function ensureS3ProxyJar(config: StackConfig, log: (line: string) => void): string {
  const jar = paths(config).s3ProxyJar;
  if (existsSync(jar)) return jar;
  ensureCommand('java', 'openjdk-17-jre-headless', log);
  ensureCommand('mvn', 'maven', log);
  log(`resolving S3Proxy ${config.s3.version} from Maven Central (first run only)`);
  const outDir = join(dirname(jar), 's3proxy.partial');
  rmSync(outDir, { recursive: true, force: true });
  mvn(
    [
      'dependency:copy',
      `-Dartifact=org.gaul:s3proxy:${config.s3.version}:jar:jar-with-dependencies`,
      `-DoutputDirectory=${outDir}`,
    ],
    config.root,
  );
  const file = readdirSync(outDir).find((f) => f.endsWith('.jar'));
  if (file === undefined) throw new Error('local-stack: Maven resolved no S3Proxy jar');
  renameSync(join(outDir, file), jar);
  rmSync(outDir, { recursive: true, force: true });
  return jar;
}
