import type { HealthSample } from '@bascule/protocol';
import { describe, expect, it } from 'vitest';
import { hourOf, pointOf, rollUp } from './health-rollup.js';

const GB = 1e9;
const sample = (ts: string, over: Partial<HealthSample> = {}): HealthSample => ({
  ts,
  load1: 1,
  load5: 1,
  load15: 1,
  cpuCount: 4,
  memTotalBytes: 8 * GB,
  memUsedBytes: 2 * GB,
  swapTotalBytes: 2 * GB,
  swapUsedBytes: 0,
  uptimeSeconds: 100,
  disks: [
    { mount: '/', sizeBytes: 100 * GB, usedBytes: 40 * GB },
    { mount: '/home', sizeBytes: 200 * GB, usedBytes: 150 * GB },
  ],
  ...over,
});

describe('health roll-up', () => {
  it('hourOf truncates to the UTC hour', () => {
    expect(hourOf('2026-11-25T10:59:59.999Z')).toBe('2026-11-25T10:00:00.000Z');
    expect(hourOf('2026-11-25T11:30:00+01:00')).toBe('2026-11-25T10:00:00.000Z');
  });

  it('a raw point: percentages of memory, swap, the fullest disk; no sensor or battery → null', () => {
    expect(pointOf(sample('2026-11-25T10:00:00Z'))).toEqual({
      ts: '2026-11-25T10:00:00Z',
      samples: 1,
      load1: 1,
      load1Max: 1,
      memUsedPct: 25,
      memUsedPctMax: 25,
      swapUsedPctMax: 0,
      diskUsedPctMax: 75,
      disks: { '/': 40, '/home': 75 },
      tempMaxC: null,
      batteryPctMin: null,
    });
    expect(pointOf(sample('t', { disks: [], swapTotalBytes: 0, swapUsedBytes: 0 })).diskUsedPctMax).toBeNull();
  });

  it('an hour: averages load and memory, keeps the worst of load, memory, swap, disk, temperature and battery', () => {
    const p = rollUp('2026-11-25T10:00:00.000Z', [
      sample('2026-11-25T10:00:00Z', { load1: 0.5, memUsedBytes: 2 * GB, battery: { percent: 90, charging: false } }),
      sample('2026-11-25T10:01:00Z', {
        load1: 2.5,
        memUsedBytes: 6 * GB,
        swapUsedBytes: 1 * GB,
        temperatures: [
          { sensor: 'coretemp', celsius: 71 },
          { sensor: 'nvme', celsius: 40 },
        ],
        battery: { percent: 85, charging: false },
      }),
      sample('2026-11-25T10:02:00Z', {
        load1: 0,
        memUsedBytes: 4 * GB,
        disks: [{ mount: '/', sizeBytes: 100 * GB, usedBytes: 95 * GB }],
      }),
    ]);
    expect(p).toEqual({
      ts: '2026-11-25T10:00:00.000Z',
      samples: 3,
      load1: 1,
      load1Max: 2.5,
      memUsedPct: 50,
      memUsedPctMax: 75,
      swapUsedPctMax: 50,
      diskUsedPctMax: 95,
      // Each mount point's worst in the hour, /home from the two samples that reported it.
      disks: { '/': 95, '/home': 75 },
      tempMaxC: 71,
      batteryPctMin: 85,
    });
  });

  it('refuses an empty hour', () => {
    expect(() => rollUp('2026-11-25T10:00:00.000Z', [])).toThrow(/no samples/);
  });
});
