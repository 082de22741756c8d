import { describe, expect, it } from 'vitest';
import { KeyedSerialQueue } from './keyed-serial-queue.js';

const later = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('KeyedSerialQueue', () => {
  it('keeps the order per key, runs keys side by side, survives a failure and forgets idle keys', async () => {
    const queue = new KeyedSerialQueue();
    const done: string[] = [];
    const step = (name: string, ms: number) => async () => {
      await later(ms);
      done.push(name);
    };
    const runs = [
      queue.run('pc-1', step('pc-1 online', 30)),
      queue.run('pc-1', async () => {
        throw new Error('database gone');
      }),
      queue.run('pc-1', step('pc-1 offline', 1)),
      queue.run('pc-2', step('pc-2 online', 5)),
    ];
    expect(queue.pendingKeys).toBe(2);
    const outcomes = await Promise.allSettled(runs);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    // pc-2 did not wait for pc-1; pc-1's writes stayed in the order issued although the first was slowest.
    expect(done).toEqual(['pc-2 online', 'pc-1 online', 'pc-1 offline']);
    await later(0);
    expect(queue.pendingKeys).toBe(0);
  });
});
