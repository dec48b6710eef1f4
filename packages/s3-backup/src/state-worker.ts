// The worker side of BackgroundState: applies format 2 runs of records to a TopicState, returns its hash.
import { parentPort } from 'node:worker_threads';
import { applyRun } from './run-state.js';
import { TopicState } from './state.js';

export type ToWorker =
  | { partition: number; memory: ArrayBuffer; offset: number; length: number }
  | { finish: true };
/** `applied` hands the run's memory back (transferred), for the next runs to reuse. */
export type FromWorker = { applied: number; memory: ArrayBuffer } | { hash: string; liveKeys: number };

const port = parentPort!;
const state = new TopicState();
port.on('message', (message: ToWorker) => {
  if ('finish' in message) {
    port.postMessage({ hash: state.hash(), liveKeys: state.liveKeys } satisfies FromWorker);
    return;
  }
  const { partition, memory, offset, length } = message;
  applyRun(state, partition, Buffer.from(memory, offset, length));
  // The state keeps no view of the run (keys are strings, values only hashed), so its memory can go back.
  port.postMessage({ applied: length, memory } satisfies FromWorker, [memory]);
});
