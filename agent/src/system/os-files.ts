import { open, readdir, readFile, readlink, stat } from 'node:fs/promises';

/**
 * Read-only, asynchronous access to the OS files the inventory looks at (/etc, /sys, /proc,
 * /var/run). A file or directory that does not exist reads as undefined / empty: on a desktop many
 * of them are optional (no battery, no reboot-required). Any other error (permission, I/O) is thrown.
 */
export interface OsFiles {
  readText(path: string): Promise<string | undefined>;
  readBytes(path: string): Promise<Buffer | undefined>;
  /** The first `bytes` bytes only (a file header, without reading a 100 MB database). */
  readHead(path: string, bytes: number): Promise<Buffer | undefined>;
  /** Entry names, sorted; [] when the directory does not exist. */
  list(dir: string): Promise<string[]>;
  modifiedAt(path: string): Promise<Date | undefined>;
  readLink(path: string): Promise<string | undefined>;
}

const absent = (err: unknown) => {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'ENODEV' || code === 'EINVAL';
};

async function orUndefined<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (absent(err)) return undefined;
    throw err;
  }
}

export class NodeOsFiles implements OsFiles {
  readText(path: string) {
    return orUndefined(() => readFile(path, 'utf8'));
  }
  readBytes(path: string) {
    return orUndefined(() => readFile(path));
  }
  readHead(path: string, bytes: number) {
    return orUndefined(async () => {
      const handle = await open(path, 'r');
      try {
        const buf = Buffer.alloc(bytes);
        const { bytesRead } = await handle.read(buf, 0, bytes, 0);
        return buf.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    });
  }
  async list(dir: string) {
    return ((await orUndefined(() => readdir(dir))) ?? []).sort();
  }
  async modifiedAt(path: string) {
    return (await orUndefined(() => stat(path)))?.mtime;
  }
  readLink(path: string) {
    return orUndefined(() => readlink(path));
  }
}
