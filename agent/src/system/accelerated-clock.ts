import { type Clock, systemClock } from './clock.js';

/**
 * Tests only (test/e2e/faults-outbox-72h.test.ts): `BASCULE_TEST_CLOCK_SPEED=N` makes the daemon's
 * timers run N times faster and its clock read N times further from the start, so that days of
 * heartbeats and inventories pass in minutes. Not a flag of `run` and not documented for operators;
 * without the variable this is the system clock.
 */
export function daemonClockFrom(env: NodeJS.ProcessEnv, base: Clock = systemClock): Clock {
  const raw = env.BASCULE_TEST_CLOCK_SPEED;
  if (raw === undefined || raw === '') return base;
  const speed = Number(raw);
  if (!Number.isFinite(speed) || speed < 1)
    throw new Error(`BASCULE_TEST_CLOCK_SPEED: expected a number ≥ 1, got "${raw}"`);
  return acceleratedClock(speed, base);
}

export function acceleratedClock(speed: number, base: Clock = systemClock): Clock {
  const start = base.now();
  return {
    now: () => start + (base.now() - start) * speed,
    setTimeout: (fn, ms) => base.setTimeout(fn, ms / speed),
    clearTimeout: (timer) => base.clearTimeout(timer),
  };
}
