import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin } from 'kafkajs';
import { KvTimeoutError } from './errors.js';
import type { ResolvedOptions } from './options.js';
import type { StateReader } from './state-reader.js';
import { endOffsets } from './topics.js';

/**
 * A barrier for linearizable reads: resolves once every command produced before the call (by any instance)
 * has been decided by its partition's writer and the outcome applied by this instance's reader.
 */
export async function syncWithWriters(
  admin: Admin,
  reader: StateReader<unknown>,
  options: ResolvedOptions<unknown>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const { commandsTopic, writerGroup, topic } = options;
  const topics = await admin.listTopics();
  if (topics.includes(commandsTopic)) {
    const ends = await admin.fetchTopicOffsets(commandsTopic);
    for (;;) {
      // Writers commit a command's offset in the same transaction as its state record.
      const committed = await admin.fetchOffsets({ groupId: writerGroup, topics: [commandsTopic] });
      const decided = new Map(committed[0]?.partitions.map((p) => [p.partition, Number(p.offset)]) ?? []);
      if (ends.every((e) => Number(e.high) === 0 || (decided.get(e.partition) ?? -1) >= Number(e.high)))
        break;
      if (Date.now() > deadline)
        throw new KvTimeoutError(`sync(): writers did not catch up within ${timeoutMs} ms`);
      await sleep(50);
    }
  }
  const caughtUp = reader.waitForAll(await endOffsets(admin, topic));
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new KvTimeoutError(`sync(): not applied within ${timeoutMs} ms`)),
      Math.max(0, deadline - Date.now()),
    );
  });
  try {
    await Promise.race([caughtUp, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
