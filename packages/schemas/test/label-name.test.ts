import { describe, expect, it } from 'vitest';
import { parseLabelName } from '../src/index.js';

describe('parseLabelName', () => {
  it.each([
    ['san_SearchTerm', 'san', 'SearchTerm'],
    ['order_BasketItems', 'order', 'BasketItems'],
  ])('accepts %s', (label, group, name) => {
    expect(parseLabelName(label)).toEqual({ ok: true, group, name });
  });

  it.each(['SearchTerm', 'san_', '_x', 'San_Term', 'san_1Term', 'san_Säge'])(
    'rejects %s with a reason',
    (label) => {
      const parsed = parseLabelName(label);
      expect(parsed.ok).toBe(false);
    },
  );
});
