import { describe, expect, it } from 'vitest';
import { LABEL_NAME_MAX_LENGTH, labelNameSchema, parseLabelName } from '../src/index.js';

const group20 = 'a'.repeat(20);
const name100 = `N${'x'.repeat(99)}`;

describe('parseLabelName', () => {
  it.each([
    ['san_SearchTerm', 'san', 'SearchTerm'],
    ['order_BasketItems', 'order', 'BasketItems'],
    ['prd_Variant_Size', 'prd', 'Variant_Size'],
    ['ab2_x', 'ab2', 'x'],
    ['a_B', 'a', 'B'],
    [`${group20}_X`, group20, 'X'],
    [`a_${name100}`, 'a', name100],
    [`${group20}_${name100}`, group20, name100],
  ])('accepts %s as group %s and name %s', (label, group, name) => {
    expect(parseLabelName(label)).toEqual({ ok: true, group, name });
    expect(labelNameSchema.safeParse(label).success).toBe(true);
  });

  it('accepts a name of exactly the maximum length and rejects one character more', () => {
    const longest = `${group20}_${name100}`;
    expect(longest).toHaveLength(LABEL_NAME_MAX_LENGTH);
    expect(parseLabelName(`${longest}x`)).toEqual({
      ok: false,
      reason: `must be at most ${LABEL_NAME_MAX_LENGTH} characters`,
    });
  });

  it.each([
    ['', 'empty'],
    ['SearchTerm', 'no group'],
    ['san_', 'empty name'],
    ['_Term', 'empty group'],
    ['San_Term', 'upper-case group'],
    ['1san_Term', 'group starting with a digit'],
    ['san_1Term', 'name starting with a digit'],
    ['san_ Term', 'space'],
    ['san-Term', 'hyphen instead of underscore'],
    ['san.Term', 'dot'],
    ['san_Term!', 'punctuation'],
    ['san_Säge', 'umlaut'],
    ['sän_Term', 'umlaut in group'],
    ['san_Term🙂', 'emoji'],
    ['san_Ｔerm', 'full-width letter'],
    ['san_Term\n', 'trailing newline'],
    [`${'a'.repeat(21)}_X`, 'group of 21 characters'],
    [`a_N${'x'.repeat(100)}`, 'name of 101 characters'],
  ])('rejects %j (%s) with a reason', (label) => {
    const parsed = parseLabelName(label);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(/must/);
    expect(labelNameSchema.safeParse(label).success).toBe(false);
  });
});
