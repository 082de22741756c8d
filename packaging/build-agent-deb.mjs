#!/usr/bin/env node
// `npm run package`: builds packaging/dist/bascule-agent_<version>_amd64.deb from the built tree
// (agent/dist, protocol/dist). Layout and choices: packaging/README.md.
//
//   node packaging/build-agent-deb.mjs [--out DIR] [--version V] [--compression xz|gzip|none]
//
// BASCULE_PACKAGE_VERSION and BASCULE_DEB_COMPRESSION do the same as the flags.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { assertDaemonWithoutZod, bundleAgent } from './scripts/bundle-agent.mjs';
import { ensureNodeRuntime } from './scripts/node-runtime.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..');
const TEMPLATES = join(HERE, 'agent');
const PACKAGE = 'bascule-agent';
const LIB = 'usr/lib/bascule-agent';
// What dpkg-shlibdeps computed for node 24.21 on Debian 12; used only when dpkg-dev is missing.
// No mail domain of our own yet: a distributor sets BASCULE_MAINTAINER (lintian needs a dotted host).
const MAINTAINER = process.env.BASCULE_MAINTAINER ?? 'Bascule maintainers <maintainers@bascule.invalid>';
const FALLBACK_SHLIBS = 'libc6 (>= 2.34), libgcc-s1 (>= 3.4), libstdc++6 (>= 10.2)';

/** Builds the package; returns {deb, version, nodeVersion, bytes, seconds}. */
export async function buildAgentDeb({ outDir, version, compression = 'xz', log = () => {} }) {
  const started = Date.now();
  if (!/^[0-9][A-Za-z0-9.+~-]*$/.test(version)) throw new Error(`not a Debian version: ${version}`);
  if (!existsSync(join(REPO, 'agent/dist/main.js')))
    throw new Error('agent/dist is missing: run `npm run build` first');
  const runtime = ensureNodeRuntime(join(HERE, '.cache'));
  log(`node ${runtime.version} from ${relative(REPO, runtime.dir)}`);

  const work = mkdtempSync(join(tmpdir(), 'bascule-deb-'));
  try {
    const root = join(work, 'root');
    const lib = join(root, LIB);
    const bundle = await bundleAgent(REPO, lib);
    const daemonModules = assertDaemonWithoutZod(bundle);
    log(`bundle: ${bundle.files.length} files; the daemon loads ${daemonModules} modules, none of zod`);
    writeFileSync(join(lib, 'package.json'), `${JSON.stringify({ type: 'module', version }, null, 2)}\n`);

    copyFileSync(runtime.node, join(lib, 'node'));
    // Debug info and the static symbol table only (about 18 MB); the dynamic symbols that native
    // addons link against stay.
    execFileSync('strip', ['--strip-unneeded', join(lib, 'node')]);
    chmodSync(join(lib, 'node'), 0o755);

    install(join(TEMPLATES, 'bascule-agent'), join(root, 'usr/bin/bascule-agent'), 0o755);
    install(join(TEMPLATES, 'bascule-agent.service'), join(root, 'lib/systemd/system/bascule-agent.service'));
    install(join(TEMPLATES, 'agent.conf'), join(root, 'etc/bascule/agent.conf'));
    const doc = join(root, 'usr/share/doc', PACKAGE);
    install(join(TEMPLATES, 'copyright'), join(doc, 'copyright'));
    install(join(runtime.dir, 'LICENSE'), join(doc, 'NODE-LICENSE'));
    writeFileSync(join(doc, 'THIRD-PARTY-NOTICES'), thirdPartyNotices(bundle));
    writeGz(join(doc, 'changelog.gz'), changelog(version));
    writeGz(join(root, 'usr/share/man/man8/bascule-agent.8.gz'), readFileSync(join(TEMPLATES, 'bascule-agent.8')));
    install(join(TEMPLATES, 'lintian-overrides'), join(root, 'usr/share/lintian/overrides', PACKAGE));

    const debian = join(root, 'DEBIAN');
    for (const script of ['postinst', 'prerm', 'postrm']) install(join(TEMPLATES, script), join(debian, script), 0o755);
    writeFileSync(join(debian, 'conffiles'), '/etc/bascule/agent.conf\n');
    writeFileSync(join(debian, 'md5sums'), md5sums(root));
    writeFileSync(
      join(debian, 'control'),
      control({ version, installedKiB: du(root), depends: shlibs(join(lib, 'node')) }),
    );

    mkdirSync(outDir, { recursive: true });
    const deb = join(outDir, `${PACKAGE}_${version}_amd64.deb`);
    const z = { xz: ['-Zxz'], gzip: ['-Zgzip', '-z1'], none: ['-Znone'] }[compression];
    if (!z) throw new Error(`compression must be xz, gzip or none, not ${compression}`);
    execFileSync('dpkg-deb', ['--root-owner-group', ...z, '--build', root, deb], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    return {
      deb,
      version,
      nodeVersion: runtime.version,
      bytes: statSync(deb).size,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function install(from, to, mode = 0o644) {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
  chmodSync(to, mode);
}

function writeGz(file, content) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, gzipSync(content, { level: 9 }));
}

function changelog(version) {
  const date = new Date().toUTCString().replace('GMT', '+0000');
  return `${PACKAGE} (${version}) unstable; urgency=medium\n\n  * Built from the Bascule sources.\n\n -- ${MAINTAINER}  ${date}\n`;
}

function walk(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return relative(base, p) === 'DEBIAN' ? [] : walk(p, base);
    return [relative(base, p)];
  });
}

