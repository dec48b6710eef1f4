/** Per partition, the tail of its transactions: jobs of one partition run one at a time, in order. */
export class PartitionLanes {
  private readonly tails = new Map<number, Promise<void>>();

  /** Runs `job` after every job queued before it for the partition. */
  serial(partition: number, job: () => Promise<void>): Promise<void> {
    const run = (this.tails.get(partition) ?? Promise.resolve()).then(job);
    this.tails.set(
      partition,
      run.catch(() => undefined),
    );
    return run;
  }

  /** Resolves when the partition's queued jobs are done, or after `maxMs`, whichever comes first. */
  async settle(partition: number, maxMs: number): Promise<void> {
    const tail = this.tails.get(partition);
    if (tail === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([tail, new Promise((r) => (timer = setTimeout(r, maxMs)))]);
    clearTimeout(timer);
  }
}
