import type { InventorySections } from '@bascule/protocol';
import { inventoryMessageSchema } from '@bascule/protocol';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../logging/logger.js';
import type { Clock } from '../system/clock.js';
import { systemClock } from '../system/clock.js';
import type { CommandResult } from '../system/command-runner.js';
import { FakeCommandRunner } from '../system/fake-command-runner.js';
import { FakeOsFiles } from '../system/fake-os-files.js';
import { fakeSi } from '../system/fake-system-info.js';
import { fixture, hexFixture } from './fixtures/fixture.js';
import { InventoryCollector } from './inventory-collector.js';

const ok = (stdout: string): CommandResult => ({ stdout, stderr: '', exitCode: 0 });
const fail = (stderr: string, exitCode = 1): CommandResult => ({ stdout: '', stderr, exitCode });

const DESKTOP_FILES = {
  '/etc/passwd': fixture('passwd.documented.txt'),
  '/etc/os-release': fixture('os-release-zorin.documented.txt'),
  '/proc/stat': 'cpu 1 2 3\nbtime 1795600000\n',
  '/etc/default/locale': 'LANG=fr_FR.UTF-8\n',
  '/sys/class/drm/card0-DP-1/status': 'connected\n',
  '/sys/class/drm/card0-DP-1/edid': hexFixture('edid-dell-p2422h.documented.hex'),
  '/sys/class/drm/card0-HDMI-A-1/status': 'disconnected\n',
  '/sys/class/drm/card0-HDMI-A-1/edid': Buffer.alloc(0),
  '/sys/class/power_supply/AC/uevent': 'POWER_SUPPLY_TYPE=Mains\n',
  '/sys/class/power_supply/BAT0/uevent': fixture('battery-uevent.documented.txt'),
  '/var/run/reboot-required': '*** System restart required ***\n',
  '/var/run/reboot-required.pkgs': 'linux-image-6.8.0-49-generic\n',
  '/home/alice/.bashrc': '',
  '/home/claire@mairie.local/.bashrc': '',
};

/** Every tool of a Zorin desktop in a town hall, answering with the fixtures. */
function desktopRunner(
  overrides: Record<string, CommandResult | Error | ((args: readonly string[]) => CommandResult)> = {},
) {
  return new FakeCommandRunner({
    'dpkg-query': ok(fixture('dpkg-query.recorded.txt')),
    snap: ok(fixture('snap-list.documented.txt')),
    flatpak: ok(fixture('flatpak-list.documented.txt')),
    apt: ok(fixture('apt-list-upgradable.recorded.txt')),
    smartctl: ok(fixture('smartctl-nvme.documented.json.txt')),
    lspci: ok(fixture('lspci.recorded.txt')),
    ip: ok(fixture('ip-route-default.recorded.json.txt')),
    resolvectl: ok(fixture('resolvectl-dns.documented.txt')),
    loginctl: (args) =>
      args[0] === 'list-sessions'
        ? ok('2 1000 alice seat0 tty2\n5 1002 helpdesk\n')
        : ok(fixture('loginctl-show-session.documented.txt')),
    last: ok(fixture('last.recorded.txt')),
    lpstat: ok(fixture('lpstat.recorded.txt')),
    realm: ok(fixture('realm-list.documented.txt')),
    clamscan: ok(fixture('clamscan.documented.txt')),
    mmcli: (args) =>
      ok(
        fixture(
          args[0] === '-L'
            ? 'mmcli-list.documented.json.txt'
            : args[0] === '-m'
              ? 'mmcli-modem.documented.json.txt'
              : 'mmcli-sim.documented.json.txt',
        ),
      ),
    ...overrides,
  });
}

function collect(runner: FakeCommandRunner, files = DESKTOP_FILES, clock: Clock = systemClock, timeoutMs?: number) {
  return new InventoryCollector(
    fakeSi(),
    runner,
    new FakeOsFiles(files),
    createMemoryLogger(),
    clock,
    timeoutMs,
  ).collect();
}

const data = <K extends keyof InventorySections>(sections: InventorySections, name: K) => {
  const s = sections[name];
  if (!s || !('data' in s)) throw new Error(`${name}: ${JSON.stringify(s)}`);
  return s.data;
};

