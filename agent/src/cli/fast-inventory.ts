import { createJsonLogger } from '../logging/logger.js';
import { ProcessCommandRunner } from '../system/command-runner.js';
import { NodeOsFiles } from '../system/os-files.js';
import { SystemInformationAdapter } from '../system/system-info.js';
import { reportFailure } from './command-failure.js';
import { printInventory } from './print-inventory.js';
import type { CliConsole } from './tokens.js';

/**
 * `inventory [--json]` without NestJS: loading Nest and nest-commander costs more wall time than the
 * whole collection, and this command is benchmarked against fusioninventory-inventory. Anything else
 * (`--help`, unknown flags) falls back to the nest-commander CLI. Returns false when it did not handle argv.
 */
export async function runFastInventory(args: string[]): Promise<boolean> {
  if (!args.every((a) => a === '--json')) return false;
  const console: CliConsole = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };
  try {
    await printInventory(
      {
        si: new SystemInformationAdapter(),
        runner: new ProcessCommandRunner(),
        files: new NodeOsFiles(),
        logger: createJsonLogger({ write: (line) => process.stderr.write(line) }),
        console,
      },
      args.includes('--json'),
    );
  } catch (err) {
    reportFailure(console, 'inventory', err);
  }
  return true;
}
