import type { KafkaMessage, Message } from 'kafkajs';
import { changelogKey } from './changelog-keys.js';
import { type Decision, decide, type KeyState } from './decide.js';
import type { ResolvedOptions } from './options.js';
import type { AppliedRecord } from './own-writes.js';
import { type Command, H, parseCommand, type Reply, stateHeaders } from './protocol.js';

/** A key as a writer sees it: the log's state, or what this writer decided after it. */
export interface OwnState<T> extends KeyState {
  value: T | undefined;
}

/** Everything one write (a batch outside a transaction, or a transaction) produces for a batch of commands. */
export interface Plan<T> {
  state: Message[];
  /** One change event per accepted command when a changelog is configured, for the same partition as `state`. */
  changelog: Message[];
  replies: Message[];
  /** What `state` holds, decoded, so the writer can apply its own records at commit (same order). */
  applied: AppliedRecord<T>[];
  /** The bodies of `replies`, so the writer can settle its own instance's requests at commit. */
  replyBodies: Reply[];
  /** The decided state of every key the batch touched, for the commands after it. */
  staged: Map<string, OwnState<T>>;
}

/**
 * Decides a batch of commands in log order. Pure apart from `current`, so the outcome depends only on the
 * partition's state and the commands: every owner, old or new, would decide the same.
 */
export function planBatch<T>(
  messages: KafkaMessage[],
  partition: number,
  current: (key: string) => OwnState<T>,
  options: ResolvedOptions<T>,
  timestamp: number,
): Plan<T> {
  const plan: Plan<T> = {
    state: [],
    changelog: [],
    replies: [],
    applied: [],
    replyBodies: [],
    staged: new Map(),
  };
  for (const message of messages) {
    const command = parseCommand(message.key, message.value, message.headers);
    if (command === undefined) {
      options.logger.warn({ partition, offset: message.offset }, 'kv-store: skipped a malformed command');
      continue;
    }
    const state = plan.staged.get(command.key) ?? current(command.key);
    const value = decodeValue(command, options);
    if (value === 'invalid') {
      addReply(
        plan,
        command,
        'invalid',
        state.exists ? state.lastVersion : 0,
        'the writer could not decode the value',
      );
      continue;
    }
    const decision = decide(state, command.op, command.expectedVersion);
    if (decision.kind !== 'accept') {
      addReply(plan, command, decision.kind, decision.currentVersion);
      continue;
    }
    if (!accept(plan, command, value, state, decision, partition, options, timestamp)) {
      addReply(
        plan,
        command,
        'invalid',
        state.exists ? state.lastVersion : 0,
        'the changelog encoder failed',
      );
    }
  }
  return plan;
}

function accept<T>(
  plan: Plan<T>,
  command: Command,
  value: T | undefined,
  state: OwnState<T>,
  decision: Extract<Decision, { kind: 'accept' }>,
  partition: number,
  options: ResolvedOptions<T>,
  timestamp: number,
): boolean {
  const { version } = decision;
  const changelog = options.changelog;
  let event: Message | undefined;
  if (changelog) {
    const previous =
      state.exists && state.value !== undefined
        ? { value: state.value, version: state.lastVersion }
        : undefined;
    const current = value === undefined ? undefined : { value, version };
    try {
      const entry = { key: command.key, previous, current, version, meta: command.meta, timestamp };
      event = {
        key: changelogKey(command.key, command.requestId),
        value: changelog.encode(entry),
        partition,
        timestamp: String(timestamp),
        // Subscribers can index an event by key and version without decoding it.
        headers: { [H.version]: String(version) },
      };
    } catch (error) {
      // Without its change event the write cannot be accepted atomically; refusing it keeps the partition moving.
      options.logger.error({ key: command.key, error }, 'kv-store: changelog.encode threw; write rejected');
      return false;
    }
  }
  plan.state.push({
    key: command.key,
    value: command.value,
    partition,
    // Set here so the writer's own apply at commit carries the same timestamp as the record.
    timestamp: String(timestamp),
    headers: stateHeaders(version, command.requestId, command.meta),
  });
  plan.applied.push({ key: command.key, value: value ?? null, version, requestId: command.requestId });
  plan.staged.set(command.key, { exists: command.op === 'put', lastVersion: version, value });
  if (event) plan.changelog.push(event);
  return true;
}

/**
 * What a plan writes to the state topic partition, as one record batch: the state records first, so the i-th
 * accepted record sits at base offset + i (see OwnWrites.apply), then their change events. One batch is
 * written whole or not at all, which makes state and events atomic without a transaction.
 */
export function stateTopicRecords<T>(plan: Plan<T>): Message[] {
  return plan.changelog.length === 0 ? plan.state : [...plan.state, ...plan.changelog];
}

function addReply<T>(
  plan: Plan<T>,
  command: Command,
  outcome: Reply['outcome'],
  currentVersion: number,
  reason?: string,
): void {
  const body: Reply = { requestId: command.requestId, replyTo: command.replyTo, outcome, currentVersion };
  if (reason !== undefined) body.reason = reason;
  plan.replies.push({ key: command.replyTo, value: JSON.stringify(body) });
  plan.replyBodies.push(body);
}

/** Requesters validate before producing; a command from anything else must not poison the partition. */
function decodeValue<T>(command: Command, options: ResolvedOptions<T>): T | undefined | 'invalid' {
  if (command.value === null) return undefined;
  try {
    const decoded = options.codec.decode(command.value);
    return decoded.ok ? decoded.value : 'invalid';
  } catch {
    return 'invalid'; // a codec that breaks its never-throw contract must not block the partition either
  }
}

/** Keeps each write's record batch for the state topic well under the broker's 1 MB default limit. */
export const MAX_CHUNK_BYTES = 256 * 1024;

/**
 * The command bytes one write may take. A change event usually holds the new value and more (the documentor's
 * holds the value and a field diff), and it goes into the same record batch as its state record: leave room.
 */
export function chunkBytes(options: Pick<ResolvedOptions<unknown>, 'changelog'>): number {
  return options.changelog === undefined ? MAX_CHUNK_BYTES : MAX_CHUNK_BYTES / 4;
}

export function chunks(messages: KafkaMessage[], maxBytes = MAX_CHUNK_BYTES): KafkaMessage[][] {
  const out: KafkaMessage[][] = [];
  let current: KafkaMessage[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = (m.key?.length ?? 0) + (m.value?.length ?? 0) + 200;
    if (current.length > 0 && bytes + size > maxBytes) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(m);
    bytes += size;
  }
  if (current.length > 0) out.push(current);
  return out;
}
