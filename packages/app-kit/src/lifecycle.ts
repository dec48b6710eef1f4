import type { Logger } from 'pino';

/** Something that holds connections: started once, closed once. */
export interface Closeable {
  close(): Promise<void>;
}

/**
 * Runs every cleanup step even when one throws, and returns the same promise to every caller,
 * so `close()` is idempotent however often signals and callers ask for it.
 */
export function onceClose(
  steps: Array<[string, () => Promise<unknown> | unknown]>,
  logger?: Logger,
): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => {
    closing ??= (async () => {
      const errors: unknown[] = [];
      for (const [name, step] of steps) {
        try {
          await step();
        } catch (error) {
          logger?.error({ err: error, step: name }, 'close step failed');
          errors.push(error);
        }
      }
      if (errors.length > 0) throw new AggregateError(errors, 'some close steps failed');
    })();
    return closing;
  };
}

/** Wires SIGTERM/SIGINT to `close()`; a second signal exits at once. */
export function closeOnSignals(app: Closeable, logger: Logger): void {
  let signalled = false;
  const handler = (signal: NodeJS.Signals) => {
    if (signalled) process.exit(130);
    signalled = true;
    logger.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
}
