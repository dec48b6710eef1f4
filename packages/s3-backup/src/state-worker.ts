// The worker side of BackgroundState: applies format 2 runs of records to a TopicState, returns its hash.
import { parentPort } from 'node:worker_threads';
import { applyRun } from './run-state.js';
import { TopicState } from './state.js';

export type ToWorker = { partition: number; run: Uint8Array } | { finish: true };
export type FromWorker = { applied: number } | { hash: string; liveKeys: number };

const port = parentPort!;
const state = new TopicState();
port.on('message', (message: ToWorker) => {
  if ('finish' in message) {
    port.postMessage({ hash: state.hash(), liveKeys: state.liveKeys } satisfies FromWorker);
    return;
  }
  const { partition, run } = message;
  applyRun(state, partition, Buffer.from(run.buffer, run.byteOffset, run.byteLength));
  port.postMessage({ applied: run.byteLength } satisfies FromWorker);
});
