export { isAlive } from '@labeldocs/local-stack';
export { type TestEnv, testEnv } from './env.ts';
export { type IsolatedKafka, startIsolatedKafka } from './isolated-kafka.ts';
export { createTestKafka, createTestTopic, uniqueName } from './kafka.ts';
export { freePort } from './ports.ts';
export { createTestBucket, testS3Client } from './s3.ts';
