import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { onBattery } from './power-supply.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'power-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function supply(name: string, attributes: Record<string, string>): void {
  mkdirSync(join(root, name));
  for (const [k, v] of Object.entries(attributes)) writeFileSync(join(root, name, k), `${v}\n`);
}

describe('onBattery', () => {
  it('a laptop unplugged: mains offline and a battery present', () => {
    supply('AC', { type: 'Mains', online: '0' });
    supply('BAT0', { type: 'Battery', present: '1', status: 'Discharging' });
    expect(onBattery(root)).toBe(true);
  });

  it('a laptop plugged in', () => {
    supply('AC', { type: 'Mains', online: '1' });
    supply('BAT0', { type: 'Battery', present: '1' });
    expect(onBattery(root)).toBe(false);
  });

  it('a desktop: no battery, or no power supply at all, or no sysfs directory', () => {
    supply('AC', { type: 'Mains', online: '0' });
    expect(onBattery(root)).toBe(false);
    expect(onBattery(join(root, 'missing'))).toBe(false);
  });

  it('an empty battery slot and a wireless mouse battery do not make a battery-powered machine', () => {
    supply('AC', { type: 'Mains', online: '0' });
    supply('BAT1', { type: 'Battery', present: '0' });
    supply('hidpp_battery_0', { type: 'Battery', scope: 'Device' });
    expect(onBattery(root)).toBe(false);
    supply('BAT0', { type: 'Battery' });
    expect(onBattery(root)).toBe(true);
  });
});
