// A minimal Debian 12 chroot for testing the packages (recipe: ../shared/test-rigs.md, section 5).
// debootstrap runs once and its result is cached as a tarball; every chroot is a fresh extraction.
// Commands run in a private mount namespace (unshare -m) with /proc, /dev and /sys mounted for that
// command only, so nothing stays mounted when it ends and the chroot is removed with rm -rf.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROOT_CACHE = process.env.BASCULE_CHROOT_CACHE ?? join(tmpdir(), 'bascule-debootstrap');
const SUITE = 'bookworm';

/** Host tools the package tests need, with the Debian package that brings each. */
export const REQUIRED_TOOLS = {
  debootstrap: 'debootstrap',
  'dpkg-deb': 'dpkg',
  lintian: 'lintian',
  'dpkg-shlibdeps': 'dpkg-dev',
  strip: 'binutils',
  unshare: 'util-linux',
};

export function missingTools() {
  return Object.entries(REQUIRED_TOOLS)
    .filter(([tool]) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0)
    .map(([, pkg]) => pkg);
}

/** The Debian mirror this machine's apt uses (deb822 or one-line sources). */
export function debianMirror() {
  for (const file of ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list']) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const uri = text.match(/^URIs:\s*(\S+)/m)?.[1] ?? text.match(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm\s/m)?.[1];
    if (uri) return uri;
  }
  return 'http://deb.debian.org/debian';
}

/**
 * Path of the cached `debootstrap --variant=minbase bookworm` tarball; creates it (about 30-60 s) if
 * absent. `include`: more Debian packages (debootstrap --include), cached as a tarball of their own.
 */
export function ensureDebianTarball(log = () => {}, include = []) {
  const extra = [...include].sort();
  const tarball = join(CHROOT_CACHE, `${SUITE}-minbase${extra.map((p) => `+${p}`).join('')}.tar`);
  if (existsSync(tarball)) return tarball;
  mkdirSync(CHROOT_CACHE, { recursive: true });
  const dir = mkdtempSync(join(CHROOT_CACHE, 'debootstrap-'));
  try {
    const started = Date.now();
    const includeArgs = extra.length > 0 ? [`--include=${extra.join(',')}`] : [];
    execFileSync('debootstrap', ['--variant=minbase', ...includeArgs, SUITE, dir, debianMirror()], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    execFileSync('tar', ['-C', dir, '-cf', `${tarball}.partial`, '.']);
    renameSync(`${tarball}.partial`, tarball);
    log(`debootstrap ${SUITE}: ${((Date.now() - started) / 1000).toFixed(1)} s, cached in ${tarball}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return tarball;
}

/** A fresh chroot from the cached tarball (with the `include` packages); `remove()` deletes it. */
export function createChroot(log, { include = [] } = {}) {
  const tarball = ensureDebianTarball(log, include);
  const root = mkdtempSync(join(tmpdir(), 'bascule-chroot-'));
  execFileSync('tar', ['-C', root, '-xf', tarball]);
  // mkdtemp makes it 0700: the chroot's `/`, which a service user must be able to traverse.
  chmodSync(root, 0o755);
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

const MOUNT_AND_CHROOT =
  'mount -t proc proc "$0/proc" && mount --rbind /dev "$0/dev" && mount --rbind /sys "$0/sys" && exec chroot "$0" "$@"';
const CHROOT_ENV = {
  PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  HOME: '/root',
  LANG: 'C.UTF-8',
  DEBIAN_FRONTEND: 'noninteractive',
};

/** Starts argv inside the chroot; the returned child's pid is the command's own (unshare, sh and chroot exec). */
export function spawnInChroot(root, argv, env = {}) {
  return spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', MOUNT_AND_CHROOT, root, ...argv], {
    env: { ...CHROOT_ENV, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Runs argv inside the chroot to completion: {code, stdout, stderr}. */
export function runInChroot(root, argv, { env = {}, input = '', timeoutMs = 120_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawnInChroot(root, argv, env);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : null), stdout, stderr });
    });
    child.stdin.end(input);
  });
}
