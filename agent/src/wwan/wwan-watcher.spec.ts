import { describe, expect, it } from 'vitest';
import type { Logger } from '../logging/logger.js';
import type { CommandResult } from '../system/command-runner.js';
import { FakeCommandRunner } from '../system/fake-command-runner.js';
import { MemoryStateFile } from '../system/state-file.js';
import { parseConnectivityUri } from './connectivity-probe.js';
import { DataUseMeter } from './data-use-meter.js';
import { NetworkManagerClient } from './network-manager-client.js';
import { formatWwanPolicy } from './wwan-policy-file.js';
import { WwanWatcher } from './wwan-watcher.js';

const logger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const ok = (stdout: string): CommandResult => ({ stdout, stderr: '', exitCode: 0 });

/** NetworkManager as nmcli and ip show it: a primary pri0 and the 4G profile on wwan0. */
class Links {
  primary: 'full' | 'limited' | 'none' = 'full';
  primaryCarrier = true;
  backupUp = false;
  rx = 1_000;
  /** `nmcli device modify pri0 ipv4.route-metric N` (runtime), until `reapply`. */
  demotedMetric: number | undefined;
  readonly calls: string[] = [];
  readonly runner = new FakeCommandRunner({
    nmcli: (args) => this.nmcli(args),
    ip: (args) => (args.includes('route') ? ok(JSON.stringify(this.routes())) : ok(this.link())),
  });

  private routes() {
    const r: { dst: string; dev: string; metric: number }[] = [];
    if (this.primaryCarrier) {
      r.push({ dst: 'default', dev: 'pri0', metric: this.primary === 'full' ? (this.demotedMetric ?? 100) : 20_100 });
    }
    if (this.backupUp) r.push({ dst: 'default', dev: 'wwan0', metric: 700 });
    return r.sort((a, b) => a.metric - b.metric);
  }

  private link() {
    return JSON.stringify([{ ifname: 'wwan0', stats64: { rx: { bytes: this.rx }, tx: { bytes: 500 } } }]);
  }

  private nmcli(args: readonly string[]): CommandResult {
    const a = args.join(' ');
    if (a.startsWith('connection up')) {
      this.calls.push('up');
      this.backupUp = true;
      return ok('');
    }
    if (a.startsWith('device modify pri0 ipv4.route-metric')) {
      this.calls.push(`metric ${args.at(-1)}`);
      this.demotedMetric = Number(args.at(-1));
      return ok('');
    }
    if (a === 'device reapply pri0') {
      this.calls.push('reapply');
      this.demotedMetric = undefined;
      return ok('');
    }
    if (a.startsWith('connection down')) {
      this.calls.push('down');
      this.backupUp = false;
      return ok('');
    }
    if (a.includes('connection show')) {
      return ok(this.backupUp ? 'GENERAL.STATE:activated\nGENERAL.DEVICES:wwan0\n' : '');
    }
    if (a.includes('GENERAL.IP-IFACE')) return ok('GENERAL.IP-IFACE:wwan0\n');
    if (a.endsWith('device')) {
      const pri = this.primaryCarrier
        ? `pri0:ethernet:connected:${this.primary}:primary`
        : 'pri0:ethernet:unavailable:none:';
      return ok(
        `${pri}\nwwan0:ethernet:${this.backupUp ? 'connected:full:backup' : 'disconnected:none:'}\nlo:loopback:connected (externally):unknown:lo\n`,
      );
    }
    return ok('');
  }
}

function watcher(
  links: Links,
  mode: 'passive' | 'on-demand',
  probe?: { check(iface: string): Promise<boolean | undefined> },
) {
  let now = Date.parse('2026-12-03T10:00:00Z');
  const events: { type: string; data: Record<string, unknown> }[] = [];
  const dataFile = new MemoryStateFile();
  const policy = new MemoryStateFile(
    formatWwanPolicy({
      profile: 'bascule-4g',
      mode,
      downAfterSeconds: 10,
      upAfterSeconds: 30,
      monthlyCapMiB: 100,
      monthStartDay: 1,
      pinRefused: false,
    }),
  );
  let routeChanges = 0;
  const w = new WwanWatcher(
    new NetworkManagerClient(links.runner),
    policy,
    new DataUseMeter(dataFile, () => 'boot-1'),
    { emit: (type, data) => events.push({ type, data: data as Record<string, unknown> }) },
    { now: () => now, setTimeout: () => 0, clearTimeout: () => {} },
    logger,
    () => routeChanges++,
    { dataSampleMs: 0, probeEveryMs: 0 },
    probe,
  );
  const at = async (seconds: number) => {
    now = Date.parse('2026-12-03T10:00:00Z') + seconds * 1000;
    await w.tick();
  };
  return { w, events, at, policy, dataFile, routeChanges: () => routeChanges };
}

