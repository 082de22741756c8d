import { describe, expect, it } from 'vitest';
import { acceleratedClock, daemonClockFrom } from './accelerated-clock.js';
import { type Clock, systemClock } from './clock.js';

function manual(): Clock & { t: number; delays: number[] } {
  const c = {
    t: 1_000,
    delays: [] as number[],
    now: () => c.t,
    setTimeout: (_fn: () => void, ms: number) => c.delays.push(ms),
    clearTimeout: () => undefined,
  };
  return c;
}

describe('accelerated clock (tests only)', () => {
  it('is the system clock without the variable', () => {
    expect(daemonClockFrom({})).toBe(systemClock);
  });

  it('runs time and timers N times faster from its start', () => {
    const base = manual();
    const clock = acceleratedClock(3600, base);
    base.t += 1_000;
    expect(clock.now()).toBe(1_000 + 3_600_000);
    clock.setTimeout(() => undefined, 60_000);
    expect(base.delays).toEqual([60_000 / 3600]);
  });

  it('refuses a speed that is not a number of at least 1', () => {
    expect(() => daemonClockFrom({ BASCULE_TEST_CLOCK_SPEED: 'fast' })).toThrow(/BASCULE_TEST_CLOCK_SPEED/);
  });
});
