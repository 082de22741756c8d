import { describe, expect, it } from 'vitest';
import { parseEdid } from './edid-parser.js';
import { fixture, hexFixture } from './fixtures/fixture.js';
import { parseLspciDisplays } from './lspci-parser.js';
import { parseBatteryUevent } from './power-supply-parser.js';
import { parseSmartctl } from './smartctl-parser.js';

describe('parseEdid', () => {
  it('reads manufacturer, model, serial and year from a base block', () => {
    expect(parseEdid(hexFixture('edid-dell-p2422h.documented.hex'), 'DP-1')).toEqual({
      connector: 'DP-1',
      manufacturer: 'DEL',
      model: 'DELL P2422H',
      serial: 'CFV9N2A3B1XL',
      productCode: 0xa0f4,
      manufactureYear: 2022,
    });
  });

  it('refuses what is not an EDID, or a corrupted one', () => {
    expect(() => parseEdid(Buffer.from('garbage'.repeat(30)))).toThrow(/not an EDID/);
    const corrupted = hexFixture('edid-dell-p2422h.documented.hex');
    corrupted[20] = (corrupted[20] as number) ^ 0xff;
    expect(() => parseEdid(corrupted)).toThrow(/checksum/);
  });
});

describe('parseBatteryUevent', () => {
  it('computes health from full and design energy, and keeps the cycle count', () => {
    expect(parseBatteryUevent('BAT0', fixture('battery-uevent.documented.txt'))).toEqual({
      name: 'BAT0',
      manufacturer: 'SMP',
      model: 'DELL 7FJ9270',
      serial: '3115',
      technology: 'Li-ion',
      healthPercent: 55,
      cycleCount: 412,
      designCapacityWh: 56,
      fullCapacityWh: 30.8,
    });
  });

  it('uses charge and design voltage when the battery reports µAh', () => {
    const uevent =
      'POWER_SUPPLY_TYPE=Battery\nPOWER_SUPPLY_CHARGE_FULL_DESIGN=4000000\nPOWER_SUPPLY_CHARGE_FULL=3600000\nPOWER_SUPPLY_VOLTAGE_MIN_DESIGN=11100000\n';
    expect(parseBatteryUevent('BAT1', uevent)).toMatchObject({ healthPercent: 90, designCapacityWh: 44.4 });
  });

  it('skips mains adapters and device batteries (a mouse)', () => {
    expect(parseBatteryUevent('AC', 'POWER_SUPPLY_TYPE=Mains\nPOWER_SUPPLY_ONLINE=1\n')).toBeUndefined();
    expect(parseBatteryUevent('hid-mouse', 'POWER_SUPPLY_TYPE=Battery\nPOWER_SUPPLY_SCOPE=Device\n')).toBeUndefined();
  });
});

describe('parseSmartctl', () => {
  it('reads health, hours, temperature and NVMe wear', () => {
    expect(parseSmartctl(fixture('smartctl-nvme.documented.json.txt'))).toEqual({
      passed: true,
      powerOnHours: 4231,
      temperatureC: 36,
      wearPercent: 3,
    });
  });

  it('reports a failing disk whatever smartctl’s exit status', () => {
    expect(parseSmartctl(fixture('smartctl-ata-failing.documented.json.txt'))).toMatchObject({ passed: false });
  });

  it('gives nothing for a disk without SMART (recorded: virtio)', () => {
    expect(parseSmartctl(fixture('smartctl-virtio.recorded.json.txt'))).toBeUndefined();
  });

  it('throws on garbage', () => {
    expect(() => parseSmartctl('smartctl: command failed\n')).toThrow(/not JSON/);
    expect(() => parseSmartctl('[1,2]')).toThrow(/smartctl/);
  });
});

describe('parseLspciDisplays', () => {
  it('keeps display controllers only (recorded: a VM without one)', () => {
    expect(parseLspciDisplays(fixture('lspci.recorded.txt'))).toEqual([]);
  });

  it('reads vendor, model, driver and slot', () => {
    const out =
      'Slot:\t00:02.0\nClass:\tVGA compatible controller [0300]\nVendor:\tIntel Corporation [8086]\nDevice:\tAlder Lake-UP3 GT2 [Iris Xe Graphics] [46a8]\nRev:\t0c\nDriver:\ti915\n\nSlot:\t01:00.0\nClass:\t3D controller [0302]\nVendor:\tNVIDIA Corporation [10de]\nDevice:\tGA107M [GeForce RTX 3050 Mobile] [25a2]\n';
    expect(parseLspciDisplays(out)).toEqual([
      { vendor: 'Intel Corporation', model: 'Alder Lake-UP3 GT2 [Iris Xe Graphics]', driver: 'i915', busId: '00:02.0' },
      { vendor: 'NVIDIA Corporation', model: 'GA107M [GeForce RTX 3050 Mobile]', busId: '01:00.0' },
    ]);
  });

  it('throws on garbage', () => {
    expect(() => parseLspciDisplays('pcilib: Cannot open /proc/bus/pci\n')).toThrow(/lspci/);
  });
});
