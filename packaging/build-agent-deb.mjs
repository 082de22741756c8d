#!/usr/bin/env node
// `npm run package`: builds packaging/dist/bascule-agent_<version>_amd64.deb from the built tree
// (agent/dist, protocol/dist). Layout and choices: packaging/README.md.
//
//   node packaging/build-agent-deb.mjs [--out DIR] [--version V] [--compression xz|zstd|gzip|none]
//
// BASCULE_PACKAGE_VERSION and BASCULE_DEB_COMPRESSION do the same as the flags.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  assertDebianVersion,
  changelog,
  dpkgDeb,
  du,
  install,
  MAINTAINER,
  md5sums,
  shlibs,
  writeGz,
} from './lib/deb.mjs';
import { assertDaemonWithoutZod, bundleAgent } from './scripts/bundle-agent.mjs';
import { buildNodePtyAddon, installNodePty } from './scripts/node-pty.mjs';
import { ensureNodeRuntime } from './scripts/node-runtime.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..');
const TEMPLATES = join(HERE, 'agent');
const PACKAGE = 'bascule-agent';
const LIB = 'usr/lib/bascule-agent';

/** Builds the package; returns {deb, version, nodeVersion, bytes, seconds}. */
export async function buildAgentDeb({ outDir, version, compression = 'xz', log = () => {} }) {
  const started = Date.now();
  assertDebianVersion(version);
  if (!existsSync(join(REPO, 'agent/dist/main.js')))
    throw new Error('agent/dist is missing: run `npm run build` first');
  const runtime = ensureNodeRuntime(join(HERE, '.cache'));
  log(`node ${runtime.version} from ${relative(REPO, runtime.dir)}`);

  const work = mkdtempSync(join(tmpdir(), 'bascule-deb-'));
  try {
    const root = join(work, 'root');
    const lib = join(root, LIB);
    const bundle = await bundleAgent(REPO, lib, { version });
    const daemonModules = assertDaemonWithoutZod(bundle);
    log(`bundle: ${bundle.files.length} files; the daemon loads ${daemonModules} modules, none of zod`);
    writeFileSync(join(lib, 'package.json'), `${JSON.stringify({ type: 'module', version }, null, 2)}\n`);

    const ptyAddon = buildNodePtyAddon({ repo: REPO, runtime, cacheDir: join(HERE, '.cache'), log });
    const pty = installNodePty({ repo: REPO, addon: ptyAddon, dest: join(lib, 'node_modules/node-pty') });
    const ptyNode = join(lib, 'node_modules/node-pty/build/Release/pty.node');
    execFileSync('strip', ['--strip-unneeded', ptyNode]);
    chmodSync(ptyNode, 0o644);
    log(`node-pty ${pty.version} built for node ${runtime.version}`);

    copyFileSync(runtime.node, join(lib, 'node'));
    // Debug info and the static symbol table only (about 18 MB); the dynamic symbols that native
    // addons link against stay.
    execFileSync('strip', ['--strip-unneeded', join(lib, 'node')]);
    chmodSync(join(lib, 'node'), 0o755);

    install(join(TEMPLATES, 'bascule-agent'), join(root, 'usr/bin/bascule-agent'), 0o755);
    install(join(TEMPLATES, 'bascule-agent.service'), join(root, 'lib/systemd/system/bascule-agent.service'));
    // First boot of an image: enrol from the site token (images/README.md).
    install(
      join(TEMPLATES, 'bascule-agent-enroll.service'),
      join(root, 'lib/systemd/system/bascule-agent-enroll.service'),
    );
    install(join(TEMPLATES, 'enroll-from-token'), join(lib, 'enroll-from-token'), 0o755);
    install(join(TEMPLATES, 'agent.conf'), join(root, 'etc/bascule/agent.conf'));
    const doc = join(root, 'usr/share/doc', PACKAGE);
    install(join(TEMPLATES, 'copyright'), join(doc, 'copyright'));
    install(join(runtime.dir, 'LICENSE'), join(doc, 'NODE-LICENSE'));
    writeFileSync(join(doc, 'THIRD-PARTY-NOTICES'), thirdPartyNotices(bundle));
    writeGz(join(doc, 'changelog.gz'), changelog(PACKAGE, version));
    writeGz(join(root, 'usr/share/man/man8/bascule-agent.8.gz'), readFileSync(join(TEMPLATES, 'bascule-agent.8')));
    install(join(TEMPLATES, 'lintian-overrides'), join(root, 'usr/share/lintian/overrides', PACKAGE));

    const debian = join(root, 'DEBIAN');
    for (const script of ['postinst', 'prerm', 'postrm']) install(join(TEMPLATES, script), join(debian, script), 0o755);
    writeFileSync(join(debian, 'conffiles'), '/etc/bascule/agent.conf\n');
    writeFileSync(join(debian, 'md5sums'), md5sums(root));
    writeFileSync(
      join(debian, 'control'),
      control({ version, installedKiB: du(root), depends: shlibs(PACKAGE, [join(lib, 'node'), ptyNode]) }),
    );

    const deb = dpkgDeb(root, { outDir, pkg: PACKAGE, version, compression });
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

function control({ version, installedKiB, depends }) {
  return `Package: ${PACKAGE}
Version: ${version}
Architecture: amd64
Maintainer: ${MAINTAINER}
Installed-Size: ${installedKiB}
Depends: ${depends}
Recommends: libnotify-bin, zenity
Section: admin
Priority: optional
Description: Bascule device agent (inventory, health, configuration)
 The agent of a Bascule fleet hub, for desktops moved from Windows to Linux.
 It enrols the machine with the hub, keeps one MQTT/TLS connection to it,
 reports inventory and health, applies the configuration the hub sends, and
 opens a terminal for the helpdesk when asked (the desktop user is notified).
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
