import { BatchQueue, batchBytes } from '@labeldocs/s3-backup';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('BatchQueue', () => {
  it('handles every batch once, in the order pushed, and never two at a time', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ bytes: fc.integer({ min: 0, max: 100 }), waits: fc.nat(3) }), {
          maxLength: 30,
        }),
        fc.integer({ min: 0, max: 250 }),
        async (batches, maxBytes) => {
          const handled: number[] = [];
          let running = 0;
          let overlapped = false;
          const queue = new BatchQueue<number>(
            maxBytes,
            async (i) => {
              running++;
              overlapped ||= running > 1;
              for (let w = 0; w < batches[i]!.waits; w++) await tick();
              handled.push(i);
              running--;
            },
            () => undefined,
          );
          for (let i = 0; i < batches.length; i++) await queue.push(i, batches[i]!.bytes);
          await queue.drain();
          expect(overlapped).toBe(false);
          expect(handled).toEqual(batches.map((_, i) => i));
        },
      ),
    );
  });

  it('lets push return while the handler runs, and waits once more than maxBytes are queued', async () => {
    const release: Array<() => void> = [];
    const queue = new BatchQueue<string>(
      10,
      () => new Promise<void>((resolve) => release.push(resolve)),
      () => undefined,
    );
    await queue.push('a', 6);
    // 'a' is being handled; 'b' brings the queue to 12 bytes: push waits for room.
    let pushedB = false;
    const b = queue.push('b', 6).then(() => {
      pushedB = true;
    });
    await tick();
    expect(release).toHaveLength(1);
    expect(pushedB).toBe(false);
    release.shift()!();
    await b;
    expect(pushedB).toBe(true);
    await tick();
    release.shift()!();
    await queue.drain();
  });

  it('with maxBytes 0 push returns only once its batch was handled', async () => {
    const handled: string[] = [];
    const queue = new BatchQueue<string>(
      0,
      async (s) => {
        await tick();
        handled.push(s);
      },
      () => undefined,
    );
    await queue.push('a', 1);
    expect(handled).toEqual(['a']);
    await queue.push('b', 1);
    expect(handled).toEqual(['a', 'b']);
  });

  it('reports the first failure once, drops what was queued after it, and drain rejects with it', async () => {
    const failures: unknown[] = [];
    const handled: number[] = [];
    const queue = new BatchQueue<number>(
      1000,
      async (i) => {
        await tick();
        if (i === 2) throw new Error(`batch ${i} failed`);
        handled.push(i);
      },
      (error) => failures.push(error),
    );
    for (let i = 0; i < 6; i++) await queue.push(i, 1);
    await expect(queue.drain()).rejects.toThrow('batch 2 failed');
    expect(handled).toEqual([0, 1]);
    expect(failures).toHaveLength(1);
    // A push after the failure is dropped too.
    await queue.push(9, 1);
    await expect(queue.drain()).rejects.toThrow('batch 2 failed');
    expect(handled).toEqual([0, 1]);
  });

  it('stop drops the batches not started and releases a waiting push', async () => {
    const release: Array<() => void> = [];
    const handled: string[] = [];
    const queue = new BatchQueue<string>(
      1,
      (s) =>
        new Promise<void>((resolve) =>
          release.push(() => {
            handled.push(s);
            resolve();
          }),
        ),
      () => undefined,
    );
    await queue.push('a', 1);
    const waiting = queue.push('b', 1);
    await tick();
    queue.stop();
    await waiting;
    release.shift()!();
    await queue.drain();
    expect(handled).toEqual(['a']);
  });

  it('batchBytes counts keys and values, null as 0', () => {
    expect(
      batchBytes([
        { key: Buffer.from('ab'), value: Buffer.from('cde') },
        { key: null, value: Buffer.from('f') },
        { key: Buffer.from('g'), value: null },
      ]),
    ).toBe(7);
  });
});
