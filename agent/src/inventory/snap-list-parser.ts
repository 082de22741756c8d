import type { InventoryPackage } from '@bascule/protocol';
import { UnreadableOutputError } from './key-value.js';

/**
 * `snap list --unicode=never --color=never`: a header `Name Version Rev Tracking Publisher Notes`,
 * then one row per snap. The publisher (without the `*` / `**` verified marks) is the origin.
 * "No snaps are installed yet." gives no packages.
 */
export function parseSnapList(stdout: string): InventoryPackage[] {
  const lines = stdout.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0 || /^No snaps are installed/.test(lines[0] as string)) return [];
  if (!/^Name\s+Version\s+Rev\s+/.test(lines[0] as string)) {
    throw new UnreadableOutputError('snap list', 'no Name/Version/Rev header', stdout);
  }
  const packages: InventoryPackage[] = [];
  for (const line of lines.slice(1)) {
    const [name, version, , , publisher] = line.trim().split(/\s+/);
    if (!name || !version) continue;
    const origin = publisher?.replace(/\*+$/, '');
    packages.push({ name, version, source: 'snap', ...(origin && origin !== '-' ? { origin } : {}) });
  }
  return packages.sort((a, b) => a.name.localeCompare(b.name));
}
