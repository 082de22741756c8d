import type { Clock } from '../core/clock.js';

/**
 * Throttles failed logins per account and per client address (NIST SP 800-63B §5.2.2 asks for at
 * most 100 consecutive failures; we slow down much earlier). After `freeFailures` failures, each
 * further failure doubles the wait, capped at `maxDelayMs`. A success clears the account's count.
 * Kept in memory: a hub restart forgets it, which only helps an attacker once per restart.
 *
 * Attempts in flight count too (`begin`/`end`): a password check takes tens of milliseconds of scrypt,
 * so without that, a thousand requests sent at once would all be checked before the first failure is
 * recorded. The table is bounded: past `maxEntries`, the keys that failed longest ago are forgotten
 * first, so a spray of many user names cannot push out the address that sends it.
 */
export class LoginLimiter {
  private readonly failures = new Map<string, { count: number; blockedUntil: number }>();
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly freeFailures = 5,
    private readonly baseDelayMs = 2_000,
    private readonly maxDelayMs = 15 * 60_000,
    private readonly maxConcurrent = 2,
    private readonly maxEntries = 100_000,
  ) {}

  /**
   * Starts an attempt: 0 when it may go on (call `end` once it is decided), otherwise the milliseconds to
   * wait — while `keys` are blocked, or while `maxConcurrent` attempts for one of them are being checked.
   */
  begin(keys: string[]): number {
    const wait = this.retryAfterMs(keys);
    if (wait > 0) return wait;
    if (keys.some((k) => (this.inFlight.get(k) ?? 0) >= this.maxConcurrent)) return 1_000;
    for (const k of keys) this.inFlight.set(k, (this.inFlight.get(k) ?? 0) + 1);
    return 0;
  }

  end(keys: string[]): void {
    for (const k of keys) {
      const n = (this.inFlight.get(k) ?? 1) - 1;
      if (n <= 0) this.inFlight.delete(k);
      else this.inFlight.set(k, n);
    }
  }

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
      // Delete and set again: the Map's order is then the order of the last failure.
      this.failures.delete(key);
      this.failures.set(key, f);
    }
    for (const oldest of this.failures.keys()) {
      if (this.failures.size <= this.maxEntries) break;
      this.failures.delete(oldest);
    }
  }

  recordSuccess(keys: string[]): void {
    for (const key of keys) this.failures.delete(key);
  }
}
