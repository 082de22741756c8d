import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Proc } from './processes.js';

/**
 * A private mount namespace (`unshare -m`) holding a small tmpfs over `dir`, kept alive by a sleeping
 * process: nothing changes in the host's mounts. Processes join it through {@link launcher}; the test
 * reaches the tmpfs through `/proc/PID/root`. Stop it after the processes that joined it.
 */
export class SmallDisk {
  private constructor(
    readonly dir: string,
    readonly holder: Proc,
  ) {}

  static async mount(dir: string, size: string): Promise<SmallDisk> {
    const script = 'mount -t tmpfs -o "size=$1,mode=0700" tmpfs "$2" && echo mounted && exec sleep infinity';
    const holder = new Proc(
      spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script, 'sh', size, dir], {
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    await holder.waitFor(() => holder.stdout.includes('mounted'), `tmpfs of ${size} on ${dir}`, 10_000);
    return new SmallDisk(dir, holder);
  }

  /** Runs the rest of a command line inside the namespace (nsenter execs: the PID is the command's). */
  get launcher(): string[] {
    return ['nsenter', '-t', String(this.holder.child.pid), '-m'];
  }

  /** `relative` on the tmpfs, as this process sees it. */
  path(relative = ''): string {
    return path.join(`/proc/${this.holder.child.pid}/root`, this.dir, relative);
  }

  /** Fills the tmpfs with one file until the kernel says ENOSPC; returns the bytes written. */
  fill(): number {
    const fd = fs.openSync(this.path('filler'), 'w');
    const chunk = Buffer.alloc(64 * 1024, 1);
    let written = 0;
    try {
      for (;;) written += fs.writeSync(fd, chunk);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
    } finally {
      fs.closeSync(fd);
    }
    return written;
  }

  /** Space returns. */
  free(): void {
    fs.rmSync(this.path('filler'), { force: true });
  }

  async stop(): Promise<void> {
    await this.holder.stop('SIGKILL');
  }
}
