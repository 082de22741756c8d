#!/usr/bin/env node
// `npm run package`: builds packaging/dist/bascule-hub_<version>_amd64.deb from the built tree
// (hub/dist, protocol/dist, admin-ui/dist) and the installed production dependencies.
// Layout and choices: packaging/README.md.
//
//   node packaging/build-hub-deb.mjs [--out DIR] [--version V] [--compression xz|zstd|gzip|none]
//
// BASCULE_PACKAGE_VERSION and BASCULE_DEB_COMPRESSION do the same as the flags.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
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
  walk,
  writeGz,
} from './lib/deb.mjs';
import { copyProductionModules } from './lib/node-modules.mjs';
import { ensureNpmPackage } from './lib/npm-package.mjs';
import { throwingStubSource } from './lib/stub.mjs';
import { ensureNodeRuntime } from './scripts/node-runtime.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '..');
const TEMPLATES = join(HERE, 'hub');
const PACKAGE = 'bascule-hub';
const LIB = 'usr/lib/bascule-hub';
// Compiled code that the hub never loads at run time.
// better-sqlite3 12.x (the workspace's) aborts Node 24 when the GC finalises a statement
// ("Assertion failed: (env) != nullptr" in RemoveEnvironmentCleanupHook, WiseLibs/better-sqlite3#1515):
// 13.x is built on node-addon-api (N-API, ABI-stable) and ships a linux-x64 prebuild (glibc >= 2.34),
// same JavaScript API. The package takes it until the workspace moves to 13 (which needs Node >= 22).
const BETTER_SQLITE3 = '13.2.0';
const NOT_SHIPPED = /(\.spec\.js|\.d\.ts|\.map|[\\/]test-support\.js)$/;

/** Builds the package; returns {deb, version, nodeVersion, bytes, seconds}. */
/**
 * Builds the package; returns {deb, version, nodeVersion, bytes, seconds}. `agentDeb`: an agent
 * package to ship in /usr/share/bascule-hub/agent/, which the hub serves at /install/agent.deb.
 */
