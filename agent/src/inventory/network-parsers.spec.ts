import { describe, expect, it } from 'vitest';
import { parseIpRouteDefault, parseResolvConf, parseResolvectlDns } from './dns-parser.js';
import { fixture } from './fixtures/fixture.js';
import { parseIwLink, parseNmcliWifi, splitTerse } from './nmcli-parser.js';

describe('Wi-Fi', () => {
  it('finds the active network in nmcli’s terse output, with an escaped colon', () => {
    expect(splitTerse('yes:a\\:b:72')).toEqual(['yes', 'a:b', '72']);
    expect(parseNmcliWifi(fixture('nmcli-wifi.documented.txt'))).toEqual({
      interface: 'wlp2s0',
      ssid: 'Mairie:Agents',
      signalPercent: 72,
      frequencyMHz: 5180,
    });
    expect(parseNmcliWifi('no:Other:40:2412 MHz:wlp2s0\n')).toBeUndefined();
  });

  it('reads iw link, turning dBm into a percentage', () => {
    expect(parseIwLink('wlp2s0', fixture('iw-link.documented.txt'))).toEqual({
      interface: 'wlp2s0',
      ssid: 'Mairie-Agents',
      signalPercent: 84,
      frequencyMHz: 5180,
    });
    expect(parseIwLink('wlp2s0', 'Not connected.\n')).toBeUndefined();
  });

  it('throws on garbage', () => {
    expect(() => parseNmcliWifi('Error: NetworkManager is not running.\n')).toThrow(/nmcli/);
    expect(() => parseIwLink('wlp2s0', 'command failed: No such device (-19)\n')).toThrow(/iw/);
  });
});

describe('DNS and default route', () => {
  it('lists resolved’s servers per link, without zone ids', () => {
    expect(parseResolvectlDns(fixture('resolvectl-dns.documented.txt'))).toEqual([
      '10.0.0.10',
      '10.0.0.11',
      '192.168.1.1',
      'fe80::1',
    ]);
  });

  it('reads resolv.conf, dropping resolved’s stub', () => {
    expect(parseResolvConf('# generated\nnameserver 127.0.0.53\noptions edns0\n')).toEqual([]);
    expect(parseResolvConf('nameserver 10.255.255.53\nnameserver 10.0.0.2\n')).toEqual(['10.255.255.53', '10.0.0.2']);
  });

  it('reads the default route (recorded)', () => {
    expect(parseIpRouteDefault(fixture('ip-route-default.recorded.json.txt'))).toEqual({
      gateway: '192.0.2.1',
      interface: 'eth0',
    });
    expect(parseIpRouteDefault('[]')).toBeUndefined();
  });

  it('throws on garbage', () => {
    expect(() =>
      parseResolvectlDns('Failed to get global data: Unit dbus-org.freedesktop.resolve1.service not found.\n'),
    ).toThrow(/resolvectl/);
    expect(() => parseIpRouteDefault('default via 10.0.0.1 dev eth0')).toThrow(/not JSON/);
  });
});
