import type { InventorySectionName, InventorySections } from '@bascule/protocol';
import { INVENTORY_SECTIONS } from '@bascule/protocol/runtime';
import type { CommandRunner } from '../system/command-runner.js';

export interface InventorySource {
  /** Every section, or only `sections`. */
  collect(sections?: readonly InventorySectionName[]): Promise<InventorySections>;
}

const TIMEOUT_MS = 180_000;

/**
 * Collects the inventory in a short-lived `bascule-agent inventory --json` process, so the daemon never
 * loads systeminformation nor keeps the collection's garbage: its resident memory stays within budget
 * and the peak is paid by a process that exits.
 */
export class ChildProcessInventory implements InventorySource {
  constructor(
    private readonly runner: CommandRunner,
    private readonly nodeBin: string,
    private readonly agentBin: string,
    /** The agent's state directory, where the child keeps what is costly to recompute (pending updates). */
    private readonly stateDir: string,
  ) {}

  async collect(sections: readonly InventorySectionName[] = INVENTORY_SECTIONS): Promise<InventorySections> {
    const args = [this.agentBin, 'inventory', '--json', '--state', this.stateDir];
    if (sections.length < INVENTORY_SECTIONS.length) args.push('--sections', sections.join(','));
    const result = await this.runner.run(this.nodeBin, args, {
      timeout: TIMEOUT_MS,
      maxOutputBytes: 16 * 1024 * 1024,
    });
    if (result.exitCode !== 0) {
      throw new Error(`inventory process exited with ${result.exitCode}: ${result.stderr.trim().slice(-500)}`);
    }
    // The child validated each section against the protocol before printing it.
    return JSON.parse(result.stdout) as InventorySections;
  }
}
