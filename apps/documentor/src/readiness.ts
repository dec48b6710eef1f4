import type { LabelHistory, LabelStore } from './catalog/types.js';

/**
 * True once the change log holds every version the label store holds, so history and `asOf` answer for every
 * label. Checked lazily and remembered: once caught up, the log only moves forward.
 */
export function historyCaughtUp(labels: LabelStore, history: LabelHistory): () => boolean {
  let caughtUp = false;
  return () => {
    if (caughtUp) return true;
    if (!labels.isReady) return false;
    if (!history.isReady)
      for (const [name, label] of labels.entries())
        if (history.latestVersion(name) < label.version) return false;
    caughtUp = true;
    return true;
  };
}
