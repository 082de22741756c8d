import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigMessage } from '@bascule/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigEngine } from '../../config/config-engine.js';
import { ConfigStore } from '../../config/config-store.js';
import { fixture as inventoryFixture } from '../../inventory/fixtures/fixture.js';
import type { Logger } from '../../logging/logger.js';
import type { CommandResult } from '../../system/command-runner.js';
import { FakeCommandRunner } from '../../system/fake-command-runner.js';
import { StateDirectory } from '../../system/state-directory.js';
import { MemoryStateFile } from '../../system/state-file.js';
import { DataUseMeter } from '../../wwan/data-use-meter.js';
import { parse3gppScan, parseModemLockAndPorts } from '../../wwan/mmcli-wwan-parser.js';
import { ModemManagerClient } from '../../wwan/modem-manager-client.js';
import { NetworkManagerClient, WWAN_PROFILE } from '../../wwan/network-manager-client.js';
import { parseWwanPolicy } from '../../wwan/wwan-policy-file.js';
import { fixture } from './fixtures/fixture.js';
import { WwanFailoverModule } from './wwan-failover.module.js';

const logger: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const clock = { now: () => Date.parse('2026-12-03T10:00:00Z'), setTimeout: () => 0, clearTimeout: () => {} };
const ok = (stdout: string): CommandResult => ({ stdout, stderr: '', exitCode: 0 });
const PIN = '4817';

/**
 * NetworkManager and ModemManager as the commands see them: the profile is what `nmcli connection
 * add/modify` made of it; mmcli answers from the recorded (documented) JSON of each SIM state.
 */
class Rig {
  modem: string | null = fixture('mmcli-modem-unlocked.documented.json.txt');
  profile: Map<string, string> | null = null;
  gsmReason = '0 (No reason given)';
  routes = [{ dst: 'default', dev: 'pri0', metric: 100 }];
  readonly nmcliCalls: string[][] = [];
  readonly runner = new FakeCommandRunner({
    mmcli: (args) => this.mmcli(args),
    nmcli: (args) => this.nmcli(args),
    ip: (args) => (args.includes('route') ? ok(JSON.stringify(this.routes)) : ok('[]')),
  });

  private mmcli(args: readonly string[]): CommandResult {
    if (args[0] === '-L')
      return ok(this.modem ? inventoryFixture('mmcli-list.documented.json.txt') : '{"modem-list":[]}');
    if (args[0] === '-i') return ok(inventoryFixture('mmcli-sim.documented.json.txt'));
    if (args.includes('--3gpp-scan')) return ok(fixture('mmcli-3gpp-scan.documented.json.txt'));
    if (this.modem && args[0] === '-m') return ok(this.modem);
    return { stdout: '', stderr: "error: couldn't find modem", exitCode: 1 };
  }

  private nmcli(args: readonly string[]): CommandResult {
    const a = [...args];
    if (a[0] === 'connection' && (a[1] === 'add' || a[1] === 'modify')) this.nmcliCalls.push(a);
    if (a.includes('device') && a.includes('show')) return ok(`GENERAL.REASON:${this.gsmReason}\n`);
    if (a.at(-1) === 'device') return ok('cdc-wdm0:gsm:disconnected:none:\npri0:ethernet:connected:full:primary\n');
    if (a[3] === 'connection' && a[4] === 'show') {
      if (!this.profile) return { stdout: '', stderr: `Error: ${a[5]} - no such connection profile.`, exitCode: 10 };
      const fields = (a[2] ?? '').split(',');
      return ok(fields.map((f) => `${f}:${this.profile?.get(f) ?? ''}`).join('\n'));
    }
    if (a[0] === 'connection' && a[1] === 'add') {
      this.profile = new Map([['connection.id', WWAN_PROFILE]]);
      this.set(a.slice(a.indexOf('con-name') + 2));
      return ok(`Connection '${WWAN_PROFILE}' successfully added.\n`);
    }
    if (a[0] === 'connection' && a[1] === 'modify') {
      this.set(a.slice(3));
      return ok('');
    }
    if (a[0] === 'connection' && a[1] === 'delete') {
      this.profile = null;
      return ok('');
    }
    return ok('');
  }

  private set(pairs: string[]) {
    for (let i = 0; i + 1 < pairs.length; i += 2) this.profile?.set(pairs[i] as string, pairs[i + 1] as string);
  }
}

