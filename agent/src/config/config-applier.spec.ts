import { describe, expect, it } from 'vitest';
import type { Logger } from '../logging/logger.js';
import { createJsonLogger } from '../logging/logger.js';
import { MeteredPolicy, meteredModeFrom } from '../metered/metered-policy.js';
import type { Clock } from '../system/clock.js';
import type { NetworkLink } from '../system/network-link.js';
import { ConfigApplier, type ConfigApplierDeps } from './config-applier.js';

const logger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** A clock whose timers run when the test says so. */
class ManualClock implements Clock {
  private t = 0;
  readonly timers = new Map<number, { at: number; fn: () => void }>();
  private next = 1;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.next++;
    this.timers.set(id, { at: this.t + ms, fn });
    return id;
  };
  clearTimeout = (id: unknown) => void this.timers.delete(id as number);
  advance(ms: number): void {
    this.t += ms;
    for (const [id, timer] of [...this.timers]) {
      if (timer.at <= this.t) {
        this.timers.delete(id);
        timer.fn();
      }
    }
  }
}

function setup(reports: Array<Record<string, unknown> | null>, onAgentSettings?: ConfigApplierDeps['onAgentSettings']) {
  const files: { pending: Buffer | null } = { pending: null };
  const sources: string[] = [];
  const sent: Record<string, unknown>[] = [];
  const clock = new ManualClock();
  let n = 0;
  const applier = new ConfigApplier({
    store: {
      readPending: () => files.pending,
      writePending: (raw) => {
        files.pending = Buffer.from(raw);
      },
    },
    source: {
      apply: async (source) => {
        sources.push(source);
        return reports.shift() ?? null;
      },
    },
    outbox: {
      enqueue: (_kind, message) => {
        sent.push(message);
        return { seq: sent.length, kind: 'report', file: '', bytes: 0 };
      },
    },
    publisher: { pump: () => {} },
    clock,
    ids: () => `01JE${String(++n).padStart(22, '0')}`,
    logger,
    intervalMs: 30 * 60_000,
    onAgentSettings,
  });
  const settle = () => new Promise((r) => setTimeout(r, 10));
  return { applier, files, sources, sent, clock, settle };
}

const applied = (revision: number, status = 'applied') => ({
  id: `r${revision}${status}`,
  revision,
  modules: { printers: { status, steps: [] } },
});
const payload = (revision: unknown) => Buffer.from(JSON.stringify({ v: 1, revision, modules: {} }));

