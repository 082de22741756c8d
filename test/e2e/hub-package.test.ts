import { spawnSync } from 'node:child_process';
import { copyFileSync, lstatSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Plain ESM helpers shared with `npm run package` and test/bench/hub-package.mjs.
import { buildHubDeb } from '../../packaging/build-hub-deb.mjs';
import { createChroot, missingTools, runInChroot } from '../../packaging/scripts/debian-chroot.mjs';
import {
  AgentProcess,
  ApiClient,
  adminClient,
  eventually,
  freePort,
  PackagedHub,
  REPO,
  tempDir,
} from './support/index.js';

/*
 * The hub's .deb in a debootstrap'd Debian 12 chroot (no systemd there): built from the tree, checked
 * by lintian, installed with dpkg, run as its unit would run it (ExecStart with hub.conf, as the
 * bascule-hub user), reached over HTTPS from outside the chroot; a real agent (the repository's, on
 * the host) enrols with a token from the packaged CLI; a backup taken while it runs is restored
 * after a purge and a fresh installation: same device, same CA.
 */

const missing = [...missingTools(), ...(process.getuid?.() === 0 ? [] : ['root (chroot, unshare -m)'])];
if (missing.length > 0) {
  const message = `hub package test needs: ${missing.join(', ')} (apt-get install ${missing.join(' ')})`;
  if (process.env.CI) throw new Error(message);
  console.warn(`\n*** SKIPPED: ${message} ***\n`);
}

const HUB_VERSION = JSON.parse(readFileSync(join(REPO, 'hub/package.json'), 'utf8')).version as string;
const BACKUP = '/var/backups/bascule-hub/hub.tar.gz';

interface Device {
  id: string;
  online: boolean;
  department: string;
}

describe.skipIf(missing.length > 0)('the bascule-hub .deb in a Debian 12 chroot', () => {
  let deb: string;
  let chroot: ReturnType<typeof createChroot>;
  let hub: PackagedHub;
  let agent: AgentProcess | undefined;
  let api: ApiClient;
  let caHash = '';

  const inChroot = (argv: string[]) => runInChroot(chroot.root, argv);
  const file = (path: string) => join(chroot.root, path);
  const exists = (path: string) => lstatSync(file(path), { throwIfNoEntry: false }) !== undefined;
  const install = async () => {
    copyFileSync(deb, file('tmp/bascule-hub.deb'));
    const r = await inChroot(['dpkg', '-i', '/tmp/bascule-hub.deb']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    hub.configure();
  };
  const uidOf = (user: string) =>
    Number(
      readFileSync(file('etc/passwd'), 'utf8')
        .split('\n')
        .find((l) => l.startsWith(`${user}:`))
        ?.split(':')[2],
    );

  beforeAll(async () => {
    // gzip: the test is about the contents; `npm run package` and the benchmark use xz.
    deb = (await buildHubDeb({ outDir: tempDir('hub-deb'), version: HUB_VERSION, compression: 'gzip' })).deb;
    chroot = createChroot();
    hub = new PackagedHub(chroot.root, { http: await freePort(), mqtt: await freePort() });
  }, 600_000);
  afterAll(async () => {
    await agent?.stop();
    if (hub?.proc) await hub.stop();
    chroot?.remove();
  });

  it('passes lintian without errors', () => {
    const r = spawnSync('lintian', ['--tag-display-limit', '0', deb], { encoding: 'utf8' });
    expect(r.stdout).not.toMatch(/^E: /m);
    expect(r.status, r.stdout).toBe(0);
  });

  it('installs: system user, its state directory, the unit enabled, Node 24', async () => {
    await install();
    const uid = uidOf('bascule-hub');
    expect(uid).toBeGreaterThan(0);
    expect(uid).toBeLessThan(1000);
    const state = statSync(file('var/lib/bascule-hub'));
    expect(state.uid).toBe(uid);
    expect(state.mode & 0o777).toBe(0o700);
    expect(exists('etc/systemd/system/multi-user.target.wants/bascule-hub.service')).toBe(true);
    expect((await inChroot(['/usr/lib/bascule-hub/node', '--version'])).stdout).toMatch(/^v24\./);
  });

  it('serves HTTPS as its unit, as bascule-hub; the packaged CLI enrols a real agent', async () => {
    await hub.start();
    caHash = hub.caHash;
    const status = readFileSync(`/proc/${hub.proc.child.pid}/status`, 'utf8');
    expect(status.match(/^Uid:\s+(\d+)/m)?.[1]).toBe(String(uidOf('bascule-hub')));
    const health = await eventually(async () => {
      const r = await fetchHealth(hub.url);
      return r.status === 'ok' ? r : null;
    }, 'health');
    expect(health.version).toBe(HUB_VERSION);
    api = await adminClient(hub);

    // The CLI as root re-executes as bascule-hub: what it writes stays readable by the service.
    agent = new AgentProcess(hub, tempDir('agent'), 1);
    await agent.enroll('Paquet hub');
    agent.start();
    await eventually(async () => {
      if (!hub.proc.running)
        throw new Error(
          `the hub exited (${hub.proc.child.exitCode}, ${hub.proc.child.signalCode}):\n${hub.proc.stderr.join('\n')}`,
        );
      return (await api.get<Device>(`/api/v1/devices/${agent?.deviceId}`)).body.online;
    }, 'online');
    expect(statSync(file('var/lib/bascule-hub/data/bascule.db')).uid).toBe(uidOf('bascule-hub'));
  });

  it('backs up while it runs, and refuses to restore over the running hub', async () => {
    const r = await hub.cli(['backup', BACKUP]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Backup written/);
    const archive = statSync(file(BACKUP.slice(1)));
    expect(archive.mode & 0o777).toBe(0o600);
    expect(archive.uid).toBe(uidOf('bascule-hub'));
    expect(r.stdout + r.stderr).not.toMatch(/BEGIN .*PRIVATE KEY/);

    const refused = await hub.cli(['restore', BACKUP]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/a hub is running on \/var\/lib\/bascule-hub\/data \(pid \d+/);
  });

  it('purge removes the data; restored on a fresh installation, the device and the CA are the same', async () => {
    await hub.stop();
    expect(hub.proc.child.exitCode, hub.proc.output()).toBe(0);
    const purged = await inChroot(['dpkg', '--purge', 'bascule-hub']);
    expect(purged.code, purged.stdout + purged.stderr).toBe(0);
    for (const path of ['var/lib/bascule-hub', 'usr/lib/bascule-hub', 'usr/bin/bascule-hub', 'etc/bascule']) {
      expect(exists(path), path).toBe(false);
    }
    expect(exists(BACKUP.slice(1)), 'backups are kept').toBe(true);

    await install();
    const r = await hub.cli(['restore', BACKUP]);
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(file('var/lib/bascule-hub/data/tls/ca.key')).uid).toBe(uidOf('bascule-hub'));
    await hub.start();
    expect(hub.caHash).toBe(caHash);
    api = await adminClient(hub);
    const device = (await api.get<Device>(`/api/v1/devices/${agent?.deviceId}`)).body;
    expect(device.department).toBe('Paquet hub');
    // The agent pinned the CA at enrolment: it trusts the restored hub without being touched.
    await agent?.stop();
    agent?.start();
    await eventually(
      async () => (await api.get<Device>(`/api/v1/devices/${agent?.deviceId}`)).body.online,
      'online again',
    );
  });
});

async function fetchHealth(url: string): Promise<{ status: string; version: string }> {
  return (await new ApiClient(url).get<{ status: string; version: string }>('/api/v1/health')).body;
}
