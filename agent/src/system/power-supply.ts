import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SYSFS_POWER_SUPPLY = '/sys/class/power_supply';

/**
 * Whether the machine runs on battery now, from the kernel's power supplies: a `Mains` supply with
 * `online` 0 while a `Battery` is present. A desktop (no battery) or a machine whose sysfs says nothing
 * is on mains. `root` is injectable so that tests lay out their own supplies.
 */
export function onBattery(root: string = SYSFS_POWER_SUPPLY): boolean {
  let names: string[];
  try {
    names = readdirSync(root);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
  let mainsOffline = false;
  let batteryPresent = false;
  for (const name of names) {
    const type = attribute(root, name, 'type');
    if (type === 'Mains' && attribute(root, name, 'online') === '0') mainsOffline = true;
    // `present` is missing on some drivers: a listed battery counts as present then. A wireless mouse's
    // battery (`scope` Device) does not power the machine.
    const device = attribute(root, name, 'scope') === 'Device';
    if (type === 'Battery' && !device && (attribute(root, name, 'present') ?? '1') === '1') batteryPresent = true;
  }
  return mainsOffline && batteryPresent;
}

function attribute(root: string, supply: string, name: string): string | undefined {
  try {
    return readFileSync(join(root, supply, name), 'utf8').trim();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'ENODEV' || code === 'EINVAL') return undefined;
    throw err;
  }
}
