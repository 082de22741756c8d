import type { InventorySectionName, InventorySections } from '@bascule/protocol';
import { INVENTORY_SECTIONS } from '@bascule/protocol/runtime';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HealthReporter } from '../health/health-reporter.js';
import { createMemoryLogger } from '../logging/logger.js';
import type { MeteredPolicy } from '../metered/metered-policy.js';
import type { Outbox } from '../outbox/outbox.js';
import { parseAgentSettings } from '../settings/agent-settings.js';
import type { RuntimeStatusStore } from '../state/runtime-status-store.js';
import { systemClock } from '../system/clock.js';
import type { ChangeTrigger } from '../system/file-change-trigger.js';
import { AgentDaemon } from './agent-daemon.js';
import type { OutboxPublisher } from './outbox-publisher.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** A trigger the test fires by hand. */
class ManualTrigger implements ChangeTrigger {
  private onChange: (() => void) | undefined;
  start(onChange: () => void) {
    this.onChange = onChange;
  }
  stop() {
    this.onChange = undefined;
  }
  fire() {
    this.onChange?.();
  }
}

/** The daemon with everything but its scheduling faked; records what was collected and what was sent. */
function daemonUnderTest(opts: { metered?: boolean } = {}) {
  const collected: Array<readonly InventorySectionName[]> = [];
  const sent: Array<{ kind: string; sections: string[] }> = [];
  let version = 0;
  const inventory = {
    async collect(names: readonly InventorySectionName[] = INVENTORY_SECTIONS) {
      collected.push(names);
      // Every collection sees a changed machine, so each collected section is sent.
      version++;
      return Object.fromEntries(names.map((n) => [n, { hash: `${n}-${version}`, data: {} }])) as InventorySections;
    },
  };
  const outbox = {
    open() {},
    enqueue(kind: string, message: { sections: object }) {
      sent.push({ kind, sections: Object.keys(message.sections) });
      return {} as never;
    },
  } as unknown as Outbox;
  const metered = opts.metered ?? false;
  const link = {
    metered,
    budget: { fullInventory: !metered, maxSectionBytes: metered ? 16 * 1024 : Number.POSITIVE_INFINITY },
    refresh: async () => false,
  } as unknown as MeteredPolicy;
  const health = {
    intervalMs: () => 60_000,
    tick: async () => undefined,
    flush: () => undefined,
  } as unknown as HealthReporter;
  const packages = new ManualTrigger();
  const network = new ManualTrigger();
  let n = 0;
  const daemon = new AgentDaemon({
    settings: parseAgentSettings({}),
    logger: createMemoryLogger(),
    clock: systemClock,
    ids: () => `01JABCDEFGHJKMNPQRSTVW${String(n++).padStart(4, '0')}`,
    outbox,
    publisher: { pump() {}, onConnected() {}, onDisconnected() {} } as unknown as OutboxPublisher,
    connection: { start() {}, stop: async () => {}, connected: true },
    health,
    link,
    inventory,
    runtime: { write() {} } as unknown as RuntimeStatusStore,
    pid: 1,
    inventoryTriggers: [
      { trigger: packages, sections: ['software'] },
      { trigger: network, sections: ['network'] },
    ],
  });
  return { daemon, collected, sent, packages, network };
}

describe('AgentDaemon inventory schedule', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-11-25T08:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends a full inventory at start, then only the volatile sections hourly, and a full one a day later', async () => {
    const { daemon, collected, sent } = daemonUnderTest();
    daemon.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual([{ kind: 'inventory-full', sections: [...INVENTORY_SECTIONS] }]);

    await vi.advanceTimersByTimeAsync(HOUR);
    expect(collected.at(-1)).toEqual(['network', 'users']);
    expect(sent.at(-1)).toEqual({ kind: 'inventory-delta', sections: ['network', 'users'] });

    await vi.advanceTimersByTimeAsync(22 * HOUR);
    // Nothing but the two volatile sections was collected between the full inventories.
    expect(collected.slice(1).every((c) => c.join() === 'network,users')).toBe(true);
    expect(sent.filter((s) => s.kind === 'inventory-full')).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(HOUR + MIN);
    expect(sent.filter((s) => s.kind === 'inventory-full')).toHaveLength(2);
    await daemon.stop();
  });

  it('sends the software section soon after a package change, and the network section after a network change', async () => {
    const { daemon, collected, sent, packages, network } = daemonUnderTest();
    daemon.start();
    await vi.advanceTimersByTimeAsync(0);
    packages.fire();
    await vi.advanceTimersByTimeAsync(0);
    expect(collected.at(-1)).toEqual(['software']);
    expect(sent.at(-1)).toEqual({ kind: 'inventory-delta', sections: ['software'] });
    network.fire();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.at(-1)).toEqual({ kind: 'inventory-delta', sections: ['network'] });
    await daemon.stop();
  });

  it('runs a full inventory on request (inventory.refresh, SIGHUP), and merges requests made while one runs', async () => {
    const { daemon, sent, packages } = daemonUnderTest();
    daemon.start();
    // The start's full inventory is running: a package change and a request wait for it.
    packages.fire();
    daemon.requestInventory('full');
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((s) => s.kind)).toEqual(['inventory-full', 'inventory-full']);
    await daemon.stop();
  });

  it('on a metered link, a requested full inventory waits; changed small sections still go', async () => {
    const { daemon, sent, packages } = daemonUnderTest({ metered: true });
    daemon.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((s) => s.kind)).toEqual(['inventory-delta']);
    daemon.requestInventory('full');
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toHaveLength(1);
    packages.fire();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.at(-1)).toEqual({ kind: 'inventory-delta', sections: ['software'] });
    await daemon.stop();
  });

  it('leaves no timer running after stop', async () => {
    const { daemon } = daemonUnderTest();
    daemon.start();
    await vi.advanceTimersByTimeAsync(0);
    await daemon.stop();
    expect(vi.getTimerCount()).toBe(0);
  });
});
