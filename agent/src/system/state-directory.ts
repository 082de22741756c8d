import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The agent's state directory (identity, runtime status, outbox). Directories are 0700 and files 0600
 * because the identity holds the device secret; every write is atomic (temporary file, fsync, rename)
 * so a kill -9 or a power cut leaves either the old or the new content, never half a file.
 * Synchronous on purpose: the files are small and the daemon's only writer.
 */
export class StateDirectory {
  constructor(readonly root: string) {}

  path(name: string): string {
    return join(this.root, name);
  }

  /** Creates the directory (and `sub`, if given) with mode 0700. */
  ensure(sub?: string): void {
    mkdirSync(this.root, { recursive: true, mode: 0o700 });
    chmodSync(this.root, 0o700);
    if (sub) mkdirSync(this.path(sub), { recursive: true, mode: 0o700 });
  }

  writeAtomic(name: string, data: string | Buffer): void {
    const target = this.path(name);
    const tmp = join(dirname(target), `.${randomBytes(6).toString('hex')}.tmp`);
    const fd = openSync(tmp, 'wx', 0o600);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    try {
      try {
        // A nearly full disk writes part of the buffer and says how much: the next write gets ENOSPC.
        for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, target);
    } catch (err) {
      // Full disk included: no half-written temporary file is left to take the space.
      unlinkSync(tmp);
      throw err;
    }
  }

  /** The file's content, or null when it does not exist; other errors (EACCES, EISDIR) are thrown. */
  read(name: string): Buffer | null {
    try {
      return readFileSync(this.path(name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  exists(name: string): boolean {
    try {
      statSync(this.path(name));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  /** File names in `sub` (not recursive), leftover temporary files excluded; empty if `sub` is absent. */
  list(sub: string): Array<{ name: string; bytes: number }> {
    let names: string[];
    try {
      names = readdirSync(this.path(sub));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: Array<{ name: string; bytes: number }> = [];
    for (const name of names) {
      if (name.startsWith('.')) continue;
      // A running daemon removes acknowledged outbox files while `status` lists them: gone is not an error.
      const st = statSync(join(this.path(sub), name), { throwIfNoEntry: false });
      if (st?.isFile()) out.push({ name, bytes: st.size });
    }
    return out;
  }

  /** Deletes leftovers of writes interrupted by a crash. */
  removeTemporaries(sub: string): number {
    let removed = 0;
    for (const name of safeReaddir(this.path(sub))) {
      if (name.startsWith('.') && name.endsWith('.tmp')) {
        unlinkSync(join(this.path(sub), name));
        removed++;
      }
    }
    return removed;
  }

  remove(name: string): void {
    try {
      unlinkSync(this.path(name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

  move(from: string, to: string): void {
    mkdirSync(dirname(this.path(to)), { recursive: true, mode: 0o700 });
    renameSync(this.path(from), this.path(to));
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
