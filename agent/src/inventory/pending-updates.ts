import { type PendingUpdates, parseAptUpgradable } from './apt-upgradable-parser.js';
import { optionalOutput } from './command-output.js';
import type { InventoryDeps } from './inventory-deps.js';

const APT_TIMEOUT_MS = 60_000;
const APT_CONFIG_TIMEOUT_MS = 10_000;
const CACHE_NAME = 'pending-updates.json';

/**
 * What apt's answer depends on: the installed packages (dpkg's status, rewritten by every dpkg run),
 * the package lists (`apt update` renames new lists into place) and the pinning preferences.
 */
const APT_STATE_FILES = ['/var/lib/dpkg/status', '/etc/apt/preferences'];
const APT_STATE_DIRS = ['/var/lib/apt/lists', '/etc/apt/preferences.d'];

/**
 * The upgrades apt would install. `apt list --upgradable` costs 0.4 s on a desktop but 2.7 s and
 * ~50 MiB where apt's binary cache is disabled (Docker images, some minimal installs), since it then
 * rebuilds the cache from every package list on each call. Its answer changes only when dpkg's status
 * or apt's lists change, so it is kept in the agent's state directory with their modification times
 * and recomputed only when one of them moved.
 */
export async function pendingUpdates(deps: InventoryDeps): Promise<PendingUpdates | undefined> {
  const key = await aptStateKey(deps);
  const cached = readCached(deps, key);
  if (cached) return cached;
  // Reads apt's lists only: takes no lock, never blocks an apt run by the user.
  const out = await optionalOutput(
    deps.runner,
    'apt',
    [...(await aptCacheOptions(deps)), 'list', '--upgradable'],
    APT_TIMEOUT_MS,
  );
  if (out === undefined) return undefined;
  const updates = parseAptUpgradable(out);
  // The state changed while apt ran (an upgrade in progress): this answer is not cached.
  if (deps.cache && (await aptStateKey(deps)) === key) {
    try {
      deps.cache.write(CACHE_NAME, JSON.stringify({ key, updates }));
    } catch (err) {
      deps.logger.warn('inventory: pending updates not cached; apt runs again next time', { error: err as Error });
    }
  }
  return updates;
}

/**
 * apt's binary caches in the agent's state directory, when the system keeps none
 * (`Dir::Cache::pkgcache ""`, as Docker images and some minimal installs set): without them each call
 * parses every package list again (1.4 s here); with them, the call after a package change only merges
 * dpkg's status into the kept source cache (0.5 s), and the first after `apt update` rebuilds both, as
 * apt itself would on a desktop. They cost about 75 MB of disk on such a system only; a desktop whose apt
 * keeps its caches in /var/cache/apt gets no option and nothing is written by the agent.
 */
async function aptCacheOptions(deps: InventoryDeps): Promise<string[]> {
  const pkgcache = deps.cache?.filePath('apt-pkgcache.bin');
  const srcpkgcache = deps.cache?.filePath('apt-srcpkgcache.bin');
  if (!pkgcache || !srcpkgcache) return [];
  const shell = await optionalOutput(
    deps.runner,
    'apt-config',
    ['shell', 'PKGCACHE', 'Dir::Cache::pkgcache/f', 'SRCPKGCACHE', 'Dir::Cache::srcpkgcache/f'],
    APT_CONFIG_TIMEOUT_MS,
  );
  if (shell === undefined) return [];
  const disabled = (name: string) => !new RegExp(`^${name}='[^']+'$`, 'm').test(shell);
  if (!disabled('PKGCACHE') && !disabled('SRCPKGCACHE')) return [];
  return ['-o', `Dir::Cache::pkgcache=${pkgcache}`, '-o', `Dir::Cache::srcpkgcache=${srcpkgcache}`];
}

/** Paths and modification times (ms) of everything apt's answer depends on, as one string. */
export async function aptStateKey(deps: InventoryDeps): Promise<string> {
  const paths = [...APT_STATE_FILES, ...APT_STATE_DIRS];
  for (const dir of APT_STATE_DIRS) {
    for (const name of await deps.files.list(dir)) {
      if (name !== 'lock' && name !== 'partial') paths.push(`${dir}/${name}`);
    }
  }
  const times = await Promise.all(paths.map((p) => deps.files.modifiedAt(p)));
  return JSON.stringify(paths.map((p, i) => [p, times[i]?.getTime() ?? null]));
}

function readCached(deps: InventoryDeps, key: string): PendingUpdates | undefined {
  if (!deps.cache) return undefined;
  try {
    const text = deps.cache.read(CACHE_NAME);
    if (text === undefined) return undefined;
    const entry = JSON.parse(text) as { key?: unknown; updates?: PendingUpdates };
    return entry.key === key && entry.updates && Array.isArray(entry.updates.pending) ? entry.updates : undefined;
  } catch (err) {
    // A damaged cache costs one apt run, which then rewrites it.
    deps.logger.warn('inventory: pending updates cache unreadable; asking apt', { error: err as Error });
    return undefined;
  }
}
