import { describe, expect, it } from 'vitest';
import {
  assertTransition,
  canTransition,
  LABEL_STATUSES,
  type LabelStatus,
  SchemaStatusTransitionError,
} from '../src/index.js';

/** The whole matrix, written out: a change to the rules must change this table on purpose. */
const allowed: Record<LabelStatus, LabelStatus[]> = {
  draft: ['draft', 'active', 'retired'],
  active: ['active', 'deprecated'],
  deprecated: ['deprecated', 'active', 'retired'],
  retired: ['retired'],
};
const matrix = LABEL_STATUSES.flatMap((from) =>
  LABEL_STATUSES.map((to) => [from, to, allowed[from].includes(to)] as const),
);

describe('status transitions', () => {
  it.each(matrix)('%s -> %s allowed: %s', (from, to, ok) => {
    expect(canTransition(from, to)).toBe(ok);
    if (ok) expect(() => assertTransition(from, to)).not.toThrow();
    else expect(() => assertTransition(from, to)).toThrow(SchemaStatusTransitionError);
  });

  it('a retired label cannot become draft or active again, and the error says what is allowed', () => {
    try {
      assertTransition('retired', 'active');
      expect.unreachable();
    } catch (error) {
      const e = error as SchemaStatusTransitionError;
      expect(e.code).toBe('SCHEMA_STATUS_TRANSITION');
      expect(e.retryable).toBe(false);
      expect([e.from, e.to]).toEqual(['retired', 'active']);
      expect(e.message).toBe('cannot change from retired to active; allowed from retired: retired');
    }
    expect(canTransition('retired', 'draft')).toBe(false);
  });
});