export async function buildHubDeb({ outDir, version, compression = 'xz', agentDeb, log = () => {} }) {
  const started = Date.now();
  assertDebianVersion(version);
  for (const built of ['hub/dist/main.js', 'protocol/dist/index.js', 'admin-ui/dist/index.html']) {
    if (!existsSync(join(REPO, built))) throw new Error(`${built} is missing: run \`npm run build\` first`);
  }
  const cache = join(HERE, '.cache');
  const runtime = ensureNodeRuntime(cache);
  log(`node ${runtime.version} from ${relative(REPO, runtime.dir)}`);
  const sqlite = ensureNpmPackage('better-sqlite3', BETTER_SQLITE3, cache);

  const work = mkdtempSync(join(tmpdir(), 'bascule-hub-deb-'));
  try {
    const root = join(work, 'root');
    const lib = join(root, LIB);
    const app = join(lib, 'app');
    // The repository's layout, so that the hub finds ../assets and ../../../admin-ui/dist as in a checkout.
    const hub = join(app, 'hub');
    cpSync(join(REPO, 'hub/dist'), join(hub, 'dist'), { recursive: true, filter: (f) => !NOT_SHIPPED.test(f) });
    cpSync(join(REPO, 'hub/bin'), join(hub, 'bin'), { recursive: true });
    cpSync(join(REPO, 'hub/assets'), join(hub, 'assets'), { recursive: true });
    const hubPkg = JSON.parse(readFileSync(join(REPO, 'hub/package.json'), 'utf8'));
    writeFileSync(
      join(hub, 'package.json'),
      `${JSON.stringify({ name: hubPkg.name, version, type: 'module', private: true }, null, 2)}\n`,
    );
    cpSync(join(REPO, 'admin-ui/dist'), join(app, 'admin-ui/dist'), { recursive: true });

    const modules = copyProductionModules({
      root: REPO,
      fromDir: join(REPO, 'hub'),
      // A workspace of the repository, imported by the hub without being declared.
      extra: ['@bascule/protocol'],
      dest: app,
      special: {
        // Pulled by nest-commander's shell-completion helper, which the hub does not use: a stub that
        // throws if ever called (11 MB less), as in the agent's bundle.
        prettier: (src, to) => {
          const { version: v, license } = JSON.parse(readFileSync(join(src, 'package.json'), 'utf8'));
          mkdirSync(to, { recursive: true });
          writeFileSync(
            join(to, 'package.json'),
            `${JSON.stringify({ name: 'prettier', version: v, license, main: 'index.js' })}\n`,
          );
          writeFileSync(join(to, 'index.js'), throwingStubSource('prettier', 'bascule-hub'));
        },
        // ssh2's optional native crypto (and cpu-features, which only orders its ciphers) are built by
        // `npm ci` for the Node that ran it: NAN addons that the bundled Node 24 would refuse to load.
        // ssh2 requires them inside try/catch and uses Node's crypto instead, so they stay out.
        ssh2: (src, to) => {
          cpSync(src, to, {
            recursive: true,
            filter: (p) => {
              const rel = relative(src, p);
              return (
                !/(^|[\\/])\./.test(rel) &&
                !/^(test|examples|util|install\.js|.*\.md)$/.test(rel) &&
                !/^lib[\\/]protocol[\\/]crypto[\\/](build|src|binding\.gyp)/.test(rel)
              );
            },
          });
          return ['asn1', 'bcrypt-pbkdf'];
        },
        // 13.x instead of the workspace's 12.x (see BETTER_SQLITE3), and only what runs: lib/ and the
        // linux-x64 addon (not SQLite's sources nor other platforms' prebuilds).
        'better-sqlite3': (_src, to) => {
          for (const f of ['package.json', 'LICENSE', 'lib']) cpSync(join(sqlite, f), join(to, f), { recursive: true });
          mkdirSync(join(to, 'prebuilds'), { recursive: true });
          copyFileSync(join(sqlite, 'prebuilds/linux-x64.node'), join(to, 'prebuilds/linux-x64.node'));
          // node-addon-api is a build-time dependency (headers).
          return [];
        },
      },
    });
    dropShebangs(app);
    const addon = join(app, 'node_modules/better-sqlite3/prebuilds/linux-x64.node');
    execFileSync('strip', ['--strip-unneeded', addon]);
    chmodSync(addon, 0o644);
    log(`node_modules: ${modules.length} packages`);

    copyFileSync(runtime.node, join(lib, 'node'));
    execFileSync('strip', ['--strip-unneeded', join(lib, 'node')]);
    chmodSync(join(lib, 'node'), 0o755);

    install(join(TEMPLATES, 'bascule-hub'), join(root, 'usr/bin/bascule-hub'), 0o755);
    install(join(TEMPLATES, 'serve'), join(lib, 'serve'), 0o755);
    install(join(TEMPLATES, 'bascule-hub.service'), join(root, 'lib/systemd/system/bascule-hub.service'));
    install(join(TEMPLATES, 'hub.conf'), join(root, 'etc/bascule/hub.conf'));
    if (agentDeb) {
      install(agentDeb, join(root, 'usr/share/bascule-hub/agent', basename(agentDeb)));
      log(`ships ${basename(agentDeb)} for /install/agent.deb`);
    }
    const doc = join(root, 'usr/share/doc', PACKAGE);
    install(join(TEMPLATES, 'copyright'), join(doc, 'copyright'));
    install(join(runtime.dir, 'LICENSE'), join(doc, 'NODE-LICENSE'));
    writeFileSync(
      join(doc, 'THIRD-PARTY-NOTICES'),
      `npm packages in /usr/lib/bascule-hub/app/node_modules (name version: license)\n\n${modules
        .map((m) => `${m.name} ${m.version}: ${typeof m.license === 'string' ? m.license : JSON.stringify(m.license)}`)
        .sort()
        .join('\n')}\n`,
    );
    writeGz(join(doc, 'changelog.gz'), changelog(PACKAGE, version));
    writeGz(join(root, 'usr/share/man/man8/bascule-hub.8.gz'), readFileSync(join(TEMPLATES, 'bascule-hub.8')));
    install(join(TEMPLATES, 'lintian-overrides'), join(root, 'usr/share/lintian/overrides', PACKAGE));

    const debian = join(root, 'DEBIAN');
    for (const script of ['postinst', 'prerm', 'postrm']) install(join(TEMPLATES, script), join(debian, script), 0o755);
    writeFileSync(join(debian, 'conffiles'), '/etc/bascule/hub.conf\n');
    writeFileSync(join(debian, 'md5sums'), md5sums(root));
    const depends = `adduser, ${shlibs(PACKAGE, [join(lib, 'node'), addon])}`;
    writeFileSync(join(debian, 'control'), control({ version, installedKiB: du(root), depends }));

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

/**
 * Scripts of npm packages start with `#!/usr/bin/env node`, which lintian reads as a dependency on
 * Debian's nodejs; they are never run directly here (the wrappers call the bundled node), so the line
 * becomes a comment and no file of the tree is executable.
 */
/**
 * Files are data here (0644): nothing in node_modules is run as a script. A `#!` line is commented out in
 * JavaScript (also bin files without extension that name node), and a package's Makefile, a build file
 * with a shell `#!` line (int64-buffer's), is left out: lintian checks every `#!` file as a script.
 */
function dropShebangs(dir) {
  for (const file of walk(dir)) {
    const path = join(dir, file);
    chmodSync(path, 0o644);
    if (basename(file) === 'Makefile') {
      rmSync(path);
      continue;
    }
    const head = readFileSync(path).subarray(0, 64).toString('utf8');
    if (!head.startsWith('#!')) continue;
    if (!/\.(c|m)?js$/.test(file) && !/^#!.*\bnode\b/.test(head)) continue;
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, `//${text.slice(2)}`);
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
Description: Bascule fleet hub (MQTT broker, HTTPS API, admin UI)
 The hub of a Bascule fleet, for desktops moved from Windows to Linux: it
 enrols desktops, keeps their inventory and health in SQLite, and serves the
 admin UI and REST API over HTTPS and an MQTT/TLS broker for the agents.
 .
 It runs as the bascule-hub system user on its own Node.js runtime, shipped
 in /usr/lib/bascule-hub; data lives in /var/lib/bascule-hub.
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      version: { type: 'string' },
      compression: { type: 'string' },
      'agent-deb': { type: 'string' },
    },
  });
  const hubVersion = JSON.parse(readFileSync(join(REPO, 'hub/package.json'), 'utf8')).version;
  // `npm run package` builds the agent first: the hub ships it, so that it can serve the install script.
  const agentVersion = JSON.parse(readFileSync(join(REPO, 'agent/package.json'), 'utf8')).version;
  const agentDeb = values['agent-deb'] ?? join(HERE, 'dist', `bascule-agent_${agentVersion}_amd64.deb`);
  if (!existsSync(agentDeb)) process.stderr.write(`${agentDeb} not found: the hub package will not serve /install\n`);
  const result = await buildHubDeb({
    outDir: resolve(values.out ?? join(HERE, 'dist')),
    version: values.version ?? process.env.BASCULE_PACKAGE_VERSION ?? hubVersion,
    compression: values.compression ?? process.env.BASCULE_DEB_COMPRESSION ?? 'xz',
    agentDeb: existsSync(agentDeb) ? agentDeb : undefined,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(
    `${relative(process.cwd(), result.deb)}: ${(result.bytes / 1024 / 1024).toFixed(1)} MiB, node ${result.nodeVersion}, ${result.seconds.toFixed(1)} s\n`,
  );
}
