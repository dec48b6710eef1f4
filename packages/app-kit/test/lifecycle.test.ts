import { describe, expect, it } from 'vitest';
import { onceClose } from '../src/index.js';

describe('onceClose', () => {
  it('runs every step even when one throws, once, and reports the failure', async () => {
    const ran: string[] = [];
    const close = onceClose([
      ['a', () => void ran.push('a')],
      [
        'b',
        () => {
          ran.push('b');
          throw new Error('boom');
        },
      ],
      ['c', () => void ran.push('c')],
    ]);
    const first = close();
    const second = close();
    expect(second).toBe(first);
    await expect(first).rejects.toThrow(AggregateError);
    expect(ran).toEqual(['a', 'b', 'c']);
  });
});
