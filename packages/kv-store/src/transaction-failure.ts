/** A writer transaction failed; `committed` says whether it may nevertheless have been committed. */
export class TransactionFailedError extends Error {
  constructor(
    readonly committed: 'no' | 'unknown',
    options: { cause: unknown },
  ) {
    super(`kv-store: writer transaction failed (committed: ${committed})`, options);
  }
}

/** EndTxn refused because a newer epoch fenced us: the broker aborted our transaction. */
export function isFenced(error: unknown): boolean {
  for (
    let e = error as { type?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 5;
    depth += 1
  ) {
    if (e.type === 'PRODUCER_FENCED' || e.type === 'INVALID_PRODUCER_EPOCH') return true;
    e = (e.cause ?? (e as { originalError?: unknown }).originalError) as typeof e;
  }
  return false;
}
