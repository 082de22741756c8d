import type { HardwareSection } from '@bascule/protocol';
import type { SystemInfo } from '../system/system-info.js';
import { text } from './text.js';

export async function collectHardware(si: SystemInfo): Promise<HardwareSection> {
  const [system, bios, board, cpu, modules, disks] = await Promise.all([
    si.system(),
    si.bios(),
    si.baseboard(),
    si.cpu(),
    si.memLayout(),
    si.diskLayout(),
  ]);
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
    disks: disks.slice(0, 64).map((d) => ({
      device: text(d.device),
      type: text(d.type),
      name: text(d.name),
      vendor: text(d.vendor),
      serial: text(d.serialNum),
      sizeBytes: d.size,
      interface: text(d.interfaceType),
    })),
  };
}
