import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAgentDeb } from '../../packaging/build-agent-deb.mjs';
import { missingTools } from '../../packaging/scripts/debian-chroot.mjs';
// Plain ESM, shared with test/bench/enroll-ssh.mjs.
import { freePort, SSH_USER, startSshHosts } from '../rigs/ssh-hosts.mjs';
import { type ApiClient, adminClient, HUB_BIN, type HubProcess, runNode, startHub, tempDir } from './support/index.js';

/*
 * `bascule-hub enroll-ssh` against real OpenSSH: one sshd on loopback, one port per host, each port's
 * sessions chrooted (ChrootDirectory via Match LocalPort) into its own Debian 12 root, an overlay of one
 * debootstrap'd tree (test/rigs/ssh-hosts.mjs). That is what keeps the hosts apart on one machine:
 * `sudo -n dpkg -i` installs into each root's own dpkg database, and each agent's state
 * (/var/lib/bascule-agent) and machine-id are its own, while the hosts share the network namespace
 * with the hub (enrolment over loopback). Network namespaces would add nothing the test checks
 * (the SSH path, sudo, dpkg, the postinst, the table) and cost a veth per host. A third host is a port
 * where nothing listens: unreachable.
 */

const missing = [
  ...missingTools(),
  ...(process.getuid?.() === 0 ? [] : ['root (sshd, chroot, mount)']),
  ...(spawnable('/usr/sbin/sshd') ? [] : ['openssh-server']),
];
function spawnable(bin: string): boolean {
  try {
    execFileSync('test', ['-x', bin]);
    return true;
  } catch {
    return false;
  }
}
if (missing.length > 0) {
  const message = `enroll-ssh test needs: ${missing.join(', ')} (apt-get install ${missing.join(' ')})`;
  if (process.env.CI) throw new Error(message);
  console.warn(`\n*** SKIPPED: ${message} ***\n`);
}

interface Device {
  id: string;
  department: string;
}
interface Row {
  host: string;
  outcome: string;
  deviceId: string | null;
  detail: string;
}
type Rig = Awaited<ReturnType<typeof startSshHosts>>;

describe.skipIf(missing.length > 0)('bascule-hub enroll-ssh against real sshd hosts', () => {
  let hub: HubProcess;
  let api: ApiClient;
  let rig: Rig;
  let deb = '';
  let deadPort = 0;
  const work = tempDir('enroll-ssh');
  const knownHosts = join(work, 'known_hosts');

  const enrollSsh = async (hosts: string[], extra: string[] = []) => {
    writeFileSync(join(work, 'hosts'), `# test hosts\n${hosts.join('\n')}\n`);
    const args = [HUB_BIN, 'enroll-ssh', '--data', hub.dataDir, '--hosts', join(work, 'hosts'), '--user', SSH_USER];
    args.push('--key', rig.keyFile, '--known-hosts', knownHosts, '--package', deb, '--parallel', '3', ...extra);
    return runNode(args);
  };
  const label = (i: number) => `127.0.0.1:${rig.hosts[i]?.port}`;

  beforeAll(async () => {
    deb =
      process.env.BASCULE_TEST_AGENT_DEB ??
      (await buildAgentDeb({ outDir: tempDir('ssh-deb'), version: '0.1.0', compression: 'gzip' })).deb;
    hub = await startHub();
    api = await adminClient(hub);
    rig = await startSshHosts(2);
    deadPort = await freePort();
  }, 300_000);
  afterAll(async () => {
    await rig?.stop();
    await hub?.stop();
  });

  it('enrols the reachable hosts, reports the unreachable one, and prints a table', async () => {
    const r = await enrollSsh(
      [label(0), `127.0.0.1:${deadPort}   # switched off`, label(1), label(0)],
      ['--department', 'Parc SSH'],
    );
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toContain(`line 5: ${label(0)} is already on line 2, enrolled once`);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^HOST +RESULT +DEVICE +TIME +DETAIL$/);
    // Debian 12's dpkg reads zstd: the hosts got the repacked copy, made once in the hub's cache.
    expect(lines[1]).toMatch(new RegExp(`^${label(0)} +enrolled +\\S{26} .*installed \\(zstd copy\\) and enrolled`));
    const cache = join(hub.dataDir, 'cache', 'zstd-packages');
    expect(readdirSync(cache)).toHaveLength(1);
    expect(lines[2]).toMatch(new RegExp(`^127\\.0\\.0\\.1:${deadPort} +unreachable +- .*ECONNREFUSED`));
    expect(lines[3]).toMatch(new RegExp(`^${label(1)} +enrolled +\\S{26} `));
    expect(r.stdout).toMatch(/3 host\(s\): 2 enrolled, 0 already enrolled, 1 unreachable, 0 failed/);

    const ids = rig.hosts.map(
      (h) => JSON.parse(readFileSync(rig.file(h, 'var/lib/bascule-agent/identity.json'), 'utf8')).deviceId as string,
    );
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) {
      expect(r.stdout).toContain(id);
      const device = (await api.get<Device>(`/api/v1/devices/${id}`)).body;
      expect(device.department).toBe('Parc SSH');
    }
    // Each host's own dpkg database has the package; the token file is gone.
    for (const h of rig.hosts) {
      expect(readFileSync(rig.file(h, 'var/lib/dpkg/status'), 'utf8')).toMatch(/^Package: bascule-agent$/m);
      expect(() => readFileSync(rig.file(h, 'etc/bascule/enroll.token'))).toThrow(/ENOENT/);
    }
    // accept-new: both host keys were recorded.
    expect(readFileSync(knownHosts, 'utf8')).toContain(`[127.0.0.1]:${rig.hosts[0]?.port} ssh-ed25519 `);
  });

  it('a second run finds them enrolled and exits 0; a changed host key is refused', async () => {
    const again = await enrollSsh([label(0), label(1)], ['--json']);
    expect(again.code, again.stderr).toBe(0);
    const rows = JSON.parse(again.stdout) as Row[];
    expect(rows.map((row) => row.outcome)).toEqual(['already-enrolled', 'already-enrolled']);

    // Host 0 now presents another key than the one recorded.
    const other = join(work, 'other_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const otherKey = readFileSync(`${other}.pub`, 'utf8').split(' ')[1];
    const kh = readFileSync(knownHosts, 'utf8').replace(
      new RegExp(`^(\\[127\\.0\\.0\\.1\\]:${rig.hosts[0]?.port} ssh-ed25519) \\S+$`, 'm'),
      `$1 ${otherKey}`,
    );
    writeFileSync(knownHosts, kh);
    const changed = await enrollSsh([label(0), label(1)], ['--json']);
    expect(changed.code).toBe(1);
    const [first, second] = JSON.parse(changed.stdout) as Row[];
    expect(first?.outcome).toBe('failed');
    expect(first?.detail).toMatch(/host key changed since it was recorded in .*known_hosts: refused/);
    expect(second?.outcome).toBe('already-enrolled');
  });

  it('stops at a bad hosts file, naming the line', async () => {
    const r = await enrollSsh([label(0), 'root@pc1']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/line 3: "root@pc1" is not a host name or address/);
  });
});
