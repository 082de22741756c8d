import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock.js';

/** How long the second step of a login may wait after the password. */
export const CHALLENGE_TTL_MS = 5 * 60_000;
/** Wrong codes one challenge allows before the password must be given again. */
export const CHALLENGE_MAX_ATTEMPTS = 5;
const MAX_CHALLENGES = 10_000;

interface Challenge {
  userId: string;
  ip: string;
  expiresAt: number;
  attempts: number;
}

/**
 * The half-signed-in state between the password and the TOTP code: a random token answered by the
 * password step, worth nothing but `POST /auth/login/totp` (it is not a session, so no other route
 * accepts it). Kept in memory and bounded; a hub restart only asks for the password again.
 */
export class LoginChallenges {
  private readonly byHash = new Map<string, Challenge>();

  constructor(private readonly clock: Clock) {}

  create(userId: string, ip: string): string {
    this.purge();
    const token = randomBytes(32).toString('base64url');
    this.byHash.set(hash(token), { userId, ip, expiresAt: this.clock.now().getTime() + CHALLENGE_TTL_MS, attempts: 0 });
    for (const oldest of this.byHash.keys()) {
      if (this.byHash.size <= MAX_CHALLENGES) break;
      this.byHash.delete(oldest);
    }
    return token;
  }

  /** The user of a live challenge; each call counts as an attempt, and the last allowed one ends it. */
  attempt(token: string): { userId: string } | undefined {
    const key = hash(token);
    const c = this.byHash.get(key);
    if (!c) return undefined;
    if (c.expiresAt <= this.clock.now().getTime()) {
      this.byHash.delete(key);
      return undefined;
    }
    c.attempts += 1;
    if (c.attempts >= CHALLENGE_MAX_ATTEMPTS) this.byHash.delete(key);
    return { userId: c.userId };
  }

  /** Ends a challenge once it has been answered. */
  consume(token: string): void {
    this.byHash.delete(hash(token));
  }

  private purge(): void {
    const now = this.clock.now().getTime();
    for (const [key, c] of this.byHash) if (c.expiresAt <= now) this.byHash.delete(key);
  }
}

const hash = (token: string) => createHash('sha256').update(token).digest('hex');
