import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FakeCommandRunner } from './fake-command-runner.js';
import { isMobileRoute, LinuxNetworkLink, parseDefaultRoute, parseNmcliDevices } from './network-link.js';
import { SysfsSensors } from './sensors.js';
import { parseFailedUnits, SystemdUnits } from './systemd-units.js';

const fixtures = fileURLToPath(new URL('./fixtures/health/', import.meta.url));
const fixture = (name: string) => readFileSync(`${fixtures}${name}`, 'utf8');
const ok = (stdout: string) => ({ stdout, stderr: '', exitCode: 0 });

describe('SysfsSensors (recorded /sys trees)', () => {
  it('reads the hottest input of each hwmon chip and the system battery, not the mouse', () => {
    const s = new SysfsSensors(`${fixtures}laptop`);
    expect(s.temperatures()).toEqual([
      { sensor: 'coretemp', celsius: 61 },
      { sensor: 'nvme', celsius: 39 },
    ]);
    expect(s.battery()).toEqual({ percent: 87, charging: false, healthPercent: 80 });
  });

  it('falls back to thermal zones without hwmon; no battery on a desktop', () => {
    const s = new SysfsSensors(`${fixtures}desktop`);
    expect(s.temperatures()).toEqual([
      { sensor: 'acpitz', celsius: 28 },
      { sensor: 'x86_pkg_temp', celsius: 45 },
    ]);
    expect(s.battery()).toBeUndefined();
  });

  it('reports nothing on a machine without the classes', () => {
    const s = new SysfsSensors(`${fixtures}nowhere`);
    expect(s.temperatures()).toEqual([]);
    expect(s.battery()).toBeUndefined();
  });
});

describe('SystemdUnits (recorded systemctl output)', () => {
  it('parses the failed units, with or without the bullet', () => {
    expect(parseFailedUnits(fixture('systemctl-failed.txt'))).toEqual([
      'cups.service',
      'snapd.seeded.service',
      'systemd-networkd-wait-online.service',
    ]);
    expect(parseFailedUnits(fixture('systemctl-failed-bullets.txt'))).toEqual(['clamav-freshclam.service']);
    expect(parseFailedUnits('')).toEqual([]);
    expect(parseFailedUnits('garbage here\n\u0000\n0 loaded units listed.')).toEqual([]);
  });

  it('runs systemctl with an argv and a timeout; none failed is an empty list', async () => {
    const runner = new FakeCommandRunner({ systemctl: ok('') });
    expect(await new SystemdUnits(runner).failed()).toEqual([]);
    expect(runner.calls[0]?.args).toContain('--state=failed');
    expect(runner.calls[0]?.options.timeout).toBeGreaterThan(0);
  });

  it('says nothing when systemctl is missing or systemd is not running (a container)', async () => {
    expect(await new SystemdUnits(new FakeCommandRunner({})).failed()).toBeUndefined();
    const down = new FakeCommandRunner({
      systemctl: { stdout: '', stderr: 'System has not been booted with systemd as init system (PID 1).', exitCode: 1 },
    });
    expect(await new SystemdUnits(down).failed()).toBeUndefined();
  });
});

describe('network link (recorded /proc/net/route and nmcli)', () => {
  it('takes the UP default route with the lowest metric', () => {
    expect(parseDefaultRoute(fixture('laptop/proc/net/route'))).toBe('wwan0');
    expect(parseDefaultRoute(fixture('desktop/proc/net/route'))).toBe('ppp0');
    expect(parseDefaultRoute('Iface\tDestination\n')).toBeUndefined();
  });

  it('parses nmcli -t, colons escaped', () => {
    expect(parseNmcliDevices('a\\:b:ethernet:connected\n')).toEqual([
      { device: 'a:b', type: 'ethernet', state: 'connected' },
    ]);
  });

  it('a modem interface says DEVTYPE=wwan: no process needed', async () => {
    const runner = new FakeCommandRunner({});
    const link = new LinuxNetworkLink(runner, `${fixtures}laptop`);
    expect(await link.isMobile('wwan0')).toBe(true);
    expect(runner.calls).toEqual([]);
  });

  it('ppp0 is mobile when NetworkManager has a connected gsm device; the office ethernet is not', async () => {
    const modem = parseNmcliDevices(fixture('nmcli-devices-modem.txt'));
    const office = parseNmcliDevices(fixture('nmcli-devices-office.txt'));
    expect(isMobileRoute('ppp0', modem)).toBe(true);
    expect(isMobileRoute('wlp2s0', modem)).toBe(false);
    expect(isMobileRoute('enp3s0', office)).toBe(false);
    expect(isMobileRoute('ppp0', office)).toBe(false);
    const link = new LinuxNetworkLink(
      new FakeCommandRunner({ nmcli: ok(fixture('nmcli-devices-modem.txt')) }),
      `${fixtures}desktop`,
    );
    expect(await link.isMobile('ppp0')).toBe(true);
    // Without NetworkManager, an interface that does not say wwan is a fixed line.
    expect(await new LinuxNetworkLink(new FakeCommandRunner({}), `${fixtures}desktop`).isMobile('ppp0')).toBe(false);
  });
});
