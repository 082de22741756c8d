import type { InventoryPackage, SoftwareSection } from '@bascule/protocol';
import { parseRebootRequiredPkgs } from './apt-upgradable-parser.js';
import { optionalOutput, output } from './command-output.js';
import { DPKG_QUERY_FORMAT, parseDpkgQuery } from './dpkg-query-parser.js';
import { FLATPAK_COLUMNS, parseFlatpakList } from './flatpak-list-parser.js';
import { type InventoryDeps, part } from './inventory-deps.js';
import { pendingUpdates } from './pending-updates.js';
import { parseSnapList } from './snap-list-parser.js';

const DPKG_TIMEOUT_MS = 30_000;
const OPTIONAL_TIMEOUT_MS = 15_000;

/**
 * Installed packages from dpkg (required: a failure fails the section), snap and flatpak (when
 * present), the upgrades apt would install, and whether a reboot is pending.
 */
export async function collectSoftware(deps: InventoryDeps): Promise<SoftwareSection> {
  const { runner } = deps;
  const [dpkg, snap, flatpak, updates, rebootRequired] = await Promise.all([
    output(runner, 'dpkg-query', ['--show', `--showformat=${DPKG_QUERY_FORMAT}`], DPKG_TIMEOUT_MS).then(parseDpkgQuery),
    part(deps, 'snap packages', () =>
      optionalPackages(deps, 'snap', ['list', '--unicode=never', '--color=never'], parseSnapList),
    ),
    part(deps, 'flatpak packages', () =>
      optionalPackages(deps, 'flatpak', ['list', `--columns=${FLATPAK_COLUMNS}`], parseFlatpakList),
    ),
    part(deps, 'pending updates', () => pendingUpdates(deps)),
    part(deps, 'reboot required', () => rebootRequiredOf(deps)),
  ]);
  return {
    packages: [...dpkg, ...(snap ?? []), ...(flatpak ?? [])],
    ...(updates ? { updates } : {}),
    ...(rebootRequired ? { rebootRequired } : {}),
  };
}

async function optionalPackages(
  deps: InventoryDeps,
  bin: string,
  args: string[],
  parse: (stdout: string) => InventoryPackage[],
): Promise<InventoryPackage[]> {
  const out = await optionalOutput(deps.runner, bin, args, OPTIONAL_TIMEOUT_MS);
  return out === undefined ? [] : parse(out);
}

/** update-notifier's flag file; its time says since when the reboot has been waiting. */
async function rebootRequiredOf(deps: InventoryDeps): Promise<SoftwareSection['rebootRequired']> {
  const since = await deps.files.modifiedAt('/var/run/reboot-required');
  if (!since) return { required: false, packages: [] };
  const packages = parseRebootRequiredPkgs(await deps.files.readText('/var/run/reboot-required.pkgs'));
  return { required: true, since: since.toISOString(), packages: packages.slice(0, 1_000) };
}
