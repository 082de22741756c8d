import { inventoryMessageSchema } from '@bascule/protocol';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../logging/logger.js';
import { systemClock } from '../system/clock.js';
import { FakeCommandRunner } from '../system/fake-command-runner.js';
import { FakeOsFiles } from '../system/fake-os-files.js';
import { fakeSi } from '../system/fake-system-info.js';
import type { SystemInfo } from '../system/system-info.js';
import { parseFlatpakList } from './flatpak-list-parser.js';
import { InventoryCollector } from './inventory-collector.js';
import { fingerprints, inventoryDelta } from './inventory-delta.js';
import { parseSnapList } from './snap-list-parser.js';

const DPKG = [
  'bash\t5.2.15-2+b7\tamd64\tii ',
  'libc6\t2.36-9\tamd64\tii ',
  'libc6\t2.36-9\ti386\tii ',
  'old-thing\t1.0\tall\trc ',
  'held\t2.0\tamd64\thi ',
  '',
].join('\n');

const SNAP = `Name    Version   Rev    Tracking       Publisher   Notes
core20  20230126  1822   latest/stable  canonical*  base
firefox 121.0-1   3600   latest/stable  mozilla*    -
`;

const FLATPAK = 'org.gnome.Calculator\t45.0\tstable\tx86_64\tflathub\norg.gnome.Platform\t\t45\tx86_64\tflathub\n';

const ok = (stdout: string) => ({ stdout, stderr: '', exitCode: 0 });
const PASSWD = 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000:Alice,,,:/home/alice:/bin/bash\n';
const collector = (si: SystemInfo, runner: FakeCommandRunner, logger: ReturnType<typeof createMemoryLogger>) =>
  new InventoryCollector(si, runner, new FakeOsFiles({ '/etc/passwd': PASSWD }), logger, systemClock);

describe('InventoryCollector', () => {
  it('lists installed dpkg packages only, and treats missing snap and flatpak as no packages', async () => {
    const runner = new FakeCommandRunner({ 'dpkg-query': ok(DPKG) });
    const sections = await collector(fakeSi(), runner, createMemoryLogger()).collect();
    const software = sections.software;
    if (!software || !('data' in software)) throw new Error(`software failed: ${JSON.stringify(software)}`);
    expect(software.data.packages).toEqual([
      { name: 'bash', version: '5.2.15-2+b7', source: 'dpkg', arch: 'amd64' },
      { name: 'held', version: '2.0', source: 'dpkg', arch: 'amd64' },
      { name: 'libc6', version: '2.36-9', source: 'dpkg', arch: 'amd64' },
      { name: 'libc6', version: '2.36-9', source: 'dpkg', arch: 'i386' },
    ]);
    expect(runner.calls.map((c) => c.bin)).toEqual(expect.arrayContaining(['dpkg-query', 'flatpak', 'snap']));
    expect(runner.calls.every((c) => c.options.timeout > 0 && Array.isArray(c.args))).toBe(true);
  });

  it('adds snap and flatpak packages when present', async () => {
    const runner = new FakeCommandRunner({ 'dpkg-query': ok(DPKG), snap: ok(SNAP), flatpak: ok(FLATPAK) });
    const sections = await collector(fakeSi(), runner, createMemoryLogger()).collect();
    const names =
      sections.software && 'data' in sections.software
        ? sections.software.data.packages.map((p) => `${p.source}:${p.name}@${p.version}`)
        : [];
    expect(names).toContain('snap:firefox@121.0-1');
    expect(names).toContain('flatpak:org.gnome.Calculator@45.0');
    expect(names).toContain('flatpak:org.gnome.Platform@45');
  });

  it('reports a failing section as {error} and still collects the others', async () => {
    const runner = new FakeCommandRunner({ 'dpkg-query': { stdout: '', stderr: 'database locked', exitCode: 2 } });
    const si = fakeSi({ diskLayout: async () => Promise.reject(new Error('lsblk crashed')) });
    const logger = createMemoryLogger();
    const sections = await collector(si, runner, logger).collect();
    expect(sections.software).toEqual({
      error: expect.stringMatching(/dpkg-query --show exited with 2: database locked/),
    });
    expect(sections.hardware).toEqual({ error: expect.stringMatching(/lsblk crashed/) });
    expect(sections.os && 'data' in sections.os && sections.os.data.distro).toBe('Zorin OS');
    expect(sections.network && 'data' in sections.network && sections.network.data.interfaces).toEqual([
      {
        name: 'enp1s0',
        mac: '00:11:22:33:44:55',
        ipv4: ['10.0.0.5'],
        ipv6: [],
        type: 'wired',
        speedMbps: 1000,
        up: true,
        virtual: false,
      },
    ]);
    const message = { v: 1, id: '01JABCDEFGHJKMNPQRSTVWXYZ0', ts: new Date().toISOString(), kind: 'full', sections };
    expect(inventoryMessageSchema.safeParse(message).success).toBe(true);
    expect(logger.events.filter((e) => e.msg === 'inventory: section failed').map((e) => e.section)).toEqual(
      expect.arrayContaining(['hardware', 'software']),
    );
  });

  it('hashes each section by content, so equal data gives equal hashes whatever the key order', async () => {
    const runner = new FakeCommandRunner({ 'dpkg-query': ok(DPKG) });
    const a = await collector(fakeSi(), runner, createMemoryLogger()).collect();
    const b = await collector(fakeSi(), runner, createMemoryLogger()).collect();
    expect(fingerprints(a)).toEqual(fingerprints(b));
    expect(a.hardware && 'hash' in a.hardware && a.hardware.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps only changed sections in a delta', async () => {
    const runner = new FakeCommandRunner({ 'dpkg-query': ok(DPKG) });
    const before = await collector(fakeSi(), runner, createMemoryLogger()).collect();
    expect(inventoryDelta(fingerprints(before), before)).toEqual({});
    const upgraded = new FakeCommandRunner({ 'dpkg-query': ok(DPKG.replace('5.2.15-2+b7', '5.2.21-2')) });
    const after = await collector(fakeSi(), upgraded, createMemoryLogger()).collect();
    const delta = inventoryDelta(fingerprints(before), after);
    expect(Object.keys(delta)).toEqual(['software']);
    const broken = await collector(fakeSi(), new FakeCommandRunner({}), createMemoryLogger()).collect();
    expect(Object.keys(inventoryDelta(fingerprints(after), broken))).toEqual(['software']);
  });

  it('parses empty snap and flatpak listings', () => {
    expect(parseSnapList('No snaps are installed yet.\n')).toEqual([]);
    expect(parseFlatpakList('')).toEqual([]);
  });
});
