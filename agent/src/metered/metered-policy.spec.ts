import type { HealthSample } from '@bascule/protocol';
import { describe, expect, it } from 'vitest';
import { HealthReporter } from '../health/health-reporter.js';
import type { HealthSampler } from '../health/health-sampler.js';
import { createJsonLogger } from '../logging/logger.js';
import type { NetworkLink } from '../system/network-link.js';
import { DEFAULT_LINK_BUDGETS, MeteredPolicy, meteredModeFrom } from './metered-policy.js';

const logger = createJsonLogger({ write: () => {} });

class FakeLink implements NetworkLink {
  iface: string | undefined = 'enp3s0';
  mobile = new Set<string>();
  asked = 0;
  defaultInterface() {
    return this.iface;
  }
  async isMobile(iface: string) {
    this.asked++;
    return this.mobile.has(iface);
  }
}

describe('MeteredPolicy', () => {
  it('follows the default route, asking about an interface only when the route changes', async () => {
    const link = new FakeLink();
    link.mobile.add('wwan0');
    const p = new MeteredPolicy(link, logger);
    expect(await p.refresh()).toBe(false);
    expect(p.metered).toBe(false);
    expect(p.budget).toBe(DEFAULT_LINK_BUDGETS.fixed);
    await p.refresh();
    expect(link.asked).toBe(1);
    link.iface = 'wwan0';
    expect(await p.refresh()).toBe(true);
    expect(p.metered).toBe(true);
    expect(p.budget).toEqual(expect.objectContaining({ sampleEvery: 5, keepaliveSeconds: 300, fullInventory: false }));
    link.iface = 'enp3s0';
    expect(await p.refresh()).toBe(true);
    expect(p.metered).toBe(false);
    expect(link.asked).toBe(3);
  });

  it('the hub (or the operator) overrides detection', async () => {
    const link = new FakeLink();
    const p = new MeteredPolicy(link, logger, 'on');
    await p.refresh();
    expect(p.metered).toBe(true);
    expect(link.asked).toBe(0);
    expect(p.setMode('off')).toBe(true);
    expect(p.metered).toBe(false);
    expect(p.setMode('off')).toBe(false);
  });

  it('says and logs when a mode set by the hub changes the link state, and auto goes back to detection', async () => {
    const link = new FakeLink();
    const lines: string[] = [];
    const p = new MeteredPolicy(link, createJsonLogger({ write: (l) => lines.push(l) }));
    await p.refresh();
    expect(p.setMode('on')).toBe(true);
    expect(p.budget).toBe(DEFAULT_LINK_BUDGETS.metered);
    expect(JSON.parse(lines.at(-1) ?? '{}')).toMatchObject({ msg: 'metered link: frugal mode', mode: 'on' });
    expect(p.setMode('auto')).toBe(true);
    expect(JSON.parse(lines.at(-1) ?? '{}')).toMatchObject({ msg: 'fixed line: normal mode', mode: 'auto' });
    link.iface = 'wwan0';
    link.mobile.add('wwan0');
    expect(await p.refresh()).toBe(true);
    expect(p.metered).toBe(true);
  });

  it('a failed detection keeps the last state', async () => {
    const link = new FakeLink();
    link.isMobile = async () => {
      throw new Error('nmcli: killed after 5000 ms');
    };
    const p = new MeteredPolicy(link, logger);
    expect(await p.refresh()).toBe(false);
    expect(p.metered).toBe(false);
  });
});

describe('HealthReporter', () => {
  const sample = (ts: string) => ({ ts }) as HealthSample;
  const sampler = { sample: async (now: Date) => sample(now.toISOString()) } as unknown as HealthSampler;
  let n = 0;
  const ids = () => `ID${n++}`;

  it('sends the first sample at once, then five to a message; flush keeps the rest', async () => {
    const r = new HealthReporter(sampler, new MeteredPolicy(new FakeLink(), logger), ids);
    const t = (m: number) => new Date(Date.UTC(2026, 10, 25, 10, m));
    expect((await r.tick(t(0)))?.samples).toHaveLength(1);
    for (let m = 1; m <= 4; m++) expect(await r.tick(t(m))).toBeUndefined();
    const batch = await r.tick(t(5));
    expect(batch?.samples.map((s) => s.ts)).toEqual([1, 2, 3, 4, 5].map((m) => t(m).toISOString()));
    await r.tick(t(6));
    expect(r.flush(t(6))?.samples).toHaveLength(1);
    expect(r.flush(t(6))).toBeUndefined();
    expect(r.intervalMs(60)).toBe(60_000);
  });

  it('on a metered link: a sample every 5 heartbeats, twelve to a message, each marked metered', async () => {
    const p = new MeteredPolicy(new FakeLink(), logger, 'on');
    const r = new HealthReporter(sampler, p, ids);
    expect(r.intervalMs(60)).toBe(300_000);
    const first = await r.tick(new Date(0));
    expect(first?.samples[0]?.metered).toBe(true);
    for (let i = 1; i < 12; i++) expect(await r.tick(new Date(i))).toBeUndefined();
    expect((await r.tick(new Date(12)))?.samples).toHaveLength(12);
  });

  it('marks samples taken while the state directory is full', async () => {
    let full = true;
    const r = new HealthReporter(sampler, new MeteredPolicy(new FakeLink(), logger), ids, () => full);
    expect((await r.tick(new Date(0)))?.samples[0]?.stateDiskFull).toBe(true);
    full = false;
    await r.tick(new Date(1));
    expect(r.flush(new Date(1))?.samples[0]?.stateDiskFull).toBeUndefined();
  });
});

describe('meteredModeFrom', () => {
  it("takes the hub's on or off over the local setting, and the local setting when the hub says auto or nothing", () => {
    expect(meteredModeFrom('on', 'off')).toBe('on');
    expect(meteredModeFrom('off', 'on')).toBe('off');
    expect(meteredModeFrom('auto', 'on')).toBe('on');
    expect(meteredModeFrom(undefined, 'off')).toBe('off');
    expect(meteredModeFrom(undefined, 'auto')).toBe('auto');
  });
});
