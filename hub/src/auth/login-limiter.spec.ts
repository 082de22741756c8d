import { describe, expect, it } from 'vitest';
import { FakeClock } from '../test-support.js';
import { LoginLimiter } from './login-limiter.js';

describe('LoginLimiter', () => {
  it('lets a few failures through, then doubles the wait', () => {
    const clock = new FakeClock();
    const limiter = new LoginLimiter(clock, 2, 1_000);
    const keys = ['ip:10.0.0.9'];
    for (let i = 0; i < 2; i++) limiter.recordFailure(keys);
    expect(limiter.retryAfterMs(keys)).toBe(0);
    limiter.recordFailure(keys);
    expect(limiter.retryAfterMs(keys)).toBe(1_000);
    limiter.recordFailure(keys);
    expect(limiter.retryAfterMs(keys)).toBe(2_000);
    clock.advance(2_000);
    expect(limiter.retryAfterMs(keys)).toBe(0);
  });

  it('counts the attempts being checked: a burst cannot all reach the password check', () => {
    const limiter = new LoginLimiter(new FakeClock(), 5, 1_000, 60_000, 2);
    const keys = ['user:admin', 'ip:10.0.0.9'];
    expect(limiter.begin(keys)).toBe(0);
    expect(limiter.begin(keys)).toBe(0);
    expect(limiter.begin(keys)).toBeGreaterThan(0);
    expect(limiter.begin(['user:alice', 'ip:10.0.0.9'])).toBeGreaterThan(0);
    limiter.end(keys);
    expect(limiter.begin(['user:alice', 'ip:10.0.0.9'])).toBe(0);
  });

  it('forgets the oldest failures first when full, never the address still spraying', () => {
    const limiter = new LoginLimiter(new FakeClock(), 1, 1_000, 60_000, 2, 100);
    for (let i = 0; i < 1_000; i++) limiter.recordFailure([`user:name${i}`, 'ip:10.6.6.6']);
    expect(limiter.retryAfterMs(['ip:10.6.6.6'])).toBe(60_000);
    expect(limiter.retryAfterMs(['user:name0'])).toBe(0); // forgotten
    expect(limiter.retryAfterMs(['user:name999'])).toBe(0); // one failure: still free
  });
});
