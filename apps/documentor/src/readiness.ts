import type { LabelHistory, LabelStore } from './catalog/types.js';

/**
 * True once the label store and the change log have both been read to the ends captured at their start, so
 * history and `asOf` answer for every label, deleted ones included. Remembered: both only move forward.
 */
export function historyCaughtUp(labels: LabelStore, history: LabelHistory): () => boolean {
  let caughtUp = false;
  return () => {
    caughtUp ||= labels.isReady && history.isReady;
    return caughtUp;
  };
}
