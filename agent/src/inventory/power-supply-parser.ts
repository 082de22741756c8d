import type { Battery } from '@bascule/protocol';
import { parseKeyValue } from './key-value.js';

const num = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v) ? Number(v) : undefined);

/**
 * A battery from /sys/class/power_supply/NAME/uevent, or undefined when the supply is not a battery
 * (mains, USB, a wireless mouse's battery has scope Device and is skipped). Energy is in µWh, or
 * charge in µAh with the design voltage in µV; health is full ÷ design capacity.
 */
export function parseBatteryUevent(name: string, uevent: string): Battery | undefined {
  const kv = parseKeyValue(uevent);
  const get = (k: string) => kv.get(`POWER_SUPPLY_${k}`)?.trim() || undefined;
  if (get('TYPE') !== 'Battery' || get('SCOPE') === 'Device') return undefined;
  let design = num(get('ENERGY_FULL_DESIGN'));
  let full = num(get('ENERGY_FULL'));
  if (design === undefined && full === undefined) {
    const volts = num(get('VOLTAGE_MIN_DESIGN'));
    const cd = num(get('CHARGE_FULL_DESIGN'));
    const cf = num(get('CHARGE_FULL'));
    if (volts) {
      design = cd !== undefined ? (cd * volts) / 1e6 : undefined;
      full = cf !== undefined ? (cf * volts) / 1e6 : undefined;
    } else if (cd && cf !== undefined) {
      // No voltage: health still follows from the two charges.
      return withHealth(name, get, (cf / cd) * 100, undefined, undefined);
    }
  }
  const health = design && full !== undefined ? (full / design) * 100 : undefined;
  return withHealth(
    name,
    get,
    health,
    design !== undefined ? design / 1e6 : undefined,
    full !== undefined ? full / 1e6 : undefined,
  );
}

function withHealth(
  name: string,
  get: (k: string) => string | undefined,
  health: number | undefined,
  designWh: number | undefined,
  fullWh: number | undefined,
): Battery {
  const round1 = (x: number) => Math.round(x * 10) / 10;
  const cycles = num(get('CYCLE_COUNT'));
  return {
    name,
    ...(get('MANUFACTURER') ? { manufacturer: get('MANUFACTURER') } : {}),
    ...(get('MODEL_NAME') ? { model: get('MODEL_NAME') } : {}),
    ...(get('SERIAL_NUMBER') ? { serial: get('SERIAL_NUMBER') } : {}),
    ...(get('TECHNOLOGY') ? { technology: get('TECHNOLOGY') } : {}),
    ...(health !== undefined && Number.isFinite(health) ? { healthPercent: Math.min(200, round1(health)) } : {}),
    // Many firmwares report 0 cycles when they do not count them.
    ...(cycles ? { cycleCount: cycles } : {}),
    ...(designWh !== undefined ? { designCapacityWh: round1(designWh) } : {}),
    ...(fullWh !== undefined ? { fullCapacityWh: round1(fullWh) } : {}),
  };
}