describe('inventory sections on a desktop', () => {
  it('collects every section, and the whole fits the protocol', async () => {
    const sections = await collect(desktopRunner());
    const message = { v: 1, id: '01JABCDEFGHJKMNPQRSTVWXYZ0', ts: new Date().toISOString(), kind: 'full', sections };
    const parsed = inventoryMessageSchema.safeParse(message);
    expect(parsed.error?.issues ?? []).toEqual([]);
    const hw = data(sections, 'hardware');
    expect(hw.monitors).toEqual([expect.objectContaining({ connector: 'DP-1', model: 'DELL P2422H' })]);
    expect(hw.batteries).toEqual([expect.objectContaining({ name: 'BAT0', healthPercent: 55, cycleCount: 412 })]);
    expect(hw.disks[0]?.smart).toEqual({ passed: true, powerOnHours: 4231, temperatureC: 36, wearPercent: 3 });
    expect(data(sections, 'os')).toMatchObject({
      distroId: 'zorin',
      edition: 'Pro',
      sessionType: 'wayland',
      lastBoot: '2026-11-25T09:46:40.000Z',
      locale: 'fr_FR.UTF-8',
    });
    expect(data(sections, 'network')).toMatchObject({
      defaultInterface: 'eth0',
      dnsServers: ['10.0.0.10', '10.0.0.11', '192.168.1.1', 'fe80::1'],
    });
    const sw = data(sections, 'software');
    expect(sw.packages.filter((p) => p.source === 'snap')).toHaveLength(5);
    expect(sw.updates?.security).toBeGreaterThan(0);
    expect(sw.rebootRequired).toEqual({
      required: true,
      since: '2026-11-20T08:00:00.000Z',
      packages: ['linux-image-6.8.0-49-generic'],
    });
    expect(data(sections, 'users')).toMatchObject({
      accounts: [{ name: 'alice' }, { name: 'bob' }],
      loggedIn: [
        expect.objectContaining({ name: 'alice@mairie.local', type: 'wayland' }),
        expect.objectContaining({ name: 'helpdesk' }),
      ],
      domainUsers: ['alice@mairie.local', 'claire@mairie.local', 'mairie\\claire'],
    });
    expect(data(sections, 'printers').queues.find((q) => q.isDefault)?.name).toBe('Office');
    expect(data(sections, 'domain').realms[0]?.domain).toBe('mairie.local');
    expect(data(sections, 'antivirus').products).toEqual([
      {
        name: 'ClamAV',
        version: '1.0.7',
        signatureVersion: '27469',
        signatureDate: '2026-11-24T09:31:07.000Z',
        daemon: false,
      },
    ]);
    expect(data(sections, 'modem').modems[0]).toMatchObject({
      operator: 'Orange F',
      registration: 'home',
      iccid: '8933011234567890123',
    });
  });

  it('gives empty parts, not errors, when the optional tools are missing', async () => {
    const runner = new FakeCommandRunner({ 'dpkg-query': ok(fixture('dpkg-query.recorded.txt')) });
    const sections = await collect(runner, { '/etc/passwd': fixture('passwd.documented.txt') });
    for (const s of Object.values(sections)) expect(s).not.toHaveProperty('error');
    expect(data(sections, 'printers')).toEqual({ queues: [] });
    expect(data(sections, 'domain')).toEqual({ realms: [] });
    expect(data(sections, 'antivirus')).toEqual({ products: [] });
    expect(data(sections, 'modem')).toEqual({ modems: [] });
    expect(data(sections, 'hardware').disks[0]).not.toHaveProperty('smart');
    expect(data(sections, 'software').rebootRequired).toEqual({ required: false, packages: [] });
  });

  it('says the CUPS scheduler is stopped, and that ModemManager not running means no modem', async () => {
    const runner = desktopRunner({
      lpstat: fail('lpstat: Scheduler is not running.\n'),
      mmcli: fail("error: couldn't find the ModemManager process in the bus\n"),
    });
    const sections = await collect(runner);
    expect(data(sections, 'printers')).toEqual({ queues: [], schedulerRunning: false });
    expect(data(sections, 'modem')).toEqual({ modems: [] });
  });

  it('turns garbage and failures into section errors, and keeps the other sections', async () => {
    const runner = desktopRunner({
      lpstat: ok('<html>500 Internal Server Error</html>\n'),
      realm: fail(fixture('realm-no-dbus.recorded.txt')),
      clamscan: ok('Segmentation fault\n'),
      mmcli: ok('not json'),
      'dpkg-query': ok('dpkg-query: error: parsing file /var/lib/dpkg/status\n'),
    });
    const sections = await collect(runner, { ...DESKTOP_FILES, '/etc/passwd': 'garbage\n' });
    for (const name of ['printers', 'domain', 'antivirus', 'modem', 'software', 'users'] as const) {
      expect(sections[name], name).toEqual({ error: expect.stringContaining(`${name} inventory failed`) });
    }
    expect(sections.domain).toEqual({ error: expect.stringContaining("Couldn't connect to system bus") });
    expect(data(sections, 'os').edition).toBe('Pro');
    expect(data(sections, 'hardware').monitors).toHaveLength(1);
  });

  it('drops a hardware part that fails (one disk’s SMART) without failing the section', async () => {
    const sections = await collect(desktopRunner({ smartctl: ok('garbage') }));
    expect(data(sections, 'hardware').disks[0]).not.toHaveProperty('smart');
    expect(data(sections, 'hardware').batteries).toHaveLength(1);
  });

  it('cuts a section that hangs at the timeout', async () => {
    const hang = new FakeCommandRunner({});
    hang.run = (bin) => (bin === 'realm' ? new Promise(() => {}) : desktopRunner().run(bin, [], { timeout: 1 }));
    const sections = await collect(hang, DESKTOP_FILES, systemClock, 200);
    expect(sections.domain).toEqual({ error: 'domain inventory failed: domain took longer than 200 ms' });
    expect(data(sections, 'printers').queues).toHaveLength(3);
  });
});