function md5sums(root) {
  const files = walk(root).sort();
  const out = execFileSync('md5sum', files, { cwd: root, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  return out;
}

function du(root) {
  return walk(root).reduce((kib, f) => kib + Math.ceil(statSync(join(root, f)).size / 1024), 0);
}

function shlibs(binary) {
  const dir = mkdtempSync(join(tmpdir(), 'bascule-shlibs-'));
  try {
    mkdirSync(join(dir, 'debian'));
    writeFileSync(join(dir, 'debian/control'), `Source: ${PACKAGE}\n\nPackage: ${PACKAGE}\nArchitecture: amd64\n`);
    const out = execFileSync('dpkg-shlibdeps', ['-O', binary], {
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

function control({ version, installedKiB, depends }) {
  return `Package: ${PACKAGE}
Version: ${version}
Architecture: amd64
Maintainer: ${MAINTAINER}
Installed-Size: ${installedKiB}
Depends: ${depends}
Section: admin
Priority: optional
Description: Bascule device agent (inventory, health, configuration)
 The agent of a Bascule fleet hub, for desktops moved from Windows to Linux.
 It enrols the machine with the hub, keeps one MQTT/TLS connection to it,
 reports inventory and health, and applies the configuration the hub sends.
 .
 It runs on its own Node.js runtime, shipped in /usr/lib/bascule-agent.
`;
}

/** The npm packages in the bundle, with the license their package.json declares. */
function thirdPartyNotices(bundle) {
  const packages = new Map();
  for (const chunk of bundle.chunks.values()) {
    for (const id of chunk.moduleIds) {
      const m = id.match(/^(.*\/node_modules\/((?:@[^/]+\/)?[^/]+))\//);
      if (!m || packages.has(m[2])) continue;
      const pkg = JSON.parse(readFileSync(join(m[1], 'package.json'), 'utf8'));
      packages.set(
        m[2],
        `${pkg.name} ${pkg.version}: ${typeof pkg.license === 'string' ? pkg.license : JSON.stringify(pkg.license)}`,
      );
    }
  }
  return `npm packages bundled into /usr/lib/bascule-agent/lib (name version: license)\n\n${[...packages.values()].sort().join('\n')}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { out: { type: 'string' }, version: { type: 'string' }, compression: { type: 'string' } },
  });
  const agentVersion = JSON.parse(readFileSync(join(REPO, 'agent/package.json'), 'utf8')).version;
  const result = await buildAgentDeb({
    outDir: resolve(values.out ?? join(HERE, 'dist')),
    version: values.version ?? process.env.BASCULE_PACKAGE_VERSION ?? agentVersion,
    compression: values.compression ?? process.env.BASCULE_DEB_COMPRESSION ?? 'xz',
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(
    `${relative(process.cwd(), result.deb)}: ${(result.bytes / 1024 / 1024).toFixed(1)} MiB, node ${result.nodeVersion}, ${result.seconds.toFixed(1)} s\n`,
  );
}
