import { Worker } from 'node:worker_threads';
import type { FromWorker, ToWorker } from './state-worker.js';

/**
 * A backup's state (latest record per key, SHA-256 of every value, the sorted state hash) computed on a worker
 * thread from the format 2 runs that went to the segments (their memory moved there once compressed). The main
 * thread then only consumes and encodes, and the state's millions of small objects live in the worker's heap, so
 * the main thread's garbage collections no longer mark them again and again. At most `maxPendingBytes` of runs
 * wait for the worker.
 */
export class BackgroundState {
  readonly #worker = new Worker(new URL('./state-worker.js', import.meta.url));
  #pending = 0;
  #failure: unknown;
  #wake: Array<() => void> = [];
  #result: { hash: string; liveKeys: number } | undefined;

  constructor(
    readonly maxPendingBytes = 32 * 1024 * 1024,
    /** Receives each run's memory back from the worker once it was applied. */
    readonly recycle?: (memory: ArrayBuffer) => void,
  ) {
    this.#worker.on('message', (m: FromWorker) => {
      if ('applied' in m) {
        this.#pending -= m.applied;
        this.recycle?.(m.memory);
      } else this.#result = m;
      this.#notify();
    });
    this.#worker.on('error', (error) => {
      this.#failure ??= error;
      this.#notify();
    });
    this.#worker.on('exit', () => {
      this.#failure ??= new Error('the state worker exited');
      this.#notify();
    });
  }

  /**
   * Queues one run of a partition's records (format 2 encoding); waits while too much is queued. The run's
   * memory moves to the worker without a copy: `run.buffer` (an ArrayBuffer that holds this run and nothing
   * anyone still uses) is detached here, and handed to `recycle` when the worker returns it.
   */
  async add(partition: number, run: Buffer): Promise<void> {
    if (this.#failure !== undefined) throw this.#failure;
    const memory = run.buffer as ArrayBuffer;
    this.#pending += run.length;
    this.#worker.postMessage(
      { partition, memory, offset: run.byteOffset, length: run.length } satisfies ToWorker,
      [memory],
    );
    while (this.#pending > this.maxPendingBytes && this.#failure === undefined) await this.#next();
    if (this.#failure !== undefined) throw this.#failure;
  }

  /** The state hash and live key count once every queued run was applied. */
  async finish(): Promise<{ hash: string; liveKeys: number }> {
    this.#worker.postMessage({ finish: true } satisfies ToWorker);
    for (;;) {
      if (this.#result !== undefined) return this.#result;
      if (this.#failure !== undefined) throw this.#failure;
      await this.#next();
    }
  }

  async close(): Promise<void> {
    this.#worker.removeAllListeners('exit');
    await this.#worker.terminate();
  }

  #next(): Promise<void> {
    return new Promise((resolve) => this.#wake.push(resolve));
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = [];
    for (const w of wake) w();
  }
}
