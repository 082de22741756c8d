import { describe, expect, it } from 'vitest';
import type { HealthPoint } from '../../providers/data-provider.js';
import { axisTickFormat, axisTicks, chartRows, diskMounts, hasValues, MAX_DISK_LINES } from './health-points.js';

const point = (ts: string, over: Partial<HealthPoint> = {}): HealthPoint => ({
  ts,
  samples: 1,
  load1: 0.5,
  load1Max: 0.5,
  memUsedPct: 40,
  memUsedPctMax: 40,
  swapUsedPctMax: 0,
  diskUsedPctMax: 50,
  disks: { '/': 50 },
  tempMaxC: null,
  batteryPctMin: null,
  ...over,
});

const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('chartRows', () => {
  it('keeps regular raw samples as they are, times in milliseconds', () => {
    const rows = chartRows(
      [point('2026-11-25T10:00:00Z'), point('2026-11-25T10:01:00Z'), point('2026-11-25T10:02:00Z')],
      'raw',
    );
    expect(rows.map((r) => r.t)).toEqual([0, 1, 2].map((m) => Date.parse(`2026-11-25T10:0${m}:00Z`)));
    expect(rows.every((r) => r.memUsedPct === 40)).toBe(true);
  });

  it('breaks the line where the device was off (raw: twice the median spacing)', () => {
    const rows = chartRows(
      [
        point('2026-11-25T10:00:00Z'),
        point('2026-11-25T10:01:00Z'),
        point('2026-11-25T10:02:00Z'),
        point('2026-11-25T12:00:00Z'),
      ],
      'raw',
    );
    expect(rows).toHaveLength(5);
    expect(rows[3]).toMatchObject({ t: Date.parse('2026-11-25T10:03:00Z'), memUsedPct: null, load1: null });
  });

  it('breaks hourly roll-ups at a missing hour, not between consecutive hours', () => {
    const hours = ['2026-11-25T08:00:00Z', '2026-11-25T09:00:00Z', '2026-11-25T13:00:00Z'].map((ts) => point(ts));
    const rows = chartRows(hours, 'hour');
    expect(rows.map((r) => r.memUsedPct)).toEqual([40, 40, null, 40]);
  });

  it('gives each mount point its own series, / first then in French order, the fullest kept past eight', () => {
    const points = [
      point('2026-11-25T10:00:00Z', { disks: { '/home': 93.2, '/': 41.5, '/boot/efi': 3 } }),
      point('2026-11-25T10:01:00Z', { disks: { '/': 42, '/écoles': 60, '/home': 93.4 } }),
    ];
    const rows = chartRows(points, 'raw');
    expect(rows[0]?.['disk:/home']).toBe(93.2);
    expect(rows[1]?.['disk:/']).toBe(42);
    expect(rows[0]?.['disk:/écoles']).toBeUndefined();
    expect(diskMounts(points)).toEqual(['/', '/boot/efi', '/écoles', '/home']);
    const many = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`/data${i}`, i]));
    const kept = diskMounts([point('2026-11-25T10:00:00Z', { disks: many })]);
    expect(kept).toHaveLength(MAX_DISK_LINES);
    expect(kept).not.toContain('/data0');
    expect(kept).toContain('/data11');
  });

  it('says whether a series has any value (no sensor: no chart)', () => {
    const rows = chartRows([point('2026-11-25T10:00:00Z', { tempMaxC: 51 })], 'raw');
    expect(hasValues(rows, 'tempMaxC')).toBe(true);
    expect(hasValues(rows, 'batteryPctMin')).toBe(false);
    expect(chartRows([], 'hour')).toEqual([]);
  });
});

describe('axisTickFormat', () => {
  const t = Date.parse('2026-11-25T13:02:00Z');
  it('formats ticks in French, in the given time zone', () => {
    expect(axisTickFormat('24h', 'fr-FR', 'Europe/Paris')(t)).toBe('14:02');
    expect(plain(axisTickFormat('7d', 'fr-FR', 'Europe/Paris')(t))).toBe('25/11 14:02');
    expect(plain(axisTickFormat('1y', 'fr-FR', 'Europe/Paris')(t))).toBe('nov. 2026');
  });
  it('and in English (en-GB, 24-hour clock)', () => {
    expect(axisTickFormat('24h', 'en-GB', 'Europe/Paris')(t)).toBe('14:02');
    expect(plain(axisTickFormat('1y', 'en-GB', 'Europe/Paris')(t))).toBe('Nov 2026');
  });
});

describe('axisTicks', () => {
  const to = Date.parse('2026-11-25T13:02:00Z');
  it('puts a day’s ticks on round hours, three hours apart', () => {
    const ticks = axisTicks(to - 86_400_000, to, '24h');
    expect(ticks).toHaveLength(8);
    for (const t of ticks) expect(new Date(t).getMinutes()).toBe(0);
    expect((ticks[1] ?? 0) - (ticks[0] ?? 0)).toBe(3 * 3_600_000);
  });
  it('a week’s on midnights, a year’s on the first of each month', () => {
    const week = axisTicks(to - 7 * 86_400_000, to, '7d');
    expect(week).toHaveLength(7);
    for (const t of week) expect(new Date(t).getHours()).toBe(0);
    const year = axisTicks(to - 365 * 86_400_000, to, '1y');
    expect(year).toHaveLength(12);
    for (const t of year) expect(new Date(t).getDate()).toBe(1);
  });
  it('gives none for an empty or unknown window', () => {
    expect(axisTicks(Number.NaN, to, '24h')).toEqual([]);
    expect(axisTicks(to, to, '7d')).toEqual([]);
  });
});