describe('WwanWatcher', () => {
  it('on-demand: the 4G link stays down while the primary works, comes up after N s without internet, goes down M s after it is back', async () => {
    const links = new Links();
    const { events, at, routeChanges } = watcher(links, 'on-demand');
    await at(0);
    await at(60);
    expect(links.calls).toEqual([]);

    links.primary = 'limited'; // upstream dead: NetworkManager's check fails
    await at(61);
    await at(70);
    expect(links.calls).toEqual([]);
    await at(71);
    expect(links.calls).toEqual(['up']);
    await at(72);
    expect(events).toEqual([
      {
        type: 'wwan.failover',
        data: { mode: 'on-demand', from: 'pri0', to: 'wwan0', lostAt: '2026-12-03T10:01:01.000Z', afterMs: 11_000 },
      },
    ]);

    links.primary = 'full';
    await at(80);
    expect(events[1]).toEqual({
      type: 'wwan.failback',
      data: { mode: 'on-demand', from: 'wwan0', to: 'pri0', failoverAt: '2026-12-03T10:01:12.000Z', onWwanMs: 8_000 },
    });
    await at(109);
    expect(links.calls).toEqual(['up']);
    await at(110);
    expect(links.calls).toEqual(['up', 'down']);
    expect(routeChanges()).toBe(2);
  });

  it('passive: never brings the link up or down itself, reports the route moving on carrier loss', async () => {
    const links = new Links();
    links.backupUp = true;
    const { events, at } = watcher(links, 'passive');
    await at(0);
    links.primaryCarrier = false;
    await at(4);
    links.primaryCarrier = true;
    await at(6);
    expect(links.calls).toEqual([]);
    expect(events.map((e) => e.type)).toEqual(['wwan.failover', 'wwan.failback']);
    expect(events[0]?.data).toMatchObject({ from: 'pri0', to: 'wwan0', afterMs: 0 });
  });

  it('on-demand: its own probe sees a line dead upstream before NetworkManager does', async () => {
    const links = new Links();
    let answers = true;
    const probed: string[] = [];
    const { at, events } = watcher(links, 'on-demand', {
      check: async (iface) => {
        probed.push(iface);
        return answers;
      },
    });
    await at(0);
    answers = false; // NetworkManager still says full (its check has not timed out yet)
    await at(1);
    await at(10);
    expect(links.calls).toEqual([]);
    await at(11);
    // The 4G link is up but NetworkManager still prefers the dead primary: the watcher demotes it at once.
    expect(links.calls).toEqual(['up', 'metric 20100']);
    await at(15);
    expect(events.map((e) => e.type)).toEqual(['wwan.failover']);
    expect(probed.every((i) => i === 'pri0')).toBe(true);
    // Back: the probe answers again; the primary's metric at once, the 4G link down after M s.
    answers = true;
    await at(20);
    expect(links.calls).toEqual(['up', 'metric 20100', 'reapply']);
    await at(22);
    expect(events.map((e) => e.type)).toEqual(['wwan.failover', 'wwan.failback']);
    await at(51);
    expect(links.calls).toEqual(['up', 'metric 20100', 'reapply', 'down']);
  });

  it('reads the check URI from NetworkManager --print-config', () => {
    expect(
      parseConnectivityUri(
        '[main]\nplugins=keyfile\n\n[connectivity]\nenabled=true\nuri=http://10.233.9.9/check\ninterval=5\n',
      ),
    ).toBe('http://10.233.9.9/check');
    expect(parseConnectivityUri('[connectivity]\nenabled=false\nuri=http://x/check\n')).toBeUndefined();
    expect(parseConnectivityUri('[main]\n')).toBeUndefined();
  });

  it('never brings the link up when the SIM refused the PIN', async () => {
    const links = new Links();
    const { at, policy } = watcher(links, 'on-demand');
    policy.text = (policy.text ?? '').replace('"pinRefused": false', '"pinRefused": true');
    links.primary = 'none';
    await at(0);
    await at(100);
    expect(links.calls).toEqual([]);
  });

  it('adds the 4G bytes of the month across a counter reset', async () => {
    const links = new Links();
    links.backupUp = true;
    const { at, dataFile } = watcher(links, 'passive');
    await at(0); // first look: the counters before it are not this agent's to count
    links.rx = 3_000;
    await at(60);
    links.rx = 200; // the interface was re-created
    await at(120);
    expect(JSON.parse(dataFile.text ?? '{}')).toMatchObject({ periodStart: '2026-12-01', bytes: 2_000 + 200 });
  });
});
