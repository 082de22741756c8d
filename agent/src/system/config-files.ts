import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * System configuration files a config module reads and edits (`/etc/sssd/sssd.conf`, PAM), by absolute
 * path; writable, unlike the inventory's read-only SystemFiles. Writes are atomic (temporary file in the same directory, fsync, rename) with the mode given,
 * so a crash leaves the old file or the new one. Tests pass a fake.
 */
export interface ConfigFiles {
  /** The file's text, or null when it does not exist. */
  read(path: string): string | null;
  exists(path: string): boolean;
  writeAtomic(path: string, content: string, mode: number): void;
  /** Deletes the file; nothing happens when it is already gone. */
  remove(path: string): void;
}

export class LocalConfigFiles implements ConfigFiles {
  read(path: string): string | null {
    try {
      return readFileSync(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  exists(path: string): boolean {
    try {
      statSync(path);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  writeAtomic(path: string, content: string, mode: number): void {
    const tmp = join(dirname(path), `.${randomBytes(6).toString('hex')}.bascule.tmp`);
    const fd = openSync(tmp, 'wx', mode);
    try {
      writeSync(fd, Buffer.from(content, 'utf8'));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      renameSync(tmp, path);
    } catch (err) {
      unlinkSync(tmp);
      throw err;
    }
  }

  remove(path: string): void {
    try {
      unlinkSync(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}

/** In-memory ConfigFiles for tests. */
export class FakeConfigFiles implements ConfigFiles {
  readonly files = new Map<string, { content: string; mode: number }>();

  constructor(initial: Record<string, string> = {}) {
    for (const [path, content] of Object.entries(initial)) this.files.set(path, { content, mode: 0o644 });
  }

  read(path: string): string | null {
    return this.files.get(path)?.content ?? null;
  }

  exists(path: string): boolean {
    return this.files.has(path);
  }

  writeAtomic(path: string, content: string, mode: number): void {
    this.files.set(path, { content, mode });
  }

  remove(path: string): void {
    this.files.delete(path);
  }
}
