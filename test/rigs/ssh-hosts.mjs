// Debian "hosts" reachable over SSH on loopback, for enroll-ssh's test and benchmark.
//
// Real OpenSSH sshd (one per 16 hosts: MAX_LISTEN_SOCKS) listens on one loopback port per host; `Match LocalPort` chroots each port's
// sessions into that host's own root. Each root is an overlay of one debootstrap'd Debian 12 tree
// (minbase + curl + sudo, extracted once) with an upper directory per host, so 50 hosts cost 50 small
// directories, not 50 copies. Everything runs in a private mount namespace (unshare -m): the overlays,
// /dev and /proc in each root, a tmpfs on /run, and copies of passwd/group/shadow that add the test
// user are bind-mounted there only; the host's /etc is never changed. The test user `bascule-it`
// (uid 1500) logs in with a key and has passwordless sudo inside every root, so `sudo -n dpkg -i`
// installs into that host's own dpkg database and `/var/lib/bascule-agent` is that host's own.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDebianTarball } from '../../packaging/scripts/debian-chroot.mjs';
import { freePort } from './free-port.mjs';

export const SSH_USER = 'bascule-it';
const UID = 1500;

/**
 * `count` distinct free ports. freePort() alone may hand the same port out twice once it is closed
 * again: two hosts on one port made sshd fail one bind and the hosts file list one line twice (49 hosts
 * in a 50-host run).
 */
async function distinctFreePorts(count) {
  const ports = new Set();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

/** Starts sshd for `count` hosts; returns {hosts: [{port, upper}], keyFile, stop()}. */
export async function startSshHosts(count, log = () => {}) {
  const rig = mkdtempSync(join(tmpdir(), 'bascule-ssh-rig-'));
  // sshd reads authorized_keys as the user.
  chmodSync(rig, 0o755);
  const base = join(rig, 'base');
  mkdirSync(base);
  execFileSync('tar', ['-C', base, '-xf', ensureDebianTarball(log, ['curl', 'sudo'])]);
  const userLine = `${SSH_USER}:x:${UID}:${UID}::/home/${SSH_USER}:/bin/sh\n`;
  const shadowLine = `${SSH_USER}:*:20000:0:99999:7:::\n`;
  const groupLine = `${SSH_USER}:x:${UID}:\n`;

  // The host's account files with the test user, for sshd (bind-mounted in its namespace only).
  for (const [name, line] of [
    ['passwd', userLine],
    ['group', groupLine],
    ['shadow', shadowLine],
  ]) {
    writeFileSync(join(rig, name), readFileSync(`/etc/${name}`, 'utf8') + line, {
      mode: name === 'shadow' ? 0o640 : 0o644,
    });
  }
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(rig, 'host_key')]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(rig, 'id_ed25519')]);
  writeFileSync(join(rig, 'authorized_keys'), readFileSync(join(rig, 'id_ed25519.pub')));

  const hosts = [];
  const ports = await distinctFreePorts(count);
  for (let i = 0; i < count; i++) {
    const dir = join(rig, `h${i}`);
    const upper = join(dir, 'upper');
    mkdirSync(join(dir, 'work'), { recursive: true });
    mkdirSync(join(upper, 'etc/sudoers.d'), { recursive: true });
    for (const [name, line] of [
      ['passwd', userLine],
      ['group', groupLine],
      ['shadow', shadowLine],
    ]) {
      writeFileSync(join(upper, 'etc', name), readFileSync(join(base, 'etc', name), 'utf8') + line);
    }
    chmodSync(join(upper, 'etc/shadow'), 0o640);
    writeFileSync(join(upper, 'etc/sudoers.d/bascule-it'), `${SSH_USER} ALL=(ALL) NOPASSWD: ALL\n`, { mode: 0o440 });
    // Each host its own machine-id, as every installed system has.
    writeFileSync(join(upper, 'etc/machine-id'), `${randomBytes(16).toString('hex')}\n`);
    writeFileSync(join(upper, 'etc/hostname'), `host${i}\n`);
    // sudo looks up the (shared) UTS host name.
    writeFileSync(join(upper, 'etc/hosts'), `127.0.0.1 localhost\n127.0.1.1 ${hostname()}\n`);
    mkdirSync(join(upper, 'home', SSH_USER), { recursive: true });
    chownSync(join(upper, 'home', SSH_USER), UID, UID);
    hosts.push({ index: i, port: ports[i], dir, upper, mount: `/mnt/h${i}` });
  }

  // OpenSSH listens on at most 16 sockets (MAX_LISTEN_SOCKS): one sshd per 16 hosts.
  const daemons = [];
  for (let g = 0; g * 16 < hosts.length; g++) {
    daemons.push(await startSshd(rig, g, hosts.slice(g * 16, g * 16 + 16), base));
  }
  const stderr = () => daemons.map((d) => d.stderr()).join('');
  return {
    hosts,
    keyFile: join(rig, 'id_ed25519'),
    rig,
    stderr,
    /** The host's file (its overlay's upper layer holds everything the host wrote). */
    file: (host, path) => join(host.upper, path),
    async stop() {
      for (const d of daemons) await d.stop();
      rmSync(rig, { recursive: true, force: true });
    },
  };
}

/** One sshd, in its own mount namespace, for up to 16 hosts. */
async function startSshd(rig, group, hosts, base) {
  const configFile = join(rig, `sshd_config_${group}`);
  const config = [
    ...hosts.map((h) => `ListenAddress 127.0.0.1:${h.port}`),
    `HostKey ${join(rig, 'host_key')}`,
    `PidFile ${join(rig, `sshd_${group}.pid`)}`,
    `AuthorizedKeysFile ${join(rig, 'authorized_keys')}`,
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'PermitRootLogin no',
    `AllowUsers ${SSH_USER}`,
    'MaxStartups 200:30:400',
    `LogLevel ${process.env.BASCULE_SSHD_LOG_LEVEL ?? 'ERROR'}`,
    ...hosts.flatMap((h) => [`Match LocalPort ${h.port}`, `  ChrootDirectory ${h.mount}`]),
  ].join('\n');
  writeFileSync(configFile, `${config}\n`);
  const mounts = hosts
    .map(
      (h) =>
        `mkdir ${h.mount} && mount -t overlay overlay -o lowerdir=${base},upperdir=${h.upper},workdir=${h.dir}/work ${h.mount} && ` +
        `mount --rbind /dev ${h.mount}/dev && mount -t proc proc ${h.mount}/proc && mount -t tmpfs tmpfs ${h.mount}/run`,
    )
    .join(' && ');
  const script = [
    'set -e',
    'mount -t tmpfs -o mode=755 tmpfs /mnt',
    mounts,
    `for f in passwd group shadow; do mount --bind ${rig}/$f /etc/$f; done`,
    'mount -t tmpfs -o mode=755 tmpfs /run && mkdir -m 755 /run/sshd',
    `exec /usr/sbin/sshd -D -e -f ${configFile}`,
  ].join('\n');
  const sshd = spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  sshd.stderr.setEncoding('utf8').on('data', (c) => (stderr += c));
  const exited = new Promise((resolve) => sshd.on('exit', resolve));
  await waitForPort(
    hosts[0].port,
    () => sshd.exitCode !== null,
    () => stderr,
  );
  return {
    stderr: () => stderr,
    async stop() {
      if (sshd.exitCode === null) sshd.kill('SIGTERM');
      await exited;
    },
  };
}

async function waitForPort(port, dead, output) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (dead()) throw new Error(`sshd exited:\n${output()}`);
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`sshd not listening on ${port}:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export { freePort };
