import type { Logger } from '../logging/logger.js';
import type { CommandRunner } from '../system/command-runner.js';
import type { OsFiles } from '../system/os-files.js';
import type { InventoryCache } from '../system/state-file-cache.js';
import type { SystemInfo } from '../system/system-info.js';

/** What the section collectors use to look at the machine; all of it is faked in tests. */
export interface InventoryDeps {
  si: SystemInfo;
  runner: CommandRunner;
  files: OsFiles;
  logger: Logger;
  /** Where expensive answers are kept between runs (pending updates); none: always recomputed. */
  cache?: InventoryCache;
}

/**
 * A part of a section that may fail alone (one disk's SMART, the monitors): logged, and the section
 * is sent without it rather than failing whole.
 */
export async function part<T>(deps: InventoryDeps, what: string, collect: () => Promise<T>): Promise<T | undefined> {
  try {
    return await collect();
  } catch (err) {
    deps.logger.warn('inventory: part not collected', { part: what, error: err as Error });
    return undefined;
  }
}
