import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProcessRunner } from '../ad-join/process-runner.js';
import type { AgentPackage } from '../install/agent-package.repository.js';
import { type Runner, ZstdPackageCopies } from './zstd-copy.js';

// Real dpkg-deb (dpkg is essential on Debian): a small xz package built here, repacked, compared.
let dir: string;
let pkg: AgentPackage;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bascule-zstd-copy-'));
  const root = path.join(dir, 'root');
  fs.mkdirSync(path.join(root, 'DEBIAN'), { recursive: true });
  fs.mkdirSync(path.join(root, 'usr/lib/bascule-agent'), { recursive: true });
  fs.writeFileSync(
    path.join(root, 'DEBIAN/control'),
    'Package: bascule-agent\nVersion: 0.1.0\nArchitecture: amd64\nMaintainer: Bascule <it@example.org>\nDescription: test\n test package\n',
  );
  fs.writeFileSync(path.join(root, 'DEBIAN/postinst'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  fs.writeFileSync(path.join(root, 'usr/lib/bascule-agent/node'), Buffer.alloc(200_000, 7), { mode: 0o755 });
  fs.writeFileSync(path.join(root, 'usr/lib/bascule-agent/agent.js'), 'console.log("é")\n', { mode: 0o644 });
  const file = path.join(dir, 'bascule-agent_0.1.0_amd64.deb');
  execFileSync('dpkg-deb', ['--root-owner-group', '-Zxz', '--build', root, file], { stdio: 'ignore' });
  const bytes = fs.readFileSync(file);
  pkg = {
    file,
    fileName: path.basename(file),
    version: '0.1.0',
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const members = (file: string) => execFileSync('ar', ['t', file], { encoding: 'utf8' }).trim().split('\n');
const listing = (file: string) => execFileSync('dpkg-deb', ['--contents', file], { encoding: 'utf8' });
const control = (file: string) => execFileSync('dpkg-deb', ['--info', file, 'control'], { encoding: 'utf8' });

describe('ZstdPackageCopies', () => {
  it('repacks with zstd: same files, modes, owners and control; made once per package', async () => {
    const copies = new ZstdPackageCopies(path.join(dir, 'cache'), new ProcessRunner());
    const copy = await copies.copyOf(pkg);
    expect(members(copy.file)).toEqual(['debian-binary', 'control.tar.zst', 'data.tar.zst']);
    expect(members(pkg.file)).toEqual(['debian-binary', 'control.tar.xz', 'data.tar.xz']);
    expect(listing(copy.file)).toBe(listing(pkg.file));
    expect(control(copy.file)).toBe(control(pkg.file));
    expect(copy).toMatchObject({ fileName: pkg.fileName, version: '0.1.0', bytes: fs.statSync(copy.file).size });
    expect(copy.sha256).toBe(createHash('sha256').update(fs.readFileSync(copy.file)).digest('hex'));
    expect(copy.sha256).not.toBe(pkg.sha256);

    // The second run reuses the copy and never calls dpkg-deb.
    const calls: string[][] = [];
    const counting: Runner = {
      run: async (bin, args) => {
        calls.push([bin, ...args]);
        return { code: 1, stdout: '', stderr: '' };
      },
    };
    const again = await new ZstdPackageCopies(path.join(dir, 'cache'), counting).copyOf(pkg);
    expect(again).toEqual(copy);
    expect(calls).toEqual([]);
    // Nothing left behind but the copy and its checksum.
    expect(fs.readdirSync(path.join(dir, 'cache'))).toEqual([pkg.sha256]);
  });

  it('says why when the package cannot be repacked, and caches nothing', async () => {
    fs.writeFileSync(pkg.file, 'not a deb');
    const copies = new ZstdPackageCopies(path.join(dir, 'cache'), new ProcessRunner());
    await expect(copies.copyOf(pkg)).rejects.toThrow(/^unpacking bascule-agent_0\.1\.0_amd64\.deb failed: dpkg-deb/);
    expect(fs.readdirSync(path.join(dir, 'cache'))).toEqual([]);
    const missing: Runner = {
      run: async () => {
        throw new Error('spawn dpkg-deb ENOENT');
      },
    };
    await expect(new ZstdPackageCopies(path.join(dir, 'cache'), missing).copyOf(pkg)).rejects.toThrow(
      'unpacking bascule-agent_0.1.0_amd64.deb: dpkg-deb could not run (spawn dpkg-deb ENOENT)',
    );
  });
});
