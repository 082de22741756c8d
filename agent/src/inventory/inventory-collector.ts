import {
  INVENTORY_SECTIONS,
  type InventorySectionName,
  type InventorySections,
  inventorySectionSchemas,
} from '@bascule/protocol';
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
      // Checked against the protocol here so that the hub never refuses an inventory we produced.
      const parsed = inventorySectionSchemas[name].safeParse(await collect());
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
        throw new Error(`collected data does not fit the protocol (${issues})`);
      }
      return { hash: sectionHash(parsed.data), data: parsed.data };
    } catch (err) {
      const error = `${name} inventory failed: ${(err as Error).message}`.slice(0, 4096);
      this.logger.warn('inventory: section failed', { section: name, error });
      return { error };
    }
  }
}
