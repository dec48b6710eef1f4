import { z } from 'zod';
import { LABEL_NAME_MAX_LENGTH, LABEL_NAME_PATTERN, LABEL_NAME_RULE } from './label-name.js';

/**
 * A label name following `<group>_<Name>`; the message says what the rule is. A regex (not a refinement)
 * so the exported JSON Schema carries the pattern too; it accepts exactly what parseLabelName accepts.
 */
export const labelNameSchema = z
  .string()
  .max(LABEL_NAME_MAX_LENGTH, `must be at most ${LABEL_NAME_MAX_LENGTH} characters`)
  .regex(LABEL_NAME_PATTERN, LABEL_NAME_RULE);

/** ISO-8601 instant with offset, e.g. `2026-11-25T10:00:00.000Z`. */
export const instantSchema = z.iso.datetime({
  offset: true,
  message: 'must be an ISO-8601 date-time, e.g. 2026-11-25T10:00:00Z',
});

/** Calendar date `YYYY-MM-DD`. */
export const dateSchema = z.iso.date({ message: 'must be a date YYYY-MM-DD' });

export const shortText = (max: number) => z.string().max(max, `must be at most ${max} characters`);
export const nonEmptyText = (max: number) => shortText(max).min(1, 'must not be empty');

/** A bound on a record's number of keys (zod records have no `.max`). */
export const maxKeys =
  (max: number) =>
  (value: object): boolean =>
    Object.keys(value).length <= max;
export const maxKeysMessage = (max: number) => ({ message: `must have at most ${max} entries` });
