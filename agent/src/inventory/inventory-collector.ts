import type { InventorySectionName, InventorySections } from '@bascule/protocol';
import { INVENTORY_SECTIONS } from '@bascule/protocol/runtime';
import type { Logger } from '../logging/logger.js';
import type { Clock } from '../system/clock.js';
import type { CommandRunner } from '../system/command-runner.js';
import type { OsFiles } from '../system/os-files.js';
import type { InventoryCache } from '../system/state-file-cache.js';
import type { SystemInfo } from '../system/system-info.js';
import { collectAntivirus } from './antivirus-section.js';
import { collectDomain } from './domain-section.js';
import { collectHardware } from './hardware-section.js';
import type { InventoryDeps } from './inventory-deps.js';
import { collectModem } from './modem-section.js';
import { collectNetwork } from './network-section.js';
import { collectOs } from './os-section.js';
import { collectPrinters } from './printers-section.js';
import { sectionHash } from './section-hash.js';
import { collectSoftware } from './software-section.js';
import { collectUsers } from './users-section.js';

const COLLECTORS: Record<InventorySectionName, (deps: InventoryDeps) => Promise<unknown>> = {
  hardware: collectHardware,
  os: collectOs,
  network: collectNetwork,
  software: collectSoftware,
  users: collectUsers,
  printers: collectPrinters,
  domain: collectDomain,
  antivirus: collectAntivirus,
  modem: collectModem,
};

/** A section not done in this time is reported as failed (its commands have shorter timeouts of their own). */
export const SECTION_TIMEOUT_MS = 90_000;

/** Collects every inventory section independently: one failing section becomes `{error}`, never fatal. */
export class InventoryCollector {
  private readonly deps: InventoryDeps;

  constructor(
    si: SystemInfo,
    runner: CommandRunner,
    files: OsFiles,
    logger: Logger,
    private readonly clock: Clock,
    private readonly timeoutMs = SECTION_TIMEOUT_MS,
    cache?: InventoryCache,
  ) {
    this.deps = { si, runner, files, logger, ...(cache ? { cache } : {}) };
  }

  /** Every section, or only `names` (a delta asked for by a trigger: the packages, the network). */
  async collect(names: readonly InventorySectionName[] = INVENTORY_SECTIONS): Promise<InventorySections> {
    const wanted = INVENTORY_SECTIONS.filter((n) => names.includes(n));
    const results = await Promise.all(wanted.map((name) => this.section(name)));
    return Object.fromEntries(wanted.map((name, i) => [name, results[i]])) as InventorySections;
  }

  private async section(name: InventorySectionName) {
    const started = this.clock.now();
    try {
      // Not checked against the protocol's zod schemas here: loading zod costs this short-lived process
      // ~14 MiB of its peak (benchmarked against fusioninventory). The collectors are typed by those
      // schemas, and the hub checks each section on its own, so a section that does not fit is
      // recorded as an error there without costing the others.
      const data = await this.withTimeout(name, COLLECTORS[name](this.deps));
      // What each section costs, to find the next one worth making cheaper (`--log-level debug`).
      this.deps.logger.debug('inventory: section collected', { section: name, ms: this.clock.now() - started });
      return { hash: sectionHash(data), data };
    } catch (err) {
      const error = `${name} inventory failed: ${(err as Error).message}`.slice(0, 4096);
      this.deps.logger.warn('inventory: section failed', { section: name, error });
      return { error };
    }
  }

  private withTimeout<T>(name: string, work: Promise<T>): Promise<T> {
    let timer: unknown;
    const timeout = new Promise<never>((_, reject) => {
      timer = this.clock.setTimeout(
        () => reject(new Error(`${name} took longer than ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
    });
    return Promise.race([work, timeout]).finally(() => this.clock.clearTimeout(timer));
  }
}
