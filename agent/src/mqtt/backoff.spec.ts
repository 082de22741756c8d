import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';

const options = { baseMs: 1_000, capMs: 300_000, refusedMinMs: 300_000 };

describe('Backoff', () => {
  it('doubles the ceiling on each attempt up to the cap', () => {
    const backoff = new Backoff(() => 0.999_999, options);
    const delays = Array.from({ length: 12 }, () => backoff.next());
    expect(delays.slice(0, 5)).toEqual([999, 1_999, 3_999, 7_999, 15_999]);
    expect(delays.at(-1)).toBe(299_999);
    expect(Math.max(...delays)).toBeLessThan(300_000);
  });

  it('draws each delay uniformly below the ceiling (full jitter)', () => {
    const draws = [0, 0.5, 0.25];
    const backoff = new Backoff(() => draws.shift() ?? 0, options);
    expect([backoff.next(), backoff.next(), backoff.next()]).toEqual([0, 1_000, 1_000]);
  });

  it('starts again from the base after reset', () => {
    const backoff = new Backoff(() => 0.5, options);
    for (let i = 0; i < 10; i++) backoff.next();
    backoff.reset();
    expect(backoff.next()).toBe(500);
  });

  it('waits at least the refusal floor after bad credentials, never a tight loop', () => {
    const backoff = new Backoff(() => 0, options);
    expect(backoff.nextAfterRefusal()).toBe(300_000);
    const high = new Backoff(() => 0.999, options);
    expect(high.nextAfterRefusal()).toBeLessThan(600_000);
  });

  it('never overflows after very many attempts', () => {
    const backoff = new Backoff(() => 0.5, options);
    for (let i = 0; i < 10_000; i++) backoff.next();
    expect(backoff.next()).toBe(150_000);
  });
});
