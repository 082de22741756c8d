import { gzipSync } from 'node:zlib';
import { createIdGenerator, encodePayload } from '@bascule/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enrolTestDevice, healthSample as sample, testServices } from '../test-support.js';

type Services = Awaited<ReturnType<typeof testServices>>;
const ids = createIdGenerator();

const enrolled = (s: Services) =>
  enrolTestDevice(s, { hostname: 'pc-compta-12', machineId: 'm1', dmiUuid: 'u1', serial: 's1' }, 'Finances');

/** An inventory message as the agent sends it. */
const inventory = (kind: 'full' | 'delta', sections: Record<string, unknown>) =>
  encodePayload({ v: 1, id: ids(), ts: new Date().toISOString(), kind, sections });

describe('IngestService', () => {
  let s: Services;
  let deviceId: string;
  beforeEach(async () => {
    s = await testServices();
    deviceId = await enrolled(s);
  });
  afterEach(() => s.close());

  it('stores a heartbeat once, even when the same message is delivered twice', async () => {
    const msg = { v: 1, id: ids(), ts: new Date().toISOString(), samples: [sample('2026-11-25T10:00:00Z')] };
    expect(await s.ingest.ingest(deviceId, 'health', encodePayload(msg))).toBe('stored');
    expect(await s.ingest.ingest(deviceId, 'health', encodePayload(msg))).toBe('duplicate');
    const rows = await s.database.db.selectFrom('health_samples').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect((await s.deviceService.get(deviceId)).lastHeartbeat?.load1).toBe(0.5);
  });

  it('keeps the last good inventory of a section when a delta reports it failed', async () => {
    const hash = 'a'.repeat(64);
    const os = { platform: 'linux', distro: 'Zorin OS', release: '17.3', kernel: '6.8.0', arch: 'x64', hostname: 'pc' };
    await s.ingest.ingest(deviceId, 'inventory', inventory('full', { os: { hash, data: os } }));
    await s.ingest.ingest(deviceId, 'inventory', inventory('delta', { software: { error: 'dpkg-query: not found' } }));
    const inv = await s.deviceService.inventory(deviceId);
    expect(inv.os).toMatchObject({ data: { distro: 'Zorin OS' } });
    expect(inv.software).toMatchObject({ error: 'dpkg-query: not found' });
    await s.ingest.ingest(deviceId, 'inventory', inventory('delta', { os: { error: 'lsb_release timed out' } }));
    expect((await s.deviceService.inventory(deviceId)).os).toMatchObject({
      data: { distro: 'Zorin OS' },
      error: 'lsb_release timed out',
    });
    expect((await s.deviceService.get(deviceId)).os).toBe('Zorin OS 17.3');
  });

  it('refuses only the section that does not fit, and keeps the others of the same inventory', async () => {
    const hash = 'b'.repeat(64);
    const os = { platform: 'linux', distro: 'Ubuntu', release: '24.04', kernel: '6.8.0', arch: 'x64', hostname: 'pc' };
    const badSoftware = { packages: [{ name: 'firefox', version: '1', source: 'windows-store' }] };
    const outcome = await s.ingest.ingest(
      deviceId,
      'inventory',
      inventory('full', { os: { hash, data: os }, software: { hash, data: badSoftware } }),
    );
    expect(outcome).toBe('stored');
    const inv = await s.deviceService.inventory(deviceId);
    expect(inv.os).toMatchObject({ data: { distro: 'Ubuntu' } });
    expect(inv.software?.error).toMatch(/section refused by the hub: packages\.0\.source/);
    expect(s.lines.some((l) => l.includes('inventory section refused'))).toBe(true);
  });

  it('refuses malformed, invalid and oversized payloads with a logged reason and loses nothing', async () => {
    const good = { v: 1, id: ids(), ts: new Date().toISOString(), samples: [sample('2026-11-25T10:00:00Z')] };
    await s.ingest.ingest(deviceId, 'health', encodePayload(good));
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20));
    for (const bad of [Buffer.from('{not json'), encodePayload({ v: 1, id: 'nope', samples: [] }), bomb]) {
      expect(await s.ingest.ingest(deviceId, 'health', bad)).toBe('rejected');
    }
    expect(await s.ingest.ingest(deviceId, 'nonsense', encodePayload(good))).toBe('rejected');
    expect(s.lines.filter((l) => l.includes('device message refused'))).toHaveLength(4);
    expect(s.lines.some((l) => l.includes('exceeds') || l.includes('inflated'))).toBe(true);
    expect(await s.database.db.selectFrom('health_samples').selectAll().execute()).toHaveLength(1);
  });
});
