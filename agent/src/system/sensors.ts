import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BatteryHealth, Temperature } from '@bascule/protocol';

/**
 * Temperatures and the battery, read from sysfs. Every read is a small file; a machine without sensors or
 * battery (a VM, a desktop) gives an empty list and no battery, never an error.
 */
export interface Sensors {
  temperatures(): Temperature[];
  battery(): BatteryHealth | undefined;
}

const MAX_SENSORS = 8;

export class SysfsSensors implements Sensors {
  /** @param root `/` on a machine; a fixture tree in tests. */
  constructor(private readonly root = '/') {}

  /**
   * One reading per hwmon chip (its hottest input: `coretemp`, `k10temp`, `nvme`, `amdgpu`, ...), or the
   * thermal zones when there is no hwmon. The hottest per chip is what an alert or a chart needs, and it
   * keeps the heartbeat small.
   */
  temperatures(): Temperature[] {
    const byName = new Map<string, number>();
    const hwmon = join(this.root, 'sys/class/hwmon');
    for (const chip of list(hwmon)) {
      const dir = join(hwmon, chip);
      const name = read(join(dir, 'name')) ?? chip;
      for (const file of list(dir)) {
        if (!/^temp\d+_input$/.test(file)) continue;
        const c = milli(read(join(dir, file)));
        if (c !== undefined && c > (byName.get(name) ?? Number.NEGATIVE_INFINITY)) byName.set(name, c);
      }
    }
    if (byName.size === 0) {
      const thermal = join(this.root, 'sys/class/thermal');
      for (const zone of list(thermal)) {
        if (!zone.startsWith('thermal_zone')) continue;
        const name = read(join(thermal, zone, 'type')) ?? zone;
        const c = milli(read(join(thermal, zone, 'temp')));
        if (c !== undefined && c > (byName.get(name) ?? Number.NEGATIVE_INFINITY)) byName.set(name, c);
      }
    }
    return [...byName]
      .map(([sensor, celsius]) => ({ sensor: sensor.slice(0, 128), celsius: Math.round(celsius) }))
      .sort((a, b) => a.sensor.localeCompare(b.sensor))
      .slice(0, MAX_SENSORS);
  }

  /** The system battery (not a wireless mouse's: `scope` Device is skipped); the first one when there are two. */
  battery(): BatteryHealth | undefined {
    const base = join(this.root, 'sys/class/power_supply');
    for (const supply of list(base).sort()) {
      const dir = join(base, supply);
      if (read(join(dir, 'type')) !== 'Battery' || read(join(dir, 'scope')) === 'Device') continue;
      const capacity = num(read(join(dir, 'capacity')));
      if (capacity === undefined) continue;
      const status = read(join(dir, 'status')) ?? '';
      const full = num(read(join(dir, 'energy_full'))) ?? num(read(join(dir, 'charge_full')));
      const design = num(read(join(dir, 'energy_full_design'))) ?? num(read(join(dir, 'charge_full_design')));
      const out: BatteryHealth = {
        percent: Math.min(100, Math.max(0, capacity)),
        charging: status === 'Charging' || status === 'Full',
      };
      if (full !== undefined && design !== undefined && design > 0) {
        out.healthPercent = Math.min(200, Math.round((full / design) * 100));
      }
      return out;
    }
    return undefined;
  }
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return []; // no such class on this machine: nothing to report
  }
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined; // attribute absent on this driver, or a sensor that errors on read (EIO)
  }
}

function num(s: string | undefined): number | undefined {
  if (s === undefined || s === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : undefined;
}

function milli(s: string | undefined): number | undefined {
  const n = num(s);
  // Disconnected inputs read as absurd values (-273 °C, 127 °C placeholders are real though).
  return n === undefined || n < -100_000 || n > 300_000 ? undefined : n / 1000;
}
