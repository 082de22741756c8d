import { existsSync } from 'node:fs';
import { totalmem } from 'node:os';
import type { Systeminformation } from 'systeminformation';

/**
 * The few systeminformation calls the inventory needs, and nothing more: each call spawns processes
 * or reads /sys, and the inventory must stay cheaper than fusioninventory's. The library is loaded on
 * first use so the daemon does not pay for it between inventories.
 */
export interface SystemInfo {
  system(): Promise<Systeminformation.SystemData>;
  bios(): Promise<Systeminformation.BiosData>;
  baseboard(): Promise<Systeminformation.BaseboardData>;
  cpu(): Promise<Systeminformation.CpuData>;
  memLayout(): Promise<Systeminformation.MemLayoutData[]>;
  diskLayout(): Promise<Systeminformation.DiskLayoutData[]>;
  osInfo(): Promise<Systeminformation.OsData>;
  networkInterfaces(): Promise<Systeminformation.NetworkInterfacesData[]>;
  defaultGateway(): Promise<string>;
  totalMemoryBytes(): number;
  /** Whether the machine booted through UEFI (checked without the costly osInfo call). */
  uefi(): boolean;
}

type Si = typeof import('systeminformation');

/**
 * Only the collectors used, not systeminformation's index, which loads all 20 of them (~7 MiB of the
 * inventory's peak memory, measured). The package has no `exports` map, so its lib files are reachable.
 */
async function loadCollectors(): Promise<Si> {
  // Literal specifiers, so that a bundler can follow them.
  const modules = (await Promise.all([
    import('systeminformation/lib/system.js'),
    import('systeminformation/lib/cpu.js'),
    import('systeminformation/lib/memory.js'),
    import('systeminformation/lib/filesystem.js'),
    import('systeminformation/lib/osinfo.js'),
    import('systeminformation/lib/network.js'),
  ])) as { default?: object }[];
  return Object.assign({}, ...modules.map((m) => m.default ?? m)) as Si;
}

export class SystemInformationAdapter implements SystemInfo {
  private lib: Promise<Si> | undefined;

  private si(): Promise<Si> {
    this.lib ??= loadCollectors();
    return this.lib;
  }

  async system() {
    return (await this.si()).system();
  }
  async bios() {
    return (await this.si()).bios();
  }
  async baseboard() {
    return (await this.si()).baseboard();
  }
  async cpu() {
    return (await this.si()).cpu();
  }
  async memLayout() {
    return (await this.si()).memLayout();
  }
  async diskLayout() {
    return (await this.si()).diskLayout();
  }
  async osInfo() {
    return (await this.si()).osInfo();
  }
  async networkInterfaces() {
    const result = await (await this.si()).networkInterfaces();
    return Array.isArray(result) ? result : [result];
  }
  async defaultGateway() {
    return (await this.si()).networkGatewayDefault();
  }
  totalMemoryBytes() {
    return totalmem();
  }
  uefi() {
    return existsSync('/sys/firmware/efi');
  }
}
