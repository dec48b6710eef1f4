// The worker side of BackgroundState: applies format 2 runs of records to a TopicState, returns its hash.
import { parentPort } from 'node:worker_threads';
import { RecordDecoder } from './record-codec.js';
import { TopicState } from './state.js';

export type ToWorker = { partition: number; run: Uint8Array } | { finish: true };
export type FromWorker = { applied: number } | { hash: string; liveKeys: number };

const state = new TopicState();
const port = parentPort!;
port.on('message', (message: ToWorker) => {
  if ('finish' in message) {
    port.postMessage({ hash: state.hash(), liveKeys: state.liveKeys } satisfies FromWorker);
    return;
  }
  const { partition, run } = message;
  const decoder = new RecordDecoder();
  for (const r of decoder.push(Buffer.from(run.buffer, run.byteOffset, run.byteLength)))
    state.apply(r.key, r.value, partition, r.offset, r.timestamp);
  decoder.end();
  port.postMessage({ applied: run.byteLength } satisfies FromWorker);
});