describe('wwan-failover module', () => {
  let dir: string;
  let store: ConfigStore;
  let rig: Rig;
  let policy: MemoryStateFile;
  let override: MemoryStateFile;
  let revision = 0;

  const engine = () =>
    new ConfigEngine({
      modules: [
        new WwanFailoverModule(
          new NetworkManagerClient(rig.runner),
          new ModemManagerClient(rig.runner),
          store,
          policy,
          override,
          new DataUseMeter(new MemoryStateFile(), () => 'boot-1'),
          () => new Date(clock.now()),
        ),
      ],
      applied: store,
      clock,
      ids: () => `01JE10000000000000000000${String(++revision).padStart(2, '0')}`,
      logger,
      agentVersion: 'test',
    });

  const apply = async (settings: Record<string, unknown> | null) => {
    const config: ConfigMessage = {
      v: 1,
      id: '01JE1000000000000000000000',
      ts: new Date(clock.now()).toISOString(),
      revision: ++revision,
      modules: settings ? { 'wwan-failover': { policyId: 'p-4g', policyRevision: 1, settings } } : {},
      agent: {},
    };
    const report = await engine().apply(config);
    return report.modules['wwan-failover'];
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'wwan-'));
    store = new ConfigStore(new StateDirectory(dir));
    rig = new Rig();
    policy = new MemoryStateFile();
    override = new MemoryStateFile();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const settings = (extra: Record<string, unknown> = {}) => ({ apn: 'orange.fr', operator: '20801', ...extra });

  it('creates the GSM profile pinned to the operator, the PIN never shown, and a second apply changes nothing', async () => {
    const m = await apply(settings({ simPin: PIN }));
    expect(m?.status, JSON.stringify(m)).toBe('applied');
    expect(m?.steps.map((s) => s.description)).toEqual([
      `create the 4G profile ${WWAN_PROFILE}: APN orange.fr, operator 20801 only (no roaming), route metric 700, always up (passive), with the SIM PIN`,
      'have the agent report failover and failback (passive mode: NetworkManager switches)',
    ]);
    const add = rig.nmcliCalls[0] ?? [];
    expect(add.slice(0, 8)).toEqual(['connection', 'add', 'type', 'gsm', 'ifname', '*', 'con-name', WWAN_PROFILE]);
    expect(Object.fromEntries([...(rig.profile ?? [])])).toMatchObject({
      'gsm.apn': 'orange.fr',
      'gsm.network-id': '20801',
      'gsm.home-only': 'yes',
      'gsm.pin': PIN,
      'ipv4.route-metric': '700',
      'ipv6.route-metric': '700',
      'connection.autoconnect': 'yes',
    });
    expect(JSON.stringify(m)).not.toContain(PIN);
    expect(JSON.stringify(store.read('wwan-failover', 'state'))).not.toContain(PIN);
    expect(m?.observed).toMatchObject({
      modem: {
        model: 'EM7455',
        operator: 'Orange F',
        operatorCode: '20801',
        registration: 'home',
        signalPercent: 67,
        accessTech: ['lte'],
      },
      profile: { exists: true },
      defaultRoute: { via: 'primary', interface: 'pri0' },
    });
    expect(parseWwanPolicy(policy.text ?? '')).toMatchObject({
      profile: WWAN_PROFILE,
      mode: 'passive',
      pinRefused: false,
    });

    const again = await apply(settings({ simPin: PIN }));
    expect(again).toMatchObject({ status: 'applied', steps: [] });
  });

  it('on-demand: autoconnect off, and only what changed is modified', async () => {
    await apply(settings());
    rig.nmcliCalls.length = 0;
    const m = await apply(settings({ mode: 'on-demand', downAfterSeconds: 5, upAfterSeconds: 20, routeMetric: 800 }));
    expect(m?.status, JSON.stringify(m)).toBe('applied');
    expect(rig.nmcliCalls).toEqual([
      [
        'connection',
        'modify',
        WWAN_PROFILE,
        'connection.autoconnect',
        'no',
        'ipv4.route-metric',
        '800',
        'ipv6.route-metric',
        '800',
      ],
    ]);
    expect(m?.steps.map((s) => s.description)[1]).toBe(
      'have the agent bring the 4G link up after 5 s without internet on the primary and down 20 s after it is back',
    );
  });

  it('a modem the policy names by IMEI but that is absent: "no modem", nothing changed', async () => {
    const m = await apply(settings({ modem: { select: 'imei', imei: '490154203237518' } }));
    expect(m?.status).toBe('failed');
    expect(m?.error).toMatch(
      /^no modem: ModemManager does not see the modem with IMEI 490154203237518 \(it sees 356938035643809\)/,
    );
    expect(m?.steps).toEqual([]);
    expect(rig.profile).toBeNull();
    expect(policy.text).toBeNull();

    rig.modem = null;
    const none = await apply(settings());
    expect(none?.error).toMatch(/^no modem: ModemManager sees no mobile modem/);
    expect(rig.nmcliCalls).toEqual([]);
  });

  it('the modem named by IMEI gets the profile bound to its device id', async () => {
    const m = await apply(settings({ modem: { select: 'imei', imei: '356938035643809' } }));
    expect(m?.status, JSON.stringify(m)).toBe('applied');
    expect(rig.profile?.get('gsm.device-id')).toBe('a1b2c3');
  });

  it('a wrong PIN is tried once, reported, taken out of the profile and never tried again for that SIM', async () => {
    rig.modem = fixture('mmcli-modem-pin-locked.documented.json.txt');
    const first = await apply(settings({ simPin: PIN }));
    // NetworkManager has not tried it yet: no verdict.
    expect(first?.status, JSON.stringify(first)).toBe('applied');
    expect(rig.profile?.get('gsm.pin')).toBe(PIN);

    // NetworkManager tried it: the SIM said no (one try fewer, reason 59).
    rig.modem = fixture('mmcli-modem-pin-refused.documented.json.txt');
    rig.gsmReason = '59 (SIM PIN is incorrect)';
    const second = await apply(settings({ simPin: PIN }));
    expect(second?.status).toBe('failed');
    expect(second?.error).toMatch(/the SIM refused the PIN of the policy \(2 tries left\): it is not tried again/);
    expect(second?.steps.map((s) => s.description)[0]).toBe(
      `set no SIM PIN (the SIM refused it) on the 4G profile ${WWAN_PROFILE}`,
    );
    expect(rig.profile?.get('gsm.pin')).toBe('');
    expect(parseWwanPolicy(policy.text ?? '').pinRefused).toBe(true);
    expect(JSON.stringify(second)).not.toContain(PIN);

    // Every later apply of the same policy: still refused, the PIN is never written again.
    rig.nmcliCalls.length = 0;
    const third = await apply(settings({ simPin: PIN }));
    expect(third?.status).toBe('failed');
    expect(rig.nmcliCalls).toEqual([]);

    // A new PIN from the policy: one attempt.
    const fixed = await apply(settings({ simPin: '1234' }));
    expect(fixed?.steps.map((s) => s.description)[0]).toBe(`set the SIM PIN on the 4G profile ${WWAN_PROFILE}`);
    expect(rig.profile?.get('gsm.pin')).toBe('1234');
  });

  it('never spends the last PIN try', async () => {
    rig.modem = fixture('mmcli-modem-pin-last-try.documented.json.txt');
    const m = await apply(settings({ simPin: PIN }));
    expect(m?.status).toBe('failed');
    expect(m?.error).toMatch(/the SIM has one PIN try left: the agent does not use it/);
    expect(rig.profile?.get('gsm.pin') ?? '').toBe('');
  });

  it('refuses a route metric that is not above the primary', async () => {
    rig.routes = [{ dst: 'default', dev: 'wlan0', metric: 600 }];
    const m = await apply(settings({ routeMetric: 600 }));
    expect(m?.error).toMatch(/the 4G route metric 600 is not above the primary's \(wlan0: 600\)/);
  });

  it('invalid settings: a clear message per field, nothing touched', async () => {
    const m = await apply({ apn: 'orange fr', operator: '208', simPin: '12', mode: 'sometimes' });
    expect(m?.status).toBe('invalid');
    expect(m?.error).toMatch(/apn: expected an APN/);
    expect(m?.error).toMatch(/operator: expected the operator code MCC\+MNC/);
    expect(m?.error).toMatch(/simPin: a SIM PIN is 4 to 8 digits/);
    expect(rig.nmcliCalls).toEqual([]);
  });

  it('keeps the operator a person registered on (RPC) until the policy pins another one', async () => {
    await apply(settings());
    override.text = JSON.stringify({
      operator: '20810',
      policyOperator: '20801',
      by: 'helpdesk',
      at: '2026-12-03T09:00:00Z',
    });
    rig.profile?.set('gsm.network-id', '20810');
    expect(await apply(settings())).toMatchObject({ status: 'applied', steps: [] });
    const changed = await apply(settings({ operator: '20820' }));
    expect(changed?.steps[0]?.description).toBe(`set gsm.network-id 20820 on the 4G profile ${WWAN_PROFILE}`);
  });

  it('release deletes the profile it created and stops the watcher', async () => {
    await apply(settings());
    expect(rig.profile).not.toBeNull();
    await apply(null);
    expect(rig.profile).toBeNull();
    expect(policy.text).toBeNull();
  });
});

