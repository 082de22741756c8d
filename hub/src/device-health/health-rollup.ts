import type { HealthSample } from '@bascule/protocol';

/** One point of a health chart: a raw sample (samples = 1) or an hour of them. Percentages are 0–100. */
export interface HealthPoint {
  /** The sample's time, or the start of the hour. */
  ts: string;
  samples: number;
  load1: number;
  load1Max: number;
  memUsedPct: number;
  memUsedPctMax: number;
  swapUsedPctMax: number;
  /** The fullest real file system; null when the device reported none. */
  diskUsedPctMax: number | null;
  /**
   * Use of each file system by mount point (the hour's maximum for a roll-up); empty when the device
   * reported none, and for the roll-ups made before the hub kept them (migration 0020).
   */
  disks: Record<string, number>;
  tempMaxC: number | null;
  batteryPctMin: number | null;
}

const pct = (used: number, total: number) => (total > 0 ? (used / total) * 100 : 0);
const round1 = (n: number) => Math.round(n * 10) / 10;
const maxOrNull = (values: number[]) => (values.length ? Math.max(...values) : null);
const minOrNull = (values: number[]) => (values.length ? Math.min(...values) : null);

/** The start of the hour `ts` falls in, as an ISO string. */
export function hourOf(ts: string): string {
  const d = new Date(ts);
  d.setUTCMinutes(0, 0, 0);
  return d.toISOString();
}

/** Percentages of each mount point, rounded to a tenth. */
function disksOf(s: HealthSample): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of s.disks) out[d.mount] = round1(pct(d.usedBytes, d.sizeBytes));
  return out;
}

export function diskUsedPctMax(s: HealthSample): number | null {
  return maxOrNull(s.disks.map((d) => pct(d.usedBytes, d.sizeBytes)));
}

/** A raw sample as a chart point. */
export function pointOf(s: HealthSample): HealthPoint {
  const mem = pct(s.memUsedBytes, s.memTotalBytes);
  const disk = diskUsedPctMax(s);
  const temp = maxOrNull((s.temperatures ?? []).map((t) => t.celsius));
  return {
    ts: s.ts,
    samples: 1,
    load1: s.load1,
    load1Max: s.load1,
    memUsedPct: round1(mem),
    memUsedPctMax: round1(mem),
    swapUsedPctMax: round1(pct(s.swapUsedBytes, s.swapTotalBytes)),
    diskUsedPctMax: disk === null ? null : round1(disk),
    disks: disksOf(s),
    tempMaxC: temp,
    batteryPctMin: s.battery ? s.battery.percent : null,
  };
}

/**
 * The roll-up of one hour's samples: averages of load and memory, maxima of load, memory, swap, disk and
 * temperature, the battery's minimum (what a chart of a year needs: how bad it got, and the usual level).
 */
export function rollUp(hour: string, samples: readonly HealthSample[]): HealthPoint {
  if (samples.length === 0) throw new Error(`no samples to roll up for ${hour}`);
  const points = samples.map(pointOf);
  const avg = (f: (p: HealthPoint) => number) => points.reduce((a, p) => a + f(p), 0) / points.length;
  const present = (f: (p: HealthPoint) => number | null) => points.map(f).filter((v): v is number => v !== null);
  const disk = maxOrNull(present((p) => p.diskUsedPctMax));
  const disks: Record<string, number> = {};
  for (const p of points) {
    for (const [mount, used] of Object.entries(p.disks)) disks[mount] = Math.max(disks[mount] ?? 0, used);
  }
  return {
    ts: hour,
    samples: points.length,
    load1: Math.round(avg((p) => p.load1) * 100) / 100,
    load1Max: Math.max(...points.map((p) => p.load1Max)),
    memUsedPct: round1(avg((p) => p.memUsedPct)),
    memUsedPctMax: Math.max(...points.map((p) => p.memUsedPctMax)),
    swapUsedPctMax: Math.max(...points.map((p) => p.swapUsedPctMax)),
    diskUsedPctMax: disk,
    disks,
    tempMaxC: maxOrNull(present((p) => p.tempMaxC)),
    batteryPctMin: minOrNull(present((p) => p.batteryPctMin)),
  };
}
