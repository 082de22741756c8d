import type { StateFile } from '../system/state-file.js';

/** What `wwan/data-use.json` holds: the month's count and the last counters read. */
export interface DataUseRecord {
  /** First day of the counted period, `YYYY-MM-DD` (local time). */
  periodStart: string;
  bytes: number;
  last?: { iface: string; bootId: string; rx: number; tx: number };
}

/** The first day of the period that contains `now`, for a plan that starts again on `startDay`. */
export function periodStartOf(now: Date, startDay: number): string {
  let y = now.getFullYear();
  let m = now.getMonth();
  if (now.getDate() < startDay) {
    m -= 1;
    if (m < 0) {
      m = 11;
      y -= 1;
    }
  }
  return `${y}-${String(m + 1).padStart(2, '0')}-${String(startDay).padStart(2, '0')}`;
}

/**
 * The data used on the 4G interface this month, from the kernel's counters (`rx_bytes` + `tx_bytes`),
 * accumulated in the state directory across reboots (a new boot id) and counter resets (a counter that
 * went down: the interface was re-created when the modem reconnected): then the whole new value counts.
 */
export class DataUseMeter {
  constructor(
    private readonly file: StateFile,
    private readonly bootId: () => string,
  ) {}

  read(now: Date, startDay: number): DataUseRecord {
    const period = periodStartOf(now, startDay);
    const text = this.file.read();
    let rec: DataUseRecord | null = null;
    if (text !== null) {
      try {
        rec = JSON.parse(text) as DataUseRecord;
      } catch (err) {
        throw new Error(`${this.file.path}: not JSON (${(err as Error).message}); delete it to count from zero`);
      }
    }
    if (!rec || typeof rec.bytes !== 'number') return { periodStart: period, bytes: 0 };
    // A new period starts from zero, keeping the counters for the next difference.
    if (rec.periodStart !== period) return { periodStart: period, bytes: 0, ...(rec.last ? { last: rec.last } : {}) };
    return rec;
  }

  /** Adds what the counters moved since the last sample and stores it; returns the month's bytes. */
  sample(now: Date, startDay: number, iface: string, counters: { rx: number; tx: number }): DataUseRecord {
    const rec = this.read(now, startDay);
    const bootId = this.bootId();
    const last = rec.last;
    let delta = 0;
    if (last && last.iface === iface && last.bootId === bootId) {
      const rx = counters.rx >= last.rx ? counters.rx - last.rx : counters.rx;
      const tx = counters.tx >= last.tx ? counters.tx - last.tx : counters.tx;
      delta = rx + tx;
    } else {
      // First look, another boot or another interface: the counters hold only what was used since then.
      delta = last ? counters.rx + counters.tx : 0;
    }
    const next: DataUseRecord = {
      periodStart: rec.periodStart,
      bytes: rec.bytes + delta,
      last: { iface, bootId, rx: counters.rx, tx: counters.tx },
    };
    this.file.write(`${JSON.stringify(next)}\n`);
    return next;
  }
}

export const DATA_USE_FILE = 'wwan/data-use.json';
