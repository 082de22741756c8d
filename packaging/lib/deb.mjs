// What building a .deb by hand takes (no debian/ tree, no debhelper), shared by the agent and hub
// package builds: file installation, md5sums, Installed-Size, Depends from dpkg-shlibdeps, dpkg-deb.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

// No mail domain of our own yet: a distributor sets BASCULE_MAINTAINER (lintian needs a dotted host).
export const MAINTAINER = process.env.BASCULE_MAINTAINER ?? 'Bascule maintainers <maintainers@bascule.invalid>';
// What dpkg-shlibdeps computed for node 24.21 on Debian 12; used only when dpkg-dev is missing.
export const FALLBACK_SHLIBS = 'libc6 (>= 2.34), libgcc-s1 (>= 3.4), libstdc++6 (>= 10.2)';

export function assertDebianVersion(version) {
  if (!/^[0-9][A-Za-z0-9.+~-]*$/.test(version)) throw new Error(`not a Debian version: ${version}`);
}

export function install(from, to, mode = 0o644) {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
  chmodSync(to, mode);
}

export function writeGz(file, content) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, gzipSync(content, { level: 9 }));
}

export function changelog(pkg, version) {
  const date = new Date().toUTCString().replace('GMT', '+0000');
  return `${pkg} (${version}) unstable; urgency=medium\n\n  * Built from the Bascule sources.\n\n -- ${MAINTAINER}  ${date}\n`;
}

/** Every file under root (relative paths), DEBIAN/ excluded. */
export function walk(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return relative(base, p) === 'DEBIAN' ? [] : walk(p, base);
    return [relative(base, p)];
  });
}

export function md5sums(root) {
  const files = walk(root).sort();
  const out = [];
  // Batches: a hub tree holds thousands of files, more than one command line takes.
  for (let i = 0; i < files.length; i += 500) {
    out.push(
      execFileSync('md5sum', files.slice(i, i + 500), { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }),
    );
  }
  return out.join('');
}

/** Installed-Size in KiB. */
export function du(root) {
  return walk(root).reduce((kib, f) => kib + Math.ceil(statSync(join(root, f)).size / 1024), 0);
}

/** `Depends:` for the given ELF files, from dpkg-shlibdeps (FALLBACK_SHLIBS without dpkg-dev). */
export function shlibs(pkg, binaries) {
  const dir = mkdtempSync(join(tmpdir(), 'bascule-shlibs-'));
  try {
    mkdirSync(join(dir, 'debian'));
    writeFileSync(join(dir, 'debian/control'), `Source: ${pkg}\n\nPackage: ${pkg}\nArchitecture: amd64\n`);
    const out = execFileSync('dpkg-shlibdeps', ['-O', ...binaries], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return out.match(/^shlibs:Depends=(.*)$/m)?.[1] ?? FALLBACK_SHLIBS;
  } catch (err) {
    if (err.code !== 'ENOENT') throw err;
    process.stderr.write(`dpkg-shlibdeps not found (apt-get install dpkg-dev); Depends: ${FALLBACK_SHLIBS}\n`);
    return FALLBACK_SHLIBS;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Builds root (with its DEBIAN/) into outDir/<pkg>_<version>_amd64.deb; returns the path. */
export function dpkgDeb(root, { outDir, pkg, version, compression }) {
  mkdirSync(outDir, { recursive: true });
  const deb = join(outDir, `${pkg}_${version}_amd64.deb`);
  const z = { zstd: ['-Zzstd', '-z19'], xz: ['-Zxz'], gzip: ['-Zgzip', '-z1'], none: ['-Znone'] }[compression];
  if (!z) throw new Error(`compression must be zstd, xz, gzip or none, not ${compression}`);
  execFileSync('dpkg-deb', ['--root-owner-group', ...z, '--build', root, deb], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return deb;
}
