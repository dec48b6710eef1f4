/** A loop that runs `task` every `intervalMs` after the previous run finished (never overlapping). */
export interface Ticker {
  stop(): Promise<void>;
}

export function startTicker(
  intervalMs: number,
  task: () => Promise<unknown>,
  onError: (error: unknown) => void = () => undefined,
): Ticker {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = task().catch(onError).finally(schedule);
    }, intervalMs);
  };
  schedule();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
