import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * For specs: a real, tiny .deb built with `dpkg-deb --build` (a few ms), so that the store reads a true
 * control file. `extra` goes into a file of the package, to make two packages of one version differ.
 */
export function buildTestDeb(
  dir: string,
  control: { package?: string; version: string; architecture?: string },
  extra = '',
): string {
  const root = fs.mkdtempSync(path.join(dir, 'deb-root-'));
  fs.mkdirSync(path.join(root, 'DEBIAN'));
  fs.mkdirSync(path.join(root, 'usr/share/doc/test'), { recursive: true });
  fs.writeFileSync(path.join(root, 'usr/share/doc/test/README'), `test package ${control.version}${extra}\n`);
  fs.writeFileSync(
    path.join(root, 'DEBIAN/control'),
    `Package: ${control.package ?? 'bascule-agent'}\nVersion: ${control.version}\nArchitecture: ${control.architecture ?? 'amd64'}\nMaintainer: Spec <spec@example.org>\nDescription: spec package\n`,
  );
  const out = path.join(dir, `${control.package ?? 'bascule-agent'}-${control.version}-${path.basename(root)}.deb`);
  execFileSync('dpkg-deb', ['--build', '--root-owner-group', '-Zgzip', root, out], { stdio: 'ignore' });
  fs.rmSync(root, { recursive: true, force: true });
  return out;
}
