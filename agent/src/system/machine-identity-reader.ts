import { readdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { MachineIdentity } from '@bascule/protocol';

export interface MachineIdentityPaths {
  machineId: string;
  dmiDir: string;
  netDir: string;
}

const LINUX_PATHS: MachineIdentityPaths = {
  machineId: '/etc/machine-id',
  dmiDir: '/sys/class/dmi/id',
  netDir: '/sys/class/net',
};

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

/** Reads a small OS file; empty when absent or unreadable (product_serial is root-only). */
function readOptional(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'EPERM' || code === 'ENODEV') return '';
    throw err;
  }
}

/**
 * What the hub uses to recognise this machine and spot clones: machine-id, DMI UUID and serial, the
 * MACs of physical interfaces (those backed by a device in sysfs; bridges, veths, tunnels are not).
 */
export function readMachineIdentity(paths: MachineIdentityPaths = LINUX_PATHS): MachineIdentity {
  const macs: string[] = [];
  let interfaces: string[] = [];
  try {
    interfaces = readdirSync(paths.netDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  for (const name of interfaces.sort()) {
    if (!isPhysical(join(paths.netDir, name))) continue;
    const mac = readOptional(join(paths.netDir, name, 'address')).toLowerCase();
    if (MAC.test(mac) && mac !== '00:00:00:00:00:00' && !macs.includes(mac)) macs.push(mac);
  }
  return {
    hostname: hostname(),
    machineId: readOptional(paths.machineId),
    dmiUuid: readOptional(join(paths.dmiDir, 'product_uuid')).toLowerCase(),
    serial: readOptional(join(paths.dmiDir, 'product_serial')),
    macs,
  };
}

function isPhysical(ifaceDir: string): boolean {
  try {
    readdirSync(join(ifaceDir, 'device'));
    return true;
  } catch {
    // No `device` link: a virtual interface (lo, bridge, veth, tun), not a piece of hardware.
    return false;
  }
}
