import type { OsFiles } from './os-files.js';

/** OsFiles for tests: a map of path → content; a path not in it does not exist. */
export class FakeOsFiles implements OsFiles {
  constructor(
    private readonly files: Record<string, string | Buffer> = {},
    private readonly links: Record<string, string> = {},
    private readonly mtimes: Record<string, Date> = {},
  ) {}

  async readText(path: string) {
    const f = this.files[path];
    return f === undefined ? undefined : f.toString();
  }
  async readBytes(path: string) {
    const f = this.files[path];
    return f === undefined ? undefined : Buffer.from(f);
  }
  async readHead(path: string, bytes: number) {
    return (await this.readBytes(path))?.subarray(0, bytes);
  }
  async list(dir: string) {
    const prefix = dir.endsWith('/') ? dir : `${dir}/`;
    const names = new Set<string>();
    for (const p of [...Object.keys(this.files), ...Object.keys(this.links)]) {
      if (p.startsWith(prefix)) names.add(p.slice(prefix.length).split('/')[0] as string);
    }
    return [...names].sort();
  }
  async modifiedAt(path: string) {
    return this.files[path] === undefined ? undefined : (this.mtimes[path] ?? new Date('2026-11-20T08:00:00Z'));
  }
  async readLink(path: string) {
    return this.links[path];
  }
}
