import type { InventoryPackage } from '@bascule/protocol';
import { UnreadableOutputError } from './key-value.js';

/** The columns parseFlatpakList reads, in this order. */
export const FLATPAK_COLUMNS = 'application,version,branch,arch,origin';

/**
 * `flatpak list --columns=application,version,branch,arch,origin`: tab-separated. Runtimes often
 * have no version: their branch stands in. The remote (`flathub`) is the origin.
 */
export function parseFlatpakList(stdout: string): InventoryPackage[] {
  const packages: InventoryPackage[] = [];
  for (const line of stdout.split('\n')) {
    if (line.trim() === '') continue;
    const fields = line.split('\t').map((f) => f.trim());
    const [name, version, branch, arch, origin] = fields;
    if (name === 'Application ID') continue;
    if (!name || fields.length < 3 || !/^[A-Za-z0-9_.-]+$/.test(name)) {
      throw new UnreadableOutputError('flatpak list', 'not an application id and its columns', line);
    }
    const v = version || branch;
    if (v) {
      packages.push({
        name,
        version: v,
        source: 'flatpak',
        arch: arch || undefined,
        ...(origin ? { origin } : {}),
      });
    }
  }
  return packages.sort((a, b) => a.name.localeCompare(b.name) || (a.version ?? '').localeCompare(b.version));
}
