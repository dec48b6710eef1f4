import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin } from 'kafkajs';

export interface StateBarrierOptions {
  admin: Admin;
  /** The kv-store state topic; kv-store's commands topic and writer group are named after it. */
  stateTopic: string;
  /** Highest state-topic offset this instance's replica has applied, per partition. */
  applied: ReadonlyMap<number, number>;
  timeoutMs: number;
}

/**
 * Waits until every tracked-label write sent before now (by any instance, including a predecessor that was
 * killed mid-write) has been decided and applied to this replica. Counting before that would filter
 * replayed records against offsets that are about to move, and count them twice.
 * Returns false when it gave up after `timeoutMs` (the caller goes on: the documented overlap bound).
 */
export async function waitForCurrentState(o: StateBarrierOptions): Promise<boolean> {
  const deadline = Date.now() + o.timeoutMs;
  const commands = `${o.stateTopic}.commands`;
  // 1. kv-store's writers commit their command offsets in the same transaction as the state records.
  const commandEnds = await o.admin.fetchTopicOffsets(commands);
  for (;;) {
    const committed = await o.admin.fetchOffsets({ groupId: `${o.stateTopic}.writers`, topics: [commands] });
    const decided = new Map(committed[0]?.partitions.map((p) => [p.partition, Number(p.offset)]) ?? []);
    if (commandEnds.every((e) => Number(e.high) === 0 || (decided.get(e.partition) ?? -1) >= Number(e.high)))
      break;
    if (Date.now() > deadline) return false;
    await sleep(100);
  }
  // 2. The replica has applied the state records up to the end (the last offset is a transaction marker).
  const stateEnds = await o.admin.fetchTopicOffsets(o.stateTopic);
  for (;;) {
    const behind = stateEnds.filter((e) => {
      const high = Number(e.high);
      return high > 0 && (o.applied.get(e.partition) ?? -1) < high - 2;
    });
    if (behind.length === 0) return true;
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
}
