import type { Admin, ITopicConfig } from 'kafkajs';
import { KvTopicMisconfiguredError } from './errors.js';
import type { ResolvedOptions } from './options.js';

const CONFIG_TYPE_TOPIC = 2; // kafkajs ConfigResourceTypes.TOPIC
const SETTLING = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

/**
 * A topic another instance or app created a moment ago is listed before every broker request knows it:
 * KRaft answers UNKNOWN_TOPIC_OR_PARTITION for a short while. Retry those answers for up to 30 s.
 */
async function whileTopicSettles<R>(call: () => Promise<R>): Promise<R> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await call();
    } catch (error) {
      if (!SETTLING.has((error as { type?: string }).type ?? '') || Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function describe(admin: Admin, topic: string): Promise<Map<string, string>> {
  const result = await whileTopicSettles(() =>
    admin.describeConfigs({ includeSynonyms: false, resources: [{ type: CONFIG_TYPE_TOPIC, name: topic }] }),
  );
  const entries = result.resources[0]?.configEntries ?? [];
  return new Map(entries.map((e) => [e.configName, e.configValue]));
}

async function partitionCount(admin: Admin, topic: string): Promise<number | undefined> {
  const existing = await admin.listTopics();
  if (!existing.includes(topic)) return undefined;
  const meta = await whileTopicSettles(() => admin.fetchTopicMetadata({ topics: [topic] }));
  return meta.topics[0]?.partitions.length;
}

function spec(
  topic: string,
  partitions: number,
  options: ResolvedOptions<unknown>,
  config: Record<string, string>,
): ITopicConfig {
  const entries = { ...config };
  if (options.minInsyncReplicas !== undefined)
    entries['min.insync.replicas'] = String(options.minInsyncReplicas);
  return {
    topic,
    numPartitions: partitions,
    replicationFactor: options.replicationFactor,
    configEntries: Object.entries(entries).map(([name, value]) => ({ name, value })),
  };
}

/** Refuses a state topic that would lose records: any `delete` policy unless retention is infinite. */
export function checkStateConfig(topic: string, config: Map<string, string>): void {
  const policy = config.get('cleanup.policy') ?? 'delete';
  const policies = policy.split(',').map((p) => p.trim());
  if (!policies.includes('compact')) {
    throw new KvTopicMisconfiguredError(topic, 'cleanup.policy', policy, 'kv-store needs a compacted topic');
  }
  if (policies.includes('delete')) {
    const retention = config.get('retention.ms') ?? '604800000';
    if (retention !== '-1') {
      throw new KvTopicMisconfiguredError(
        topic,
        'retention.ms',
        retention,
        'cleanup.policy=compact,delete with a finite retention deletes live keys',
      );
    }
    const bytes = config.get('retention.bytes') ?? '-1';
    if (bytes !== '-1') {
      throw new KvTopicMisconfiguredError(
        topic,
        'retention.bytes',
        bytes,
        'cleanup.policy=compact,delete with a finite retention deletes live keys',
      );
    }
  }
}

async function ensure(admin: Admin, config: ITopicConfig): Promise<void> {
  try {
    await admin.createTopics({ waitForLeaders: true, topics: [config] });
  } catch (error) {
    // Another instance may have created it between our check and our create.
    if ((error as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS') throw error;
  }
}

/**
 * Creates what is missing and validates what exists; never alters an existing topic. Returns the
 * partition count of the state topic, which every companion topic must share.
 */
export async function ensureTopics(admin: Admin, options: ResolvedOptions<unknown>): Promise<number> {
  const { topic } = options;
  let partitions = await partitionCount(admin, topic);
  if (partitions === undefined) {
    partitions = options.partitions;
    await ensure(
      admin,
      spec(topic, partitions, options, {
        'cleanup.policy': 'compact',
        'min.compaction.lag.ms': '0',
        ...options.topicConfig,
      }),
    );
  }
  checkStateConfig(topic, await describe(admin, topic));
  if (options.readOnly) return partitions;

  const commands = await partitionCount(admin, options.commandsTopic);
  if (commands === undefined) {
    await ensure(
      admin,
      spec(options.commandsTopic, partitions, options, {
        'cleanup.policy': 'delete',
        'retention.ms': '604800000',
      }),
    );
  } else if (commands !== partitions) {
    throw new KvTopicMisconfiguredError(
      options.commandsTopic,
      'partitions',
      String(commands),
      `must equal the state topic's ${partitions} partitions (commands are routed by key)`,
    );
  }
  if ((await partitionCount(admin, options.repliesTopic)) === undefined) {
    await ensure(
      admin,
      spec(options.repliesTopic, 1, options, { 'cleanup.policy': 'delete', 'retention.ms': '3600000' }),
    );
  }
  return partitions;
}

/** The end offset (high watermark) of every partition of `topic`, indexed by partition. */
export async function endOffsets(admin: Admin, topic: string): Promise<number[]> {
  const ends: number[] = [];
  for (const o of await admin.fetchTopicOffsets(topic)) ends[o.partition] = Number(o.high);
  return ends;
}
