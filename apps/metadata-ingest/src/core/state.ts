import { jsonCodec, trackedLabelSchema } from '@labeldocs/schemas';
import { z } from 'zod';

/**
 * What metadata-ingest stores per label on the tracked-labels topic: the public TrackedLabel plus, under
 * `ingest.applied`, the next offset of every input partition already counted into it, keyed
 * `<topic>:<partition>` (e.g. `labeldocs.impressions:3`). A replayed record below that offset is skipped for
 * this label, which makes replays after a crash idempotent. Readers decoding with trackedLabelCodec never see it.
 */
export const trackedLabelStateSchema = trackedLabelSchema.extend({
  ingest: z
    .object({ applied: z.record(z.string().max(300), z.string().regex(/^\d+$/, 'must be an offset')) })
    .default({ applied: {} }),
});
export type TrackedLabelState = z.infer<typeof trackedLabelStateSchema>;

export const trackedLabelStateCodec = jsonCodec('tracked-label-state', trackedLabelStateSchema);

/**
 * The key under `ingest.applied` for one input partition. Offsets only mean something within one topic, so
 * the topic name is part of it (an input topic recreated under the same name needs new state: see the docs).
 */
export const slotKey = (topic: string, partition: number) => `${topic}:${partition}`;
