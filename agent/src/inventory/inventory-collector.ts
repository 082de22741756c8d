import type { InventorySectionName, InventorySections } from '@bascule/protocol';
import { INVENTORY_SECTIONS } from '@bascule/protocol/runtime';
import type { Logger } from '../logging/logger.js';
import type { CommandRunner } from '../system/command-runner.js';
import type { SystemInfo } from '../system/system-info.js';
import { collectHardware } from './hardware-section.js';
import { collectNetwork } from './network-section.js';
import { collectOs } from './os-section.js';
import { sectionHash } from './section-hash.js';
import { collectSoftware } from './software-section.js';

/** Collects every inventory section independently: one failing section becomes `{error}`, never fatal. */
export class InventoryCollector {
  constructor(
    private readonly si: SystemInfo,
    private readonly runner: CommandRunner,
    private readonly logger: Logger,
  ) {}

  async collect(): Promise<InventorySections> {
    const collectors: Record<InventorySectionName, () => Promise<unknown>> = {
      hardware: () => collectHardware(this.si),
      os: () => collectOs(this.si),
      network: () => collectNetwork(this.si),
      software: () => collectSoftware(this.runner, this.logger),
    };
    const results = await Promise.all(INVENTORY_SECTIONS.map((name) => this.section(name, collectors[name])));
    return Object.fromEntries(INVENTORY_SECTIONS.map((name, i) => [name, results[i]])) as InventorySections;
  }

  private async section(name: InventorySectionName, collect: () => Promise<unknown>) {
    try {
      // Not checked against the protocol's zod schemas here: loading zod costs this short-lived process
      // ~14 MiB of its peak (benchmarked against fusioninventory). The collectors are typed by those
      // schemas, and the hub checks each section on its own, so a section that does not fit is
      // recorded as an error there without costing the others.
      const data = await collect();
      return { hash: sectionHash(data), data };
    } catch (err) {
      const error = `${name} inventory failed: ${(err as Error).message}`.slice(0, 4096);
      this.logger.warn('inventory: section failed', { section: name, error });
      return { error };
    }
  }
}
