import type { Battery, HardwareSection, Monitor, SmartStatus } from '@bascule/protocol';
import { optionalOutput } from './command-output.js';
import { parseEdid } from './edid-parser.js';
import { type InventoryDeps, part } from './inventory-deps.js';
import { type Gpu, parseLspciDisplays } from './lspci-parser.js';
import { parseBatteryUevent } from './power-supply-parser.js';
import { parseSmartctl } from './smartctl-parser.js';
import { text } from './text.js';

const DRM = '/sys/class/drm';
const POWER_SUPPLY = '/sys/class/power_supply';
const SMARTCTL_TIMEOUT_MS = 15_000;
const LSPCI_TIMEOUT_MS = 10_000;

export async function collectHardware(deps: InventoryDeps): Promise<HardwareSection> {
  const { si } = deps;
  const [system, bios, board, cpu, modules, disks, gpus, monitors, batteries] = await Promise.all([
    si.system(),
    si.bios(),
    si.baseboard(),
    si.cpu(),
    si.memLayout(),
    si.diskLayout(),
    part(deps, 'gpus', () => collectGpus(deps)),
    part(deps, 'monitors', () => collectMonitors(deps)),
    part(deps, 'batteries', () => collectBatteries(deps)),
  ]);
  const smart = await Promise.all(
    disks
      .slice(0, 64)
      .map((d) => (d.device ? part(deps, `smart ${d.device}`, () => smartOf(deps, d.device)) : undefined)),
  );
  return {
    manufacturer: text(system.manufacturer),
    model: text(system.model),
    serial: text(system.serial),
    uuid: text(system.uuid)?.toLowerCase(),
    bios: {
      vendor: text(bios.vendor),
      version: text(bios.version),
      releaseDate: text(bios.releaseDate),
      uefi: si.uefi(),
    },
    baseboard: { manufacturer: text(board.manufacturer), model: text(board.model), serial: text(board.serial) },
    cpu: {
      manufacturer: text(cpu.manufacturer),
      brand: text(cpu.brand),
      cores: cpu.cores,
      physicalCores: cpu.physicalCores,
      speedGHz: cpu.speedMax || cpu.speed || undefined,
    },
    memory: {
      totalBytes: si.totalMemoryBytes(),
      modules: modules
        .filter((m) => m.size > 0)
        .slice(0, 64)
        .map((m) => ({
          sizeBytes: m.size,
          type: text(m.type),
          speedMHz: m.clockSpeed || undefined,
          slot: text(m.bank),
        })),
    },
    disks: disks.slice(0, 64).map((d, i) => ({
      device: text(d.device),
      type: text(d.type),
      name: text(d.name),
      vendor: text(d.vendor),
      serial: text(d.serialNum),
      sizeBytes: d.size,
      interface: text(d.interfaceType),
      ...(smart[i] ? { smart: smart[i] } : {}),
    })),
    ...(gpus?.length ? { gpus: gpus.slice(0, 16) } : {}),
    ...(monitors?.length ? { monitors: monitors.slice(0, 16) } : {}),
    ...(batteries?.length ? { batteries: batteries.slice(0, 8) } : {}),
  };
}

/** Health and a few attributes, when smartmontools is installed and the drive speaks SMART. */
async function smartOf(deps: InventoryDeps, device: string): Promise<SmartStatus | undefined> {
  // smartctl's exit status is a bit mask (bit 3: disk failing, bit 6: errors logged…) even when the
  // JSON is complete, so the JSON is read whatever the status.
  try {
    const r = await deps.runner.run('smartctl', ['-j', '-H', '-A', device], { timeout: SMARTCTL_TIMEOUT_MS });
    return parseSmartctl(r.stdout);
  } catch (err) {
    if ((err as Error).name === 'CommandNotFoundError') return undefined;
    throw err;
  }
}

async function collectGpus(deps: InventoryDeps): Promise<Gpu[]> {
  const out = await optionalOutput(deps.runner, 'lspci', ['-vmm', '-nn', '-k'], LSPCI_TIMEOUT_MS);
  return out === undefined ? [] : parseLspciDisplays(out);
}

/** Connected displays: /sys/class/drm/card0-HDMI-A-1/{status,edid}. */
async function collectMonitors(deps: InventoryDeps): Promise<Monitor[]> {
  const monitors: Monitor[] = [];
  for (const entry of await deps.files.list(DRM)) {
    const m = /^card\d+-(.+)$/.exec(entry);
    if (!m) continue;
    const status = (await deps.files.readText(`${DRM}/${entry}/status`))?.trim();
    if (status !== 'connected') continue;
    const edid = await deps.files.readBytes(`${DRM}/${entry}/edid`);
    // A connected output with an empty EDID (some KVMs, virtual displays): nothing to identify.
    if (!edid || edid.length === 0) continue;
    monitors.push(parseEdid(edid, m[1]));
  }
  return monitors;
}

async function collectBatteries(deps: InventoryDeps): Promise<Battery[]> {
  const batteries: Battery[] = [];
  for (const name of await deps.files.list(POWER_SUPPLY)) {
    const uevent = await deps.files.readText(`${POWER_SUPPLY}/${name}/uevent`);
    const battery = uevent ? parseBatteryUevent(name, uevent) : undefined;
    if (battery) batteries.push(battery);
  }
  return batteries;
}
