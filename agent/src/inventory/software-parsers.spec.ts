import { describe, expect, it } from 'vitest';
import { parseAptUpgradable, parseRebootRequiredPkgs } from './apt-upgradable-parser.js';
import { parseDpkgQuery } from './dpkg-query-parser.js';
import { fixture } from './fixtures/fixture.js';
import { parseFlatpakList } from './flatpak-list-parser.js';
import { parseSnapList } from './snap-list-parser.js';

describe('parseDpkgQuery', () => {
  it('lists installed packages with the maintainer’s name as origin (recorded)', () => {
    const text = fixture('dpkg-query.recorded.txt');
    const packages = parseDpkgQuery(text);
    const installedLines = text.split('\n').filter((l) => l.split('\t')[3]?.[1] === 'i');
    expect(packages).toHaveLength(installedLines.length);
    expect(packages.length).toBeGreaterThan(20);
    for (const p of packages) {
      expect(p.source).toBe('dpkg');
      expect(p.version).not.toBe('');
      expect(p.origin ?? '').not.toMatch(/[<>@]/);
    }
    expect(packages.map((p) => p.name)).toEqual([...packages.map((p) => p.name)].sort((a, b) => a.localeCompare(b)));
  });

  it('keeps installed and held packages only, and reads the first format (no maintainer)', () => {
    expect(parseDpkgQuery('a\t1\tamd64\tii \tX Team <x@example.org>\nb\t2\tall\trc \tY\nc\t3\tamd64\thi \n')).toEqual([
      { name: 'a', version: '1', source: 'dpkg', arch: 'amd64', origin: 'X Team' },
      { name: 'c', version: '3', source: 'dpkg', arch: 'amd64' },
    ]);
  });

  it('throws on garbage', () => {
    expect(() => parseDpkgQuery('dpkg-query: error: parsing file /var/lib/dpkg/status near line 3\n')).toThrow(
      /dpkg-query/,
    );
  });
});

describe('parseAptUpgradable', () => {
  it('counts pending and security updates (recorded)', () => {
    const text = fixture('apt-list-upgradable.recorded.txt');
    const updates = parseAptUpgradable(text);
    const lines = text.split('\n').filter((l) => l.includes('[upgradable from'));
    expect(updates.count).toBe(new Set(lines.map((l) => l.split(/[/ ]/)[0])).size);
    expect(updates.security).toBe(updates.pending.filter((p) => p.security).length);
    const security = lines.filter((l) => /^[^ ]*-security[, ]/.test(l.split('/')[1] ?? '')).length;
    expect(updates.security).toBe(security);
    expect(updates.security).toBeGreaterThan(0);
  });

  it('counts an update offered by both a -updates and a -security pocket as security', () => {
    const text =
      'Listing...\nlibssl3/jammy-updates,jammy-security 3.0.2-0ubuntu1.18 amd64 [upgradable from: 3.0.2-0ubuntu1.17]\nfirefox/jammy-updates 1:1snap1-0ubuntu2 amd64 [upgradable from: 1:1snap1-0ubuntu1]\n';
    expect(parseAptUpgradable(text)).toEqual({
      count: 2,
      security: 1,
      pending: [
        { name: 'firefox', version: '1:1snap1-0ubuntu2', security: false },
        { name: 'libssl3', version: '3.0.2-0ubuntu1.18', security: true },
      ],
    });
    expect(parseAptUpgradable('Listing...\n')).toEqual({ count: 0, security: 0, pending: [] });
  });

  it('throws on garbage', () => {
    expect(() => parseAptUpgradable('E: Could not open lock file\n')).toThrow(/apt list/);
  });

  it('reads reboot-required.pkgs', () => {
    expect(parseRebootRequiredPkgs('linux-image-6.8.0-49-generic\nlibc6\nlibc6\n')).toEqual([
      'libc6',
      'linux-image-6.8.0-49-generic',
    ]);
  });
});

describe('snap and flatpak', () => {
  it('reads snap list with the publisher as origin', () => {
    expect(parseSnapList(fixture('snap-list.documented.txt')).map((p) => [p.name, p.version, p.origin])).toEqual([
      ['bare', '1.0', 'canonical'],
      ['core22', '20241001', 'canonical'],
      ['firefox', '132.0.2-1', 'mozilla'],
      ['snapd', '2.65.3', 'canonical'],
      ['teams-for-linux', '1.11.3', 'ismael-dev'],
    ]);
    expect(parseSnapList("No snaps are installed yet. Try 'snap install hello-world'.\n")).toEqual([]);
  });

  it('reads flatpak list with the remote as origin, a runtime’s branch standing for its version', () => {
    expect(parseFlatpakList(fixture('flatpak-list.documented.txt'))).toEqual([
      { name: 'org.gnome.Calculator', version: '46.1', source: 'flatpak', arch: 'x86_64', origin: 'flathub' },
      { name: 'org.gnome.Platform', version: '46', source: 'flatpak', arch: 'x86_64', origin: 'flathub' },
      {
        name: 'org.libreoffice.LibreOffice',
        version: '24.8.3.2',
        source: 'flatpak',
        arch: 'x86_64',
        origin: 'flathub',
      },
    ]);
    expect(parseFlatpakList('')).toEqual([]);
  });

  it('throws on garbage', () => {
    expect(() => parseSnapList('error: cannot communicate with server: connection refused\n')).toThrow(/snap list/);
    expect(() => parseFlatpakList('error: No such ref\n')).toThrow(/flatpak list/);
  });
});
