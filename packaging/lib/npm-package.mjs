// An npm package fetched with `npm pack` (the registry's tarball, no install scripts run) and
// extracted once into the packaging cache.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Directory of the extracted `name@version` (exact version) under cacheDir. */
export function ensureNpmPackage(name, version, cacheDir) {
  const dir = join(cacheDir, `${name.replace('/', '+')}-${version}`);
  if (existsSync(join(dir, 'package.json'))) return dir;
  mkdirSync(cacheDir, { recursive: true });
  const tarball = execFileSync('npm', ['pack', `${name}@${version}`, '--pack-destination', cacheDir, '--silent'], {
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .at(-1);
  const tmp = `${dir}.partial`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  execFileSync('tar', ['xzf', join(cacheDir, tarball), '-C', tmp, '--strip-components=1']);
  rmSync(join(cacheDir, tarball));
  renameSync(tmp, dir);
  return dir;
}
