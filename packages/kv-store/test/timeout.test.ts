import { createTestKafka } from '@labeldocs/testkit';
import { AssignerProtocol, type Consumer, type PartitionAssigner } from 'kafkajs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { eventually, freshTopic, openStore } from './helpers.js';

const SQUATTER = Buffer.from('squatter');

/**
 * A real member of the store's writer group that takes every command partition and never decides anything.
 * It advertises the store's own protocol name, so the broker lets it lead the group and run this assignment.
 */
const takeEverything: PartitionAssigner = ({ cluster }) => ({
  name: 'RoundRobinAssigner',
  version: 0,
  async assign({ members, topics }) {
    const squatter = members.find((m) =>
      AssignerProtocol.MemberMetadata.decode(m.memberMetadata)?.userData.equals(SQUATTER),
    );
    const all = Object.fromEntries(
      topics.map((t) => [t, cluster.findTopicPartitionMetadata(t).map((p) => p.partitionId)]),
    );
    return members.map((m) => ({
      memberId: m.memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({
        version: 0,
        assignment: m === squatter ? all : {},
        userData: Buffer.alloc(0),
      }),
    }));
  },
  protocol: ({ topics }) => ({
    name: 'RoundRobinAssigner',
    metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: SQUATTER }),
  }),
});

async function squat(topic: string): Promise<{ consumer: Consumer; assigned: () => number }> {
  const consumer = createTestKafka().consumer({
    groupId: `${topic}.writers`,
    partitionAssigners: [takeEverything],
    sessionTimeout: 6_000,
    heartbeatInterval: 500,
  });
  onTestFinished(() => consumer.disconnect().catch(() => undefined));
  let assigned = 0;
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    assigned = Object.values(payload.memberAssignment).flat().length;
  });
  await consumer.connect();
  await consumer.subscribe({ topic: `${topic}.commands`, fromBeginning: true });
  // Reads commands and drops them; commits nothing, so a later owner still decides them.
  await consumer.run({ autoCommit: false, eachBatch: async () => undefined });
  return { consumer, assigned: () => assigned };
}

describe('write time-out', () => {
  it('a write nobody decides fails with KV_TIMEOUT, and is decided once a real writer owns its partition', async () => {
    const topic = freshTopic('timeout');
    // A first store creates the topics; closing it empties the writer group for the squatter.
    await (await openStore(topic)).close();
    const { consumer, assigned } = await squat(topic);
    await eventually(() => assigned() === 3, 'the squatter owns every command partition', 30_000);

    const store = await openStore(topic, { writeTimeoutMs: 3_000 });
    // The store joined the group; the squatter, as leader, kept every partition.
    await eventually(() => assigned() === 3 && store.metrics.ownedPartitions === 0, 'rebalance done', 30_000);
    const failed = await store.put('grp_Orphan', { n: 7 }).catch((error: unknown) => error);
    expect(failed).toMatchObject({ code: 'KV_TIMEOUT', retryable: true });
    expect(store.get('grp_Orphan')).toBeUndefined();
    expect(store.metrics.writesInFlight).toBe(0);

    // Outcome unknown means exactly that: the command is still in the log and a new owner decides it.
    await consumer.disconnect();
    await eventually(() => store.get('grp_Orphan')?.value.n === 7, 'the timed-out write is applied', 60_000);
    expect(store.get('grp_Orphan')?.version).toBe(1);
  });
});