describe('ConfigApplier (daemon side, no zod)', () => {
  it('stores a new revision, applies it in the child and queues the report; ignores older and equal ones', async () => {
    const t = setup([applied(2), applied(3)]);
    t.applier.start();
    t.applier.onConfig(payload(2));
    await t.settle();
    expect(JSON.parse(t.files.pending?.toString() ?? '{}').revision).toBe(2);
    expect(t.sent).toEqual([applied(2)]);
    t.applier.onConfig(payload(2)); // the retained config again, at a reconnection
    t.applier.onConfig(payload(1));
    await t.settle();
    expect(t.sources).toEqual(['pending']);
    t.applier.onConfig(payload(3));
    await t.settle();
    expect(t.sent.map((r) => r.revision)).toEqual([2, 3]);
    await t.applier.stop();
  });

  it('refuses a payload without a usable revision, with a report', async () => {
    const t = setup([]);
    t.applier.start();
    t.applier.onConfig(payload('seven'));
    t.applier.onConfig(Buffer.from('{not json'));
    await t.settle();
    expect(t.sources).toEqual([]);
    expect(t.sent.map((r) => r.refused)).toEqual([
      'config payload refused: revision must be a non-negative integer',
      expect.stringMatching(/^config payload refused: payload is not valid JSON/),
    ]);
    await t.applier.stop();
  });

  it('re-applies every interval; sends only what changed, and drift always', async () => {
    const t = setup([applied(2), applied(2), applied(2, 'drift'), applied(2, 'failed')]);
    t.files.pending = payload(2);
    t.applier.start();
    await t.settle();
    t.clock.advance(30 * 60_000);
    await t.settle();
    t.clock.advance(30 * 60_000);
    await t.settle();
    t.clock.advance(30 * 60_000);
    await t.settle();
    expect(t.sources).toEqual(['pending', 'pending', 'pending', 'pending']);
    expect(t.sent.map((r) => r.id)).toEqual(['r2applied', 'r2drift', 'r2failed']);
    await t.applier.stop();
    expect(t.clock.timers.size).toBe(0);
  });

  it('after a refused config, reports the refusal once and keeps applying the last good one', async () => {
    const refused = { id: 'x', revision: 5, refused: 'config refused, the last good one is kept: …', modules: {} };
    const t = setup([refused, applied(4), applied(4)]);
    t.applier.start();
    t.applier.onConfig(payload(5));
    await t.settle();
    t.clock.advance(30 * 60_000);
    await t.settle();
    t.clock.advance(30 * 60_000);
    await t.settle();
    expect(t.sources).toEqual(['pending', 'last-good', 'last-good']);
    expect(t.sent.map((r) => r.id)).toEqual(['x', 'r4applied']);
    await t.applier.stop();
  });

  describe("the agent section: the hub's metered mode reaches the link", () => {
    /** A wired line on the default route: detection alone says fixed. */
    const wired: NetworkLink = { defaultInterface: () => 'enp3s0', isMobile: async () => false };
    const withAgent = (revision: number, agent: unknown) =>
      Buffer.from(JSON.stringify({ v: 1, revision, modules: {}, agent }));

    function linked(local: 'auto' | 'on' | 'off' = 'auto') {
      const link = new MeteredPolicy(wired, createJsonLogger({ write: () => {} }), local);
      const t = setup([applied(1), applied(2), applied(3), applied(4)], ({ metered }) =>
        link.setMode(meteredModeFrom(metered, local)),
      );
      return { t, link };
    }

    it('on and off from the hub override detection; auto goes back to it', async () => {
      const { t, link } = linked();
      t.applier.start();
      await link.refresh();
      expect(link.metered).toBe(false);
      t.applier.onConfig(withAgent(1, { metered: 'on' }));
      await link.refresh();
      expect(link.metered).toBe(true);
      expect(link.budget.fullInventory).toBe(false);
      t.applier.onConfig(withAgent(2, { metered: 'auto' }));
      await link.refresh();
      expect(link.metered).toBe(false);
      t.applier.onConfig(withAgent(3, { metered: 'on' }));
      t.applier.onConfig(withAgent(4, {})); // the hub no longer says: detection again
      await link.refresh();
      expect(link.metered).toBe(false);
      await t.settle();
      await t.applier.stop();
    });

    it("the hub's off wins over a local --metered on; its auto leaves the local setting", async () => {
      const { t, link } = linked('on');
      t.applier.start();
      expect(link.metered).toBe(true);
      t.applier.onConfig(withAgent(1, { metered: 'off' }));
      expect(link.metered).toBe(false);
      t.applier.onConfig(withAgent(2, { metered: 'auto' }));
      expect(link.metered).toBe(true);
      await t.settle();
      await t.applier.stop();
    });

    it('takes the stored config at start, before any message from the hub', async () => {
      const { t, link } = linked();
      t.files.pending = withAgent(3, { metered: 'on' });
      t.applier.start();
      expect(link.metered).toBe(true);
      await t.settle();
      await t.applier.stop();
    });

    it('leaves out a value it does not know (the local setting holds), and an older revision changes nothing', async () => {
      const { t, link } = linked();
      t.applier.start();
      t.applier.onConfig(withAgent(2, { metered: 'always' }));
      await link.refresh();
      expect(link.metered).toBe(false);
      t.applier.onConfig(withAgent(1, { metered: 'on' }));
      await link.refresh();
      expect(link.metered).toBe(false);
      await t.settle();
      await t.applier.stop();
    });
  });
});
