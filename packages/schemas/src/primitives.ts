import { z } from 'zod';
import { LABEL_NAME_MAX_LENGTH, parseLabelName } from './label-name.js';

/** A label name following `<group>_<Name>`; the message says what the rule is. */
export const labelNameSchema = z
  .string()
  .max(LABEL_NAME_MAX_LENGTH, `must be at most ${LABEL_NAME_MAX_LENGTH} characters`)
  .superRefine((value, ctx) => {
    const parsed = parseLabelName(value);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.reason });
  });

/** ISO-8601 instant with offset, e.g. `2026-11-25T10:00:00.000Z`. */
export const instantSchema = z.iso.datetime({
  offset: true,
  message: 'must be an ISO-8601 date-time, e.g. 2026-11-25T10:00:00Z',
});

/** Calendar date `YYYY-MM-DD`. */
export const dateSchema = z.iso.date({ message: 'must be a date YYYY-MM-DD' });

export const shortText = (max: number) => z.string().max(max, `must be at most ${max} characters`);
export const nonEmptyText = (max: number) => shortText(max).min(1, 'must not be empty');
