import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../core/clock.js';

/** How the public form is kept from bots without bothering people (docs/decisions.md). */
export interface FormGuardSettings {
  /** A person takes seconds to fill the form; a bot posts at once. */
  minFillMs: number;
  /** A ticket older than this is stale: reload the page. */
  maxFillMs: number;
  /** Submissions per client address in `windowMs` (every attempt counts, refused ones too). */
  maxPerAddress: number;
  windowMs: number;
  /** Bound of the in-memory table of addresses. */
  maxAddresses: number;
}

export const DEFAULT_FORM_GUARD: FormGuardSettings = {
  minFillMs: 3_000,
  maxFillMs: 4 * 3_600_000,
  maxPerAddress: 10,
  windowMs: 3_600_000,
  maxAddresses: 10_000,
};

/**
 * The form's light protections: a ticket given with the page (its time, signed with a key of this
 * hub process) that must come back after a minimum fill time, and a per-address rate limit. Kept in
 * memory: a restart only forgets the counts and makes open pages reload.
 */
export class VolunteerFormGuard {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly key: Buffer,
    private readonly clock: Clock,
    private readonly settings: FormGuardSettings = DEFAULT_FORM_GUARD,
  ) {}

  /** A ticket for one campaign's form, issued now. */
  ticket(campaignId: string): string {
    const at = String(this.clock.now().getTime());
    return `${at}.${this.sign(campaignId, at)}`;
  }

  /** Undefined when the ticket is this hub's, for this campaign, and the form took a human's time; else why not. */
  checkTicket(ticket: string, campaignId: string): string | undefined {
    const [at, mac, extra] = ticket.split('.');
    if (!at || !mac || extra !== undefined || !/^\d{1,15}$/.test(at)) return 'the form ticket is malformed';
    const expected = Buffer.from(this.sign(campaignId, at));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'the form ticket is not valid';
    const age = this.clock.now().getTime() - Number(at);
    if (age < this.settings.minFillMs) return 'the form was sent too fast';
    if (age > this.settings.maxFillMs) return 'the form is too old: reload the page';
    return undefined;
  }

  /** Counts one attempt from `address`; the seconds to wait when over the limit, else 0. */
  hit(address: string): number {
    const now = this.clock.now().getTime();
    const recent = (this.hits.get(address) ?? []).filter((t) => t > now - this.settings.windowMs);
    if (recent.length >= this.settings.maxPerAddress) {
      this.hits.set(address, recent);
      const oldest = recent[0] ?? now;
      return Math.max(1, Math.ceil((oldest + this.settings.windowMs - now) / 1000));
    }
    recent.push(now);
    this.hits.delete(address);
    this.hits.set(address, recent);
    // Map order is insertion order: the address seen longest ago goes first.
    while (this.hits.size > this.settings.maxAddresses) {
      const first = this.hits.keys().next().value;
      if (first === undefined) break;
      this.hits.delete(first);
    }
    return 0;
  }

  private sign(campaignId: string, at: string): string {
    return createHmac('sha256', this.key).update(`${campaignId}:${at}`).digest('base64url');
  }
}
