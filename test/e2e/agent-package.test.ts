import { spawnSync } from 'node:child_process';
import { copyFileSync, lstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Plain ESM helpers shared with `npm run package` and test/bench/agent-package.mjs.
import { buildAgentDeb } from '../../packaging/build-agent-deb.mjs';
import { createChroot, missingTools, runInChroot, spawnInChroot } from '../../packaging/scripts/debian-chroot.mjs';
import { unitExecStart } from '../../packaging/scripts/unit-exec.mjs';
import {
  type ApiClient,
  adminClient,
  eventually,
  type HubProcess,
  Proc,
  REPO,
  startHub,
  tempDir,
} from './support/index.js';
import { sshKeygen, sshRun } from './support/ssh-client.js';

/*
 * The agent's .deb in a debootstrap'd Debian 12 chroot (no systemd there): built from the tree, checked
 * by lintian, installed with dpkg, enrolled against a real hub on loopback (the chroot shares the
 * network namespace), run as its systemd unit would run it, upgraded, purged; and the postinst's
 * enrolment from /etc/bascule/enroll.token. Cold, debootstrap adds about 45 s (cached afterwards in
 * $TMPDIR/bascule-debootstrap).
 */

const missing = [...missingTools(), ...(process.getuid?.() === 0 ? [] : ['root (chroot, unshare -m)'])];
if (missing.length > 0) {
  const message = `agent package test needs: ${missing.join(', ')} (apt-get install ${missing.join(' ')})`;
  if (process.env.CI) throw new Error(message);
  console.warn(`\n*** SKIPPED: ${message} ***\n`);
}

const AGENT_VERSION = JSON.parse(readFileSync(join(REPO, 'agent/package.json'), 'utf8')).version as string;
const UPGRADE_VERSION = `${AGENT_VERSION}+upgrade1`;

interface Device {
  id: string;
  online: boolean;
  os: string | null;
  department: string;
}
interface Inventory {
  software?: { data?: { packages: { name: string; version: string }[] } };
}

describe.skipIf(missing.length > 0)('the bascule-agent .deb in a Debian 12 chroot', () => {
  let v1: string;
  let v2: string;
  let chroot: ReturnType<typeof createChroot>;
  let hub: HubProcess;
  let api: ApiClient;
  let daemon: Proc | undefined;
  let firstDeviceId = '';

  const inChroot = (argv: string[]) => runInChroot(chroot.root, argv);
  const file = (path: string) => join(chroot.root, path);
  // lstat: a symbolic link in the chroot points at an absolute path that means something else outside.
  const exists = (path: string) => lstatSync(path, { throwIfNoEntry: false }) !== undefined;
  const status = async () => {
    const r = await inChroot(['bascule-agent', 'status', '--json']);
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as { deviceId: string };
  };
  const install = async (deb: string) => {
    copyFileSync(deb, file('tmp/bascule-agent.deb'));
    return inChroot(['dpkg', '-i', '/tmp/bascule-agent.deb']);
  };
  /** Starts the daemon exactly as bascule-agent.service's ExecStart, with /etc/bascule/agent.conf. */
  const startUnit = () => {
    const unit = readFileSync(file('lib/systemd/system/bascule-agent.service'), 'utf8');
    const { argv, env } = unitExecStart(unit, readFileSync(file('etc/bascule/agent.conf'), 'utf8'));
    return new Proc(spawnInChroot(chroot.root, argv, env));
  };
  const onlineWith = (deviceId: string, version: string) =>
    eventually(
      async () => {
        const device = (await api.get<Device>(`/api/v1/devices/${deviceId}`)).body;
        const inventory = (await api.get<Inventory>(`/api/v1/devices/${deviceId}/inventory`)).body;
        const ours = inventory.software?.data?.packages.find((p) => p.name === 'bascule-agent');
        return device.online && device.os && ours?.version === version ? { device, ours } : null;
      },
      `device ${deviceId} online with bascule-agent ${version} in its inventory`,
      60_000,
    );

  beforeAll(async () => {
    const out = tempDir('deb');
    // The first package as `npm run package` makes it (xz); the upgrade, only for the test, faster.
    v1 = (await buildAgentDeb({ outDir: out, version: AGENT_VERSION })).deb;
    v2 = (await buildAgentDeb({ outDir: out, version: UPGRADE_VERSION, compression: 'gzip' })).deb;
    chroot = createChroot();
    hub = await startHub();
    api = await adminClient(hub);
  }, 300_000);
  afterAll(async () => {
    await daemon?.stop();
    await hub?.stop();
    chroot?.remove();
  });

  it('passes lintian without errors', async () => {
    const r = spawnSync('lintian', ['--tag-display-limit', '0', v1], { encoding: 'utf8' });
    expect(r.stdout).not.toMatch(/^E: /m);
    expect(r.status, r.stdout).toBe(0);
  });

  it('installs without systemd and runs on its own Node 24', async () => {
    const r = await install(v1);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect((await inChroot(['/usr/lib/bascule-agent/node', '--version'])).stdout).toMatch(/^v24\./);
    // deb-systemd-helper enabled the unit even though systemd does not run here.
    expect(exists(file('etc/systemd/system/multi-user.target.wants/bascule-agent.service'))).toBe(true);
    const inventory = await inChroot(['bascule-agent', 'inventory', '--json']);
    expect(inventory.code, inventory.stderr).toBe(0);
    const sections = JSON.parse(inventory.stdout);
    expect(sections.os.data.distribution ?? JSON.stringify(sections.os)).toMatch(/Debian/);
    const ours = sections.software.data.packages.find((p: { name: string }) => p.name === 'bascule-agent');
    expect(ours.version).toBe(AGENT_VERSION);
  });

  it('enrols by hand and runs as its unit: online in the hub with the chroot as its OS', async () => {
    const t = await hub.createToken('Paquets');
    const r = await inChroot(['bascule-agent', 'enroll', '--hub', hub.url, '--token', t.token, '--ca-hash', t.caHash]);
    expect(r.code, r.stderr).toBe(0);
    firstDeviceId = (await status()).deviceId;

    // agent.conf's settings reach the daemon's flags: a bad value is refused, naming the flag.
    const conf = readFileSync(file('etc/bascule/agent.conf'), 'utf8');
    writeFileSync(file('etc/bascule/agent.conf'), `${conf}OUTBOX_MAX_MESSAGES=5\n`);
    const refused = startUnit();
    expect(await refused.exit()).toBe(2);
    expect(refused.stderr.join('\n')).toMatch(/--outbox-max-messages/);
    writeFileSync(file('etc/bascule/agent.conf'), `${conf}HEARTBEAT_SECONDS=2\n`);

    daemon = startUnit();
    const { device } = await onlineWith(firstDeviceId, AGENT_VERSION);
    expect(device.os).toMatch(/Debian GNU\/Linux 12|Debian 12/);
    expect(device.department).toBe('Paquets');
    // The V8 flags came from the command line, as the unit gives them.
    const cmdline = readFileSync(`/proc/${daemon.child.pid}/cmdline`, 'utf8').split('\0');
    expect(cmdline).toEqual(
      expect.arrayContaining(['--lite-mode', '--max-semi-space-size=1', '--heartbeat-seconds', '2']),
    );

    // A remote terminal through the hub's SSH gateway opens a pty with the package's node-pty,
    // compiled against the bundled Node 24's headers (`ssh -tt`: a terminal for the command).
    const keys = tempDir('deb-ssh');
    const key = sshKeygen(keys, 'helpdesk');
    const added = await hub.addUser('helene', 'helpdesk', 'une phrase de passe pour le paquet', `${key}.pub`);
    expect(added.code, added.stderr).toBe(0);
    const shell = await sshRun(hub.sshPort, key, `helene+${firstDeviceId}`, 'tty; cat /etc/debian_version', {
      extra: ['-tt'],
    });
    expect(shell.code, shell.stderr).toBe(0);
    expect(shell.stdout.toString()).toMatch(/^\/dev\/pts\/\d+\r?\n12\./);

    expect(await daemon.stop('SIGTERM')).toBe(0);
    daemon = undefined;
  });

  it('keeps the device identity and the edited agent.conf across an upgrade', async () => {
    const identity = readFileSync(file('var/lib/bascule-agent/identity.json'), 'utf8');
    const r = await install(v2);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Unpacking bascule-agent .* over \(/);
    expect(readFileSync(file('var/lib/bascule-agent/identity.json'), 'utf8')).toBe(identity);
    expect(readFileSync(file('etc/bascule/agent.conf'), 'utf8')).toMatch(/^HEARTBEAT_SECONDS=2$/m);
    expect((await status()).deviceId).toBe(firstDeviceId);

    daemon = startUnit();
    await onlineWith(firstDeviceId, UPGRADE_VERSION);
    expect(await daemon.stop('SIGTERM')).toBe(0);
    daemon = undefined;
  });

  it('purge removes the state, the configuration and the program', async () => {
    const r = await inChroot(['dpkg', '--purge', 'bascule-agent']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const path of [
      'var/lib/bascule-agent',
      'etc/bascule',
      'usr/lib/bascule-agent',
      'usr/bin/bascule-agent',
      'etc/systemd/system/multi-user.target.wants/bascule-agent.service',
    ]) {
      expect(exists(file(path)), path).toBe(false);
    }
  });

  it('enrols at installation from /etc/bascule/enroll.token, keeping a token that fails', async () => {
    const t = await hub.createToken('Jeton');
    const tokenFile = file('etc/bascule/enroll.token');
    const writeToken = (caHash: string) => {
      writeFileSync(
        tokenFile,
        `# from bascule-hub token create\nhub=${t.hubUrl}\ntoken=${t.token}\nca-hash=${caHash}\n`,
        {
          mode: 0o600,
        },
      );
    };
    // Wrong CA hash: the package installs, the machine is not enrolled, the token stays for a retry.
    mkdirSync(file('etc/bascule'), { recursive: true });
    writeToken(`sha256:${'0'.repeat(64)}`);
    const failed = await install(v2);
    expect(failed.code, failed.stdout + failed.stderr).toBe(0);
    expect(failed.stderr).toMatch(/enroll\.token kept/);
    expect(failed.stderr).not.toContain(t.token);
    expect(exists(tokenFile)).toBe(true);
    expect(exists(file('var/lib/bascule-agent/identity.json'))).toBe(false);

    writeToken(t.caHash);
    const r = await inChroot(['dpkg-reconfigure', 'bascule-agent']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(exists(tokenFile)).toBe(false);
    const { deviceId } = await status();
    expect(deviceId).not.toBe(firstDeviceId);
    const device = (await api.get<Device>(`/api/v1/devices/${deviceId}`)).body;
    expect(device.department).toBe('Jeton');
  });
});
