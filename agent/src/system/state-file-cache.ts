import type { StateDirectory } from './state-directory.js';

/** Small results worth keeping between inventory runs (what an expensive command answered, and why). */
export interface InventoryCache {
  /** The entry's text, or undefined when there is none. */
  read(name: string): string | undefined;
  write(name: string, text: string): void;
  /**
   * Where a tool may keep a file of its own in this cache (apt's binary caches), the directory made;
   * undefined when the cache holds no files (tests).
   */
  filePath(name: string): string | undefined;
}

/** Entries as files in `cache/` of the agent's state directory, written atomically. */
export class StateFileCache implements InventoryCache {
  constructor(private readonly dir: StateDirectory) {}

  read(name: string): string | undefined {
    return this.dir.read(`cache/${name}`)?.toString('utf8');
  }

  write(name: string, text: string): void {
    this.dir.ensure('cache');
    this.dir.writeAtomic(`cache/${name}`, text);
  }

  filePath(name: string): string {
    this.dir.ensure('cache');
    return this.dir.path(`cache/${name}`);
  }
}

/** For tests: entries in a map. */
export class MemoryInventoryCache implements InventoryCache {
  readonly entries = new Map<string, string>();
  read(name: string) {
    return this.entries.get(name);
  }
  write(name: string, text: string) {
    this.entries.set(name, text);
  }
  filePath(): undefined {
    return undefined;
  }
}
