import { type BackupListing, listBackups } from '@labeldocs/s3-backup';
import { Job, type Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { s3Locations } from './app.js';
import { type Args, parseArgs, USAGE } from './cli/args.js';
import { progressLine } from './cli/progress.js';
import { loadEnv } from './env.js';
import type { JobData, JobName, JobProgressInfo } from './jobs.js';
import { enqueue } from './processors.js';
import { createQueue } from './queue.js';

/** `pnpm ops ...`: enqueues a backup-worker job and follows it with a progress bar until it completes. */
const env = loadEnv();
const args = parseArgs(process.argv.slice(2));
const out = (s: string) => process.stdout.write(`${s}\n`);
const fail = (s: string, code = 2): never => {
  process.stderr.write(`${s}\n`);
  process.exit(code);
};
const locations = s3Locations(env);
const source = (a: Args) => {
  const s = a.flags.get('source') ?? 'primary';
  if (s !== 'primary' && s !== 'replica') fail(`--source must be primary or replica, got ${String(s)}`);
  return s as 'primary' | 'replica';
};

async function resolveId(
  topic: string,
  id: string | undefined,
  from: 'primary' | 'replica',
): Promise<string> {
  if (id === undefined) return fail(`a backup id (or "latest") is required\n${USAGE}`);
  if (id !== 'latest') return id;
  const all = (await listBackups({ s3: locations[from], topic })).filter((b) => b.status === 'complete');
  const pick = all.find((b) => b.verification?.ok) ?? all[0];
  return pick?.backupId ?? fail(`no complete backup of ${topic} in ${from}`, 1);
}

function printList(rows: BackupListing[]): void {
  out('backupId                   status      records    keys      MB  verified  replicated');
  for (const b of rows)
    out(
      [
        b.backupId.padEnd(26),
        b.status.padEnd(10),
        String(b.totalRecords ?? '-').padStart(8),
        String(b.stateKeys ?? '-').padStart(7),
        ((b.bytes ?? 0) / 1e6).toFixed(1).padStart(7),
        (b.verification === undefined ? '-' : b.verification.ok ? 'ok' : 'FAILED').padStart(9),
        (b.replication?.status ?? '-').padStart(11),
      ].join(' '),
    );
}

async function jobFor(a: Args): Promise<[JobName, JobData[JobName]]> {
  const [topic, id] = a.positional;
  const needTopic = () => topic ?? fail(`a topic is required\n${USAGE}`);
  switch (a.command) {
    case 'backup':
      return ['backup', { topic: needTopic() }];
    case 'replicate':
      return ['replicate', { topic: needTopic(), backupId: await resolveId(needTopic(), id, 'primary') }];
    case 'verify':
      return [
        'verify',
        { topic: needTopic(), backupId: await resolveId(needTopic(), id, source(a)), source: source(a) },
      ];
    case 'prune':
      return ['prune', a.positional.length > 0 ? { topics: a.positional } : {}];
    case 'restore': {
      const target = a.flags.get('target');
      const data: JobData['restore'] = {
        topic: needTopic(),
        backupId: await resolveId(needTopic(), id, source(a)),
        source: source(a),
        dryRun: a.flags.has('dry-run'),
        confirmProduction: a.flags.has('confirm-production'),
        ...(typeof target === 'string' ? { targetTopic: target } : {}),
      };
      const into = data.targetTopic ?? data.topic;
      if (!data.dryRun && env.PRODUCTION_TOPICS.includes(into) && !data.confirmProduction)
        fail(
          `${into} is a production topic: add --confirm-production to restore into it (or --dry-run to see the diff)`,
        );
      return ['restore', data];
    }
    default:
      return fail(USAGE);
  }
}

async function follow(queue: Queue, id: string): Promise<number> {
  const tty = process.stdout.isTTY;
  let lastLine = '';
  for (;;) {
    const job = await Job.fromId(queue, id);
    if (job === undefined) return fail(`job ${id} disappeared`, 1);
    const state = await job.getState();
    const line = progressLine(state, job.progress as Partial<JobProgressInfo>);
    if (line !== lastLine) {
      process.stdout.write(tty ? `\r\x1b[K${line}` : `${line}\n`);
      lastLine = line;
    }
    if (state === 'completed') {
      out(`${tty ? '\n' : ''}completed: ${JSON.stringify(job.returnvalue, null, 2)}`);
      return 0;
    }
    if (state === 'failed') {
      out(`${tty ? '\n' : ''}failed after ${job.attemptsMade} attempt(s): ${job.failedReason}`);
      return 1;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function main(): Promise<number> {
  if (args.command === 'list') {
    const [topic] = args.positional;
    if (topic === undefined) return fail(USAGE);
    printList(await listBackups({ s3: locations[source(args)], topic }));
    return 0;
  }
  const [name, data] = await jobFor(args);
  const connection = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
  const queue = createQueue(env, connection);
  try {
    const job = await enqueue(queue, name, data);
    out(`enqueued ${name} job ${job.id} on ${env.QUEUE_PREFIX}:${env.QUEUE_NAME}`);
    if ((await queue.getWorkersCount()) === 0)
      process.stderr.write('no backup-worker is connected to this queue yet; the job runs once one starts\n');
    return await follow(queue, job.id!);
  } finally {
    await queue.close();
    connection.disconnect();
  }
}

try {
  process.exit(await main());
} catch (error) {
  // Ops read a code and a sentence naming the object, not a stack trace.
  const code = (error as { code?: string }).code;
  process.stderr.write(
    `${code === undefined ? '' : `${code}: `}${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}
