import type { HealthPoint, HealthRange } from '../../providers/data-provider.js';

/**
 * A chart row: the point's values keyed by field, `t` in epoch milliseconds, each mount point's use as
 * `disk:/home`; all null in a gap.
 */
export type ChartRow = { t: number } & { [K in Exclude<keyof HealthPoint, 'ts' | 'disks'>]: HealthPoint[K] | null } & {
  [mount: `disk:${string}`]: number | null | undefined;
};

/** Lines on one chart stay readable up to this many mount points (the fullest ones are kept). */
export const MAX_DISK_LINES = 8;

/** The key of a mount point's series in a chart row. */
export const diskKey = (mount: string): `disk:${string}` => `disk:${mount}`;

/**
 * The mount points found in the rows, `/` first and then in French order, at most MAX_DISK_LINES:
 * when a desktop has more, those that were the fullest at some point are kept.
 */
export function diskMounts(points: HealthPoint[]): string[] {
  const worst = new Map<string, number>();
  for (const p of points) {
    for (const [mount, used] of Object.entries(p.disks ?? {})) worst.set(mount, Math.max(worst.get(mount) ?? 0, used));
  }
  const kept = [...worst.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_DISK_LINES)
    .map(([mount]) => mount);
  const collator = new Intl.Collator('fr');
  return kept.sort((a, b) => (a === '/' ? -1 : b === '/' ? 1 : collator.compare(a, b)));
}

const HOUR_MS = 3_600_000;

/**
 * The hub leaves out the hours (and samples) when the device was off. A line drawn straight across
 * would suggest values nobody measured, so a row of nulls is put in every gap longer than twice the
 * usual spacing (the median one for raw samples, an hour for roll-ups), which breaks the line there.
 */
export function chartRows(points: HealthPoint[], resolution: 'raw' | 'hour'): ChartRow[] {
  const rows: ChartRow[] = [];
  const times = points.map((p) => Date.parse(p.ts));
  const step = resolution === 'hour' ? HOUR_MS : medianStep(times);
  points.forEach((p, i) => {
    const t = times[i] as number;
    const previous = times[i - 1];
    if (previous !== undefined && step > 0 && t - previous > 2 * step) rows.push(gapRow(previous + step));
    const { ts: _ts, disks, ...values } = p;
    const row: ChartRow = { t, ...values };
    for (const [mount, used] of Object.entries(disks ?? {})) row[diskKey(mount)] = used;
    rows.push(row);
  });
  return rows;
}

function medianStep(times: number[]): number {
  const steps = times
    .slice(1)
    .map((t, i) => t - (times[i] as number))
    .sort((a, b) => a - b);
  return steps[Math.floor(steps.length / 2)] ?? 0;
}

function gapRow(t: number): ChartRow {
  return {
    t,
    samples: null,
    load1: null,
    load1Max: null,
    memUsedPct: null,
    memUsedPctMax: null,
    swapUsedPctMax: null,
    diskUsedPctMax: null,
    tempMaxC: null,
    batteryPctMin: null,
  };
}

/** True when at least one point has a value for `key` (no temperature sensor, no battery: no chart). */
export function hasValues(rows: ChartRow[], key: keyof ChartRow): boolean {
  return rows.some((r) => r[key] !== null && r[key] !== undefined);
}

/**
 * Axis ticks in the locale: hours for a day ("14:00"), day and hour for a week ("25/11 14:00"),
 * day and month for a year ("25/11/2026" in the tooltip, "nov. 2026" on the axis).
 */
export function axisTickFormat(range: HealthRange, locale: string, timeZone?: string): (t: number) => string {
  const options: Intl.DateTimeFormatOptions =
    range === '24h'
      ? { hour: '2-digit', minute: '2-digit', timeZone }
      : range === '7d'
        ? { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit', timeZone }
        : { month: 'short', year: 'numeric', timeZone };
  const f = new Intl.DateTimeFormat(locale, options);
  return (t) => f.format(new Date(t)).replace(',', '');
}

/**
 * Axis ticks on round local times across [from, to]: every 3 hours for a day, each midnight for
 * a week, the first of each month for a year.
 */
export function axisTicks(from: number, to: number, range: HealthRange): number[] {
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) return [];
  const d = new Date(from);
  d.setMinutes(0, 0, 0);
  if (range === '24h') {
    d.setHours(Math.ceil(d.getHours() / 3) * 3);
  } else if (range === '7d') {
    d.setHours(0);
    d.setDate(d.getDate() + 1);
  } else {
    d.setHours(0);
    d.setDate(1);
    d.setMonth(d.getMonth() + 1);
  }
  const ticks: number[] = [];
  while (d.getTime() <= to && ticks.length < 40) {
    if (d.getTime() >= from) ticks.push(d.getTime());
    if (range === '24h') d.setHours(d.getHours() + 3);
    else if (range === '7d') d.setDate(d.getDate() + 1);
    else d.setMonth(d.getMonth() + 1);
  }
  return ticks;
}
