import { jsonCodec, trackedLabelSchema } from '@labeldocs/schemas';
import { z } from 'zod';

/**
 * What metadata-ingest stores per label on the tracked-labels topic: the public TrackedLabel plus, under
 * `ingest.applied`, the next offset of every input partition already counted into it (`i:3` = impressions
 * partition 3, `a:0` = aggregates partition 0). A replayed record below that offset is skipped for this
 * label, which makes replays after a crash idempotent. Readers decoding with trackedLabelCodec never see it.
 */
export const trackedLabelStateSchema = trackedLabelSchema.extend({
  ingest: z
    .object({ applied: z.record(z.string().max(40), z.string().regex(/^\d+$/, 'must be an offset')) })
    .default({ applied: {} }),
});
export type TrackedLabelState = z.infer<typeof trackedLabelStateSchema>;

export const trackedLabelStateCodec = jsonCodec('tracked-label-state', trackedLabelStateSchema);

/** The key under `ingest.applied` for one input partition. */
export const slotKey = (input: 'impressions' | 'aggregates', partition: number) =>
  `${input === 'impressions' ? 'i' : 'a'}:${partition}`;
