import type { InventorySections } from '@bascule/protocol';
import type { CommandRunner } from '../system/command-runner.js';

export interface InventorySource {
  collect(): Promise<InventorySections>;
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
  ) {}

  async collect(): Promise<InventorySections> {
    const result = await this.runner.run(this.nodeBin, [this.agentBin, 'inventory', '--json'], {
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
