import type { Random } from '../system/random.js';

export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  /** Delay floor after the hub refused the credentials: retrying fast cannot fix a wrong secret. */
  refusedMinMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1_000, capMs: 5 * 60_000, refusedMinMs: 5 * 60_000 };

/**
 * Exponential backoff with full jitter (delay uniform in [0, min(cap, base·2^attempt)]), so that a
 * hub restart does not bring every desktop back in the same second.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly random: Random,
    private readonly options: BackoffOptions = DEFAULT_BACKOFF,
  ) {}

  get attempts(): number {
    return this.attempt;
  }

  /** Delay before the next attempt after a failure or a lost connection. */
  next(): number {
    const ceiling = Math.min(this.options.capMs, this.options.baseMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.floor(this.random() * ceiling);
  }

  /**
   * Delay after the hub refused our credentials (CONNACK 4 or 5): between the floor and twice the floor,
   * jittered as well, so a revoked device keeps trying now and then without hammering the hub.
   */
  nextAfterRefusal(): number {
    this.attempt++;
    return Math.floor(this.options.refusedMinMs * (1 + this.random()));
  }

  /** A connection that stayed up long enough starts the sequence again. */
  reset(): void {
    this.attempt = 0;
  }
}
