import type { FieldError } from '@labeldocs/schemas';
import type { Aggregator } from './aggregator.js';
import { decodeImpressionHead, judgeImpression } from './decode.js';

/**
 * Decodes and counts one impressions-topic record: the labels it carried, or the schema's reasons for
 * rejecting it (nothing counted; the caller dead-letters it). The hot path parses once and checks the labels
 * while counting them; whatever it does not accept is judged by impressionSchema, which has the last word.
 */
export function countImpression(
  aggregator: Aggregator,
  bytes: Buffer | null,
  slot: string,
  offset: number,
): number | FieldError[] {
  const head = decodeImpressionHead(bytes);
  if (head.head) {
    const carried = aggregator.addImpression(head.value, slot, offset);
    if (carried >= 0) return carried;
  }
  const judged = judgeImpression(bytes, head.head ? { parsed: head.value } : head);
  if (!judged.ok) return judged.errors;
  return aggregator.addImpression(judged.value, slot, offset, true);
}
