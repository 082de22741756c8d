import type { PrintersSection } from '@bascule/protocol';
import { CommandNotFoundError } from '../system/command-runner.js';
import type { InventoryDeps } from './inventory-deps.js';
import { parseLpstat } from './lpstat-parser.js';

const TIMEOUT_MS = 15_000;

/**
 * CUPS queues from `lpstat -v -p -d`. No lpstat (no CUPS client): no queues. A scheduler that does
 * not run is said so (`schedulerRunning: false`), since nothing can print then.
 */
export async function collectPrinters(deps: InventoryDeps): Promise<PrintersSection> {
  let result: Awaited<ReturnType<InventoryDeps['runner']['run']>>;
  try {
    result = await deps.runner.run('lpstat', ['-v', '-p', '-d'], { timeout: TIMEOUT_MS });
  } catch (err) {
    if (err instanceof CommandNotFoundError) return { queues: [] };
    throw err;
  }
  if (/scheduler is not running/i.test(result.stderr)) return { queues: [], schedulerRunning: false };
  // lpstat exits 1 when there are no queues ("No destinations added."), with nothing else wrong.
  if (result.exitCode !== 0 && !/no destinations added/i.test(result.stderr)) {
    throw new Error(`lpstat exited with ${result.exitCode}: ${result.stderr.trim().slice(0, 300)}`);
  }
  return { queues: parseLpstat(result.stdout).slice(0, 1_000), schedulerRunning: true };
}
