import type { HealthSample } from '@bascule/protocol';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HEALTH_SETTINGS as S } from '../device-health/health-settings.js';
import { sampleFindings, stateFindings } from './alert-rules.js';

const now = new Date('2026-11-25T10:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();
const sample = (over: Partial<HealthSample>): HealthSample => ({
  ts: now.toISOString(),
  load1: 0,
  load5: 0,
  load15: 0,
  cpuCount: 2,
  memTotalBytes: 1,
  memUsedBytes: 0,
  swapTotalBytes: 0,
  swapUsedBytes: 0,
  uptimeSeconds: 1,
  disks: [],
  ...over,
});
const online = { online: true, lastSeenAt: now.toISOString(), enrolledAt: daysAgo(100) };
const types = (f: { type: string; subject: string }[]) => f.map((x) => `${x.type}:${x.subject}`);

describe('sample rules', () => {
  it('disk above 90 %, each failed unit, battery health below 60 %', () => {
    const f = sampleFindings(
      sample({
        disks: [
          { mount: '/', sizeBytes: 100, usedBytes: 90 },
          { mount: '/home', sizeBytes: 1000, usedBytes: 901 },
          { mount: '/empty', sizeBytes: 0, usedBytes: 0 },
        ],
        failedUnits: ['cups.service', 'snapd.seeded.service'],
        battery: { percent: 50, charging: true, healthPercent: 59 },
      }),
      S,
    );
    expect(types(f)).toEqual([
      'disk-full:/home',
      'failed-unit:cups.service',
      'failed-unit:snapd.seeded.service',
      'battery-health:',
    ]);
    expect(f[0]?.detail).toMatchObject({ usedPercent: 90.1 });
  });

  it('nothing for a healthy sample, a battery at exactly 60 % or without health', () => {
    expect(sampleFindings(sample({ battery: { percent: 5, charging: false, healthPercent: 60 } }), S)).toEqual([]);
    expect(sampleFindings(sample({ battery: { percent: 5, charging: false } }), S)).toEqual([]);
  });
});

describe('state rules', () => {
  it('offline for more than 3 days (or never seen since an enrolment 3 days ago)', () => {
    expect(stateFindings({ ...online, online: false, lastSeenAt: daysAgo(3.1) }, now, S).findings).toHaveLength(1);
    expect(stateFindings({ ...online, online: false, lastSeenAt: daysAgo(2.9) }, now, S).findings).toEqual([]);
    expect(types(stateFindings({ ...online, online: false, lastSeenAt: null }, now, S).findings)).toEqual(['offline:']);
  });

  it('reboot required for more than 7 days: since when the device says, else since the hub first saw it', () => {
    const software = (since?: string) => ({
      packages: [],
      rebootRequired: { required: true, since, packages: ['linux-image'] },
    });
    const long = stateFindings({ ...online, software: software(daysAgo(8)) }, now, S);
    expect(types(long.findings)).toEqual(['reboot-required:']);
    expect(long.rebootRequired).toBe(true);
    expect(stateFindings({ ...online, software: software(daysAgo(6)) }, now, S).findings).toEqual([]);
    expect(
      stateFindings({ ...online, software: software(), rebootSeenSince: daysAgo(7.5) }, now, S).findings,
    ).toHaveLength(1);
    expect(stateFindings({ ...online, software: software() }, now, S).findings).toEqual([]);
    // An older agent's bare boolean, and a section without the field.
    expect(
      stateFindings({ ...online, software: { rebootRequired: true }, rebootSeenSince: daysAgo(8) }, now, S).findings,
    ).toHaveLength(1);
    expect(stateFindings({ ...online, software: { packages: [] } }, now, S)).toEqual({
      findings: [],
      rebootRequired: false,
    });
  });

  it('SMART failure per disk; antivirus signatures older than 3 days per product', () => {
    const r = stateFindings(
      {
        ...online,
        hardware: {
          disks: [
            { device: '/dev/sda', smart: { passed: false } },
            { device: '/dev/nvme0n1', smart: { passed: true } },
            { device: '/dev/sdb' },
          ],
        },
        antivirus: {
          products: [
            { name: 'ClamAV', signatureDate: daysAgo(4) },
            { name: 'Fresh', signatureDate: daysAgo(1) },
            { name: 'Garbled', signatureDate: 'yesterday-ish' },
          ],
        },
      },
      now,
      S,
    );
    expect(types(r.findings)).toEqual(['smart-failure:/dev/sda', 'antivirus-outdated:ClamAV']);
  });

  it('the 4G link past 80 % of its monthly cap (wwan-failover report)', () => {
    const wwan = (percentOfCap: number, capMiB = 2048) => ({
      dataUse: {
        bytes: Math.round((percentOfCap / 100) * capMiB * 1048576),
        since: '2026-12-01',
        capMiB,
        percentOfCap,
      },
    });
    expect(stateFindings({ ...online, wwan: wwan(79.9) }, now, S).findings).toEqual([]);
    expect(stateFindings({ ...online, wwan: wwan(80) }, now, S).findings).toEqual([
      expect.objectContaining({
        type: 'wwan-data-cap',
        message: 'the 4G link has used 80 % of its 2048 MiB monthly cap',
        detail: expect.objectContaining({ percentOfCap: 80, capMiB: 2048, since: '2026-12-01' }),
      }),
    ]);
    // No cap: never.
    expect(stateFindings({ ...online, wwan: wwan(0, 0) }, now, S).findings).toEqual([]);
  });

  it('sections of an unexpected shape give no finding and no error', () => {
    const odd = { ...online, hardware: { disks: 'none' }, antivirus: [1, 2], software: 'x' };
    expect(stateFindings(odd, now, S).findings).toEqual([]);
    expect(stateFindings({ ...online, antivirusObserved: { signatureDate: 42 } }, now, S).findings).toEqual([]);
  });

  it('ClamAV signatures: the module’s observed date wins over the inventory’s when newer', () => {
    const inventory = { products: [{ name: 'ClamAV', signatureDate: daysAgo(5) }] };
    const fresh = stateFindings(
      { ...online, antivirus: inventory, antivirusObserved: { signatureDate: daysAgo(1) } },
      now,
      S,
    );
    expect(fresh.findings).toEqual([]);
    const stale = stateFindings({ ...online, antivirusObserved: { signatureDate: daysAgo(4.5) } }, now, S);
    expect(stale.findings).toMatchObject([{ type: 'antivirus-outdated', subject: 'ClamAV', detail: { days: 4 } }]);
    const older = stateFindings(
      { ...online, antivirus: inventory, antivirusObserved: { signatureDate: daysAgo(9) } },
      now,
      S,
    );
    expect(older.findings).toMatchObject([{ detail: { days: 5 } }]);
  });

  it('the last scan: infected opens a detection per scan, error a scan-error, clean nothing', () => {
    const scan = (result: 'clean' | 'infected' | 'error', n = 0) => ({
      scanId: `s-${result}`,
      result,
      finishedAt: daysAgo(0.1),
      detectionCount: n,
      detections: Array.from({ length: Math.min(n, 25) }, (_, i) => ({
        path: `/home/a/f${i}`,
        signature: i % 2 ? 'Win.Test.EICAR_HDB-1' : 'Custom.EICAR.Body.UNOFFICIAL',
        action: 'quarantined',
      })),
      errors: result === 'error' ? ['/srv/x: No such file or directory'] : [],
      exitCode: { clean: 0, infected: 1, error: 2 }[result],
    });
    const infected = stateFindings({ ...online, antivirusLastScan: scan('infected', 30) }, now, S).findings;
    expect(types(infected)).toEqual(['antivirus-detection:s-infected']);
    expect(infected[0]?.message).toBe('Custom.EICAR.Body.UNOFFICIAL found in /home/a/f0 and 29 more');
    expect(infected[0]?.detail).toMatchObject({
      count: 30,
      signatures: ['Custom.EICAR.Body.UNOFFICIAL', 'Win.Test.EICAR_HDB-1'],
    });
    expect(infected[0]?.detail.detections).toHaveLength(20);
    const failed = stateFindings({ ...online, antivirusLastScan: scan('error') }, now, S).findings;
    expect(failed).toMatchObject([
      {
        type: 'antivirus-scan-error',
        subject: '',
        detail: { exitCode: 2, errors: ['/srv/x: No such file or directory'] },
      },
    ]);
    expect(stateFindings({ ...online, antivirusLastScan: scan('clean') }, now, S).findings).toEqual([]);
  });
});
