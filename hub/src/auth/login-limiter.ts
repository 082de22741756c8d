import type { Clock } from '../core/clock.js';

/**
 * Throttles failed logins per account and per client address (NIST SP 800-63B §5.2.2 asks for at
 * most 100 consecutive failures; we slow down much earlier). After `freeFailures` failures, each
 * further failure doubles the wait, capped at `maxDelayMs`. A success clears the account's count.
 * Kept in memory: a hub restart forgets it, which only helps an attacker once per restart.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, { count: number; blockedUntil: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly freeFailures = 5,
    private readonly baseDelayMs = 2_000,
    private readonly maxDelayMs = 15 * 60_000,
  ) {}

  /** Milliseconds to wait before `keys` may try again; 0 when allowed. */
  retryAfterMs(keys: string[]): number {
    const now = this.clock.now().getTime();
    let wait = 0;
    for (const key of keys) {
      const f = this.failures.get(key);
      if (f && f.blockedUntil > now) wait = Math.max(wait, f.blockedUntil - now);
    }
    return wait;
  }

  recordFailure(keys: string[]): void {
    const now = this.clock.now().getTime();
    for (const key of keys) {
      const f = this.failures.get(key) ?? { count: 0, blockedUntil: 0 };
      f.count += 1;
      if (f.count > this.freeFailures) {
        const delay = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (f.count - this.freeFailures - 1));
        f.blockedUntil = now + delay;
      }
      this.failures.set(key, f);
    }
    if (this.failures.size > 100_000) this.failures.clear(); // bound memory under a spray attack
  }

  recordSuccess(keys: string[]): void {
    for (const key of keys) this.failures.delete(key);
  }
}
