import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../logging/logger.js';
import type { CommandResult } from '../system/command-runner.js';
import { FakeCommandRunner } from '../system/fake-command-runner.js';
import { FakeOsFiles } from '../system/fake-os-files.js';
import { fakeSi } from '../system/fake-system-info.js';
import { MemoryInventoryCache } from '../system/state-file-cache.js';
import { fixture } from './fixtures/fixture.js';
import type { InventoryDeps } from './inventory-deps.js';
import { pendingUpdates } from './pending-updates.js';

const ok = (stdout: string): CommandResult => ({ stdout, stderr: '', exitCode: 0 });
const LISTS = '/var/lib/apt/lists';

function machine() {
  const mtimes: Record<string, Date> = {
    '/var/lib/dpkg/status': new Date('2026-11-20T08:00:00Z'),
    [`${LISTS}/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4`]: new Date('2026-11-19T08:00:00Z'),
  };
  const files = new FakeOsFiles(
    {
      '/var/lib/dpkg/status': 'Package: bash\n',
      [`${LISTS}/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4`]: 'x',
      [`${LISTS}/lock`]: '',
      [`${LISTS}/partial/half-downloaded`]: '',
    },
    {},
    mtimes,
  );
  const runner = new FakeCommandRunner({ apt: ok(fixture('apt-list-upgradable.recorded.txt')) });
  const cache = new MemoryInventoryCache();
  const deps: InventoryDeps = { si: fakeSi(), runner, files, logger: createMemoryLogger(), cache };
  const aptCalls = () => runner.calls.filter((c) => c.bin === 'apt').length;
  return { deps, mtimes, cache, aptCalls };
}

describe('pending updates', () => {
  it('asks apt once, then answers from the cache while dpkg and the lists are unchanged', async () => {
    const { deps, aptCalls } = machine();
    const first = await pendingUpdates(deps);
    const second = await pendingUpdates(deps);
    expect(first?.count).toBeGreaterThan(0);
    expect(second).toEqual(first);
    expect(aptCalls()).toBe(1);
  });

  it('asks apt again after dpkg ran (status rewritten)', async () => {
    const { deps, mtimes, aptCalls } = machine();
    await pendingUpdates(deps);
    mtimes['/var/lib/dpkg/status'] = new Date('2026-11-21T09:00:00Z');
    await pendingUpdates(deps);
    expect(aptCalls()).toBe(2);
  });

  it('asks apt again after apt update brought a new list', async () => {
    const { deps, mtimes, aptCalls } = machine();
    await pendingUpdates(deps);
    mtimes[`${LISTS}/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4`] = new Date(
      '2026-11-21T09:00:00Z',
    );
    await pendingUpdates(deps);
    expect(aptCalls()).toBe(2);
  });

  it('recomputes rather than trusting a damaged cache entry, and rewrites it', async () => {
    const { deps, cache, aptCalls } = machine();
    cache.write('pending-updates.json', '{"key": [tr');
    const updates = await pendingUpdates(deps);
    expect(updates?.count).toBeGreaterThan(0);
    expect(aptCalls()).toBe(1);
    expect(JSON.parse(cache.read('pending-updates.json') ?? '{}').updates.count).toBe(updates?.count);
  });

  it('always asks apt without a cache (inventory run by hand by a user)', async () => {
    const { deps, aptCalls } = machine();
    const { cache: _none, ...uncached } = deps;
    await pendingUpdates(uncached);
    await pendingUpdates(uncached);
    expect(aptCalls()).toBe(2);
  });

  describe("apt's binary caches", () => {
    /** A cache that keeps files in a state directory, as the daemon's does. */
    function withFiles(aptConfig: string) {
      const m = machine();
      const cache = Object.assign(new MemoryInventoryCache(), { filePath: (name: string) => `/state/cache/${name}` });
      const runner = new FakeCommandRunner({
        apt: ok(fixture('apt-list-upgradable.recorded.txt')),
        'apt-config': ok(aptConfig),
      });
      const deps: InventoryDeps = { ...m.deps, runner, cache };
      const aptArgs = () => runner.calls.find((c) => c.bin === 'apt')?.args;
      return { deps, aptArgs };
    }

    it('are kept in the state directory when the system keeps none (Dir::Cache::pkgcache "")', async () => {
      const { deps, aptArgs } = withFiles("PKGCACHE=''\nSRCPKGCACHE=''\n");
      expect((await pendingUpdates(deps))?.count).toBeGreaterThan(0);
      expect(aptArgs()).toEqual([
        '-o',
        'Dir::Cache::pkgcache=/state/cache/apt-pkgcache.bin',
        '-o',
        'Dir::Cache::srcpkgcache=/state/cache/apt-srcpkgcache.bin',
        'list',
        '--upgradable',
      ]);
    });

    it("are apt's own when the system keeps them (a desktop): nothing written by the agent", async () => {
      const { deps, aptArgs } = withFiles(
        "PKGCACHE='/var/cache/apt/pkgcache.bin'\nSRCPKGCACHE='/var/cache/apt/srcpkgcache.bin'\n",
      );
      await pendingUpdates(deps);
      expect(aptArgs()).toEqual(['list', '--upgradable']);
    });

    it('are not asked for without a cache directory (an inventory run by hand)', async () => {
      const { deps, aptCalls } = machine();
      await pendingUpdates(deps);
      expect(aptCalls()).toBe(1);
      expect((deps.runner as FakeCommandRunner).calls.some((c) => c.bin === 'apt-config')).toBe(false);
    });
  });

  it('gives nothing when apt is not installed', async () => {
    const { deps } = machine();
    expect(await pendingUpdates({ ...deps, runner: new FakeCommandRunner({}) })).toBeUndefined();
  });
});
