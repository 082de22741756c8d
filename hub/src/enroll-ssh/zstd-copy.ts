import fs from 'node:fs';
import path from 'node:path';
import type { ProcessResult } from '../ad-join/process-runner.js';
import { type AgentPackage, sha256File } from '../install/agent-package.repository.js';

/** Runs a program with an argv array (the hub's ProcessRunner; a fake in specs). */
export interface Runner {
  run(bin: string, args: string[], opts?: { timeoutMs?: number }): Promise<ProcessResult>;
}

/**
 * The agent package repacked with zstd for bulk enrolment: the same control files and the same data
 * (names, modes, owners, times), only the members' compression differs. The published package stays xz,
 * because Debian 12's lintian refuses zstd members (packaging/README.md); a host whose dpkg reads zstd
 * (Debian 12, Ubuntu and Zorin OS) unpacks this copy in about a third of the CPU (docs/performance.md).
 * Made once per package (keyed by its sha256) under `cacheDir`, with dpkg-deb, which every Debian or
 * Ubuntu hub has (dpkg is essential).
 */
export class ZstdPackageCopies {
  constructor(
    private readonly cacheDir: string,
    private readonly runner: Runner,
  ) {}

  async copyOf(pkg: AgentPackage): Promise<AgentPackage> {
    const dir = path.join(this.cacheDir, pkg.sha256);
    const file = path.join(dir, pkg.fileName);
    const done = path.join(dir, 'sha256');
    if (fs.existsSync(file) && fs.existsSync(done))
      return this.describe(pkg, file, fs.readFileSync(done, 'utf8').trim());

    fs.mkdirSync(this.cacheDir, { recursive: true, mode: 0o700 });
    const work = fs.mkdtempSync(path.join(this.cacheDir, '.repack-'));
    try {
      const root = path.join(work, 'root');
      await this.dpkgDeb(['--raw-extract', pkg.file, root], `unpacking ${pkg.fileName}`);
      const out = path.join(work, pkg.fileName);
      // -z9: within 15 % of -19's size at a thirtieth of its time; unpacking speed is the same.
      await this.dpkgDeb(['--root-owner-group', '-Zzstd', '-z9', '--build', root, out], `repacking ${pkg.fileName}`);
      const sha256 = await sha256File(out);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { mode: 0o700 });
      fs.renameSync(out, file);
      // Written last: a copy interrupted half-way is made again, never served.
      fs.writeFileSync(done, `${sha256}\n`);
      return this.describe(pkg, file, sha256);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }

  private describe(pkg: AgentPackage, file: string, sha256: string): AgentPackage {
    return { file, fileName: pkg.fileName, version: pkg.version, bytes: fs.statSync(file).size, sha256 };
  }

  private async dpkgDeb(args: string[], what: string): Promise<void> {
    let r: ProcessResult;
    try {
      r = await this.runner.run('dpkg-deb', args, { timeoutMs: 300_000 });
    } catch (err) {
      throw new Error(`${what}: dpkg-deb could not run (${(err as Error).message})`);
    }
    if (r.code !== 0) throw new Error(`${what} failed: ${r.stderr.trim().split('\n')[0] || `exit ${r.code}`}`);
  }
}
