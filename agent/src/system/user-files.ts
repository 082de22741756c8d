import { randomBytes } from 'node:crypto';
import {
  chownSync,
  closeSync,
  fchownSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/** Who owns what is written in a home directory. */
export interface FileOwner {
  uid: number;
  gid: number;
}

/**
 * Files the agent (root) writes in a user's home directory, owned by that user. The user controls the
 * directory, so nothing is followed through a symbolic link: each directory from the home down is
 * checked with lstat (a link is refused), missing ones are created owned by the user, and a file is
 * written to a temporary name (O_EXCL) then renamed over the old one. Tests pass a fake.
 */
export interface UserFiles {
  /** True when the directory exists (the account has a home yet). */
  isDirectory(path: string): boolean;
  /** The file's text, null when it does not exist; a symbolic link is refused. */
  read(path: string): string | null;
  /** Writes `path` (under `home`) with `mode`, owned by `owner`, creating the directories between. */
  write(home: string, path: string, content: string, mode: number, owner: FileOwner): void;
  /** Deletes the file (not through a link); nothing happens when it is already gone. */
  remove(path: string): void;
}

const lstatOrNull = (path: string) => {
  try {
    return lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
};

export class LocalUserFiles implements UserFiles {
  isDirectory(path: string): boolean {
    return lstatOrNull(path)?.isDirectory() ?? false;
  }

  read(path: string): string | null {
    const st = lstatOrNull(path);
    if (!st) return null;
    if (!st.isFile()) throw new Error(`${path} is not a regular file (a link or a directory): left alone`);
    return readFileSync(path, 'utf8');
  }

  write(home: string, path: string, content: string, mode: number, owner: FileOwner): void {
    const rel = relative(home, dirname(path));
    if (rel.startsWith('..') || rel.startsWith(sep)) throw new Error(`${path} is not under ${home}`);
    let dir = home;
    for (const part of ['', ...rel.split(sep).filter(Boolean)]) {
      dir = part ? join(dir, part) : dir;
      const st = lstatOrNull(dir);
      if (!st && !part) throw new Error(`${home} does not exist: the account has no home yet`);
      if (!st) {
        mkdirSync(dir, { mode: 0o700 });
        chownSync(dir, owner.uid, owner.gid);
      } else if (!st.isDirectory()) {
        throw new Error(`${dir} is not a directory (a link or a file): nothing written there`);
      }
    }
    const existing = lstatOrNull(path);
    if (existing && !existing.isFile()) throw new Error(`${path} is not a regular file: left alone`);
    const tmp = join(dirname(path), `.${randomBytes(6).toString('hex')}.bascule.tmp`);
    const fd = openSync(tmp, 'wx', mode);
    try {
      fchownSync(fd, owner.uid, owner.gid);
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
    const st = lstatOrNull(path);
    if (!st) return;
    // unlink removes a link itself, never its target; a directory is not ours to remove.
    if (st.isDirectory()) throw new Error(`${path} is a directory: left alone`);
    unlinkSync(path);
  }
}

/** In-memory UserFiles for tests: files with their mode and owner, and the directories that exist. */
export class FakeUserFiles implements UserFiles {
  readonly files = new Map<string, { content: string; mode: number; owner: FileOwner }>();
  readonly dirs = new Set<string>();

  isDirectory(path: string): boolean {
    return this.dirs.has(path);
  }

  read(path: string): string | null {
    return this.files.get(path)?.content ?? null;
  }

  write(home: string, path: string, content: string, mode: number, owner: FileOwner): void {
    if (!this.dirs.has(home)) throw new Error(`${home} does not exist`);
    this.files.set(path, { content, mode, owner });
  }

  remove(path: string): void {
    this.files.delete(path);
  }
}
