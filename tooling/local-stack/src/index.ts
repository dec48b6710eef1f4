export { loadStackConfig, paths, type S3Endpoint, type StackConfig, stackEnv } from './config.ts';
export { kafkaReady, restartKafka, runKafkaTool, startKafka, stopKafka } from './kafka.ts';
export { ensureCommand } from './prereqs.ts';
export { isAlive, runningPid } from './processes.ts';
export { s3Client } from './s3.ts';
export { currentEnv, down, status, up } from './stack.ts';