describe('mmcli parsing for the 4G module', () => {
  it('reads the lock state, PIN tries and the data port', () => {
    expect(parseModemLockAndPorts(fixture('mmcli-modem-pin-refused.documented.json.txt'))).toEqual({
      deviceIdentifier: 'a1b2c3',
      unlockRequired: 'sim-pin',
      pinRetries: 2,
      netInterface: 'wwan0',
      primaryPort: 'cdc-wdm0',
    });
    // sim-pin2 does not stop data.
    expect(parseModemLockAndPorts(inventoryFixture('mmcli-modem.documented.json.txt')).unlockRequired).toBeUndefined();
  });

  it('reads the operators of a network scan', () => {
    expect(parse3gppScan(fixture('mmcli-3gpp-scan.documented.json.txt'))).toEqual([
      { code: '20801', name: 'Orange F', availability: 'current', accessTech: ['lte'] },
      { code: '20810', name: 'SFR', availability: 'available', accessTech: ['umts', 'hsdpa', 'hsupa'] },
      { code: '20820', name: 'Bouygues Telecom', availability: 'available', accessTech: ['lte'] },
      { code: '20815', name: 'Free', availability: 'forbidden', accessTech: ['lte'] },
    ]);
    expect(() => parse3gppScan('error')).toThrow(/mmcli --3gpp-scan -J: not a JSON object/);
  });
});
