import { accessSync, constants } from 'node:fs';
import { parseArgs } from 'node:util';
import type { InventorySectionName } from '@bascule/protocol';
import { INVENTORY_SECTIONS } from '@bascule/protocol/runtime';
import { createJsonLogger } from '../logging/logger.js';
import { DEFAULT_STATE_DIR, LOG_LEVELS } from '../settings/agent-settings.js';
import { ProcessCommandRunner } from '../system/command-runner.js';
import { NodeOsFiles } from '../system/os-files.js';
import { StateDirectory } from '../system/state-directory.js';
import { type InventoryCache, StateFileCache } from '../system/state-file-cache.js';
import { SystemInformationAdapter } from '../system/system-info.js';
import { reportFailure } from './command-failure.js';
import { printInventory } from './print-inventory.js';
import type { CliConsole } from './tokens.js';

/**
 * `inventory [--json] [--state DIR] [--sections a,b] [--log-level L]` without NestJS: loading Nest and
 * nest-commander costs more wall time than the whole collection, and this command is benchmarked
 * against fusioninventory-inventory. `--state`: where expensive answers are cached between runs (the
 * daemon passes its own; default: the agent's state directory when this user can write it).
 * `--sections`: only these (the daemon's triggered deltas). Anything else (`--help`, unknown flags)
 * falls back to the nest-commander CLI. Returns false when it did not handle argv.
 */
export async function runFastInventory(args: string[]): Promise<boolean> {
  let values: { json?: boolean; state?: string; sections?: string; 'log-level'?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        json: { type: 'boolean' },
        state: { type: 'string' },
        sections: { type: 'string' },
        'log-level': { type: 'string' },
      },
      strict: true,
    }));
  } catch {
    // Not a fast-path invocation (`--help`, a typo): nest-commander prints the usage and the error.
    return false;
  }
  const console: CliConsole = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };
  const only = values.sections?.split(',').filter(Boolean);
  const unknown = only?.filter((s) => !(INVENTORY_SECTIONS as readonly string[]).includes(s)) ?? [];
  const level = values['log-level'] ?? 'info';
  if (unknown.length > 0 || !(LOG_LEVELS as readonly string[]).includes(level)) {
    console.err(
      `bascule-agent inventory: ${unknown.length > 0 ? `unknown sections ${unknown.join(', ')} (known: ${INVENTORY_SECTIONS.join(', ')})` : `--log-level: expected ${LOG_LEVELS.join(', ')}`}\n`,
    );
    process.exitCode = 2;
    return true;
  }
  const cache = cacheIn(values.state);
  try {
    await printInventory(
      {
        si: new SystemInformationAdapter(),
        runner: new ProcessCommandRunner(),
        files: new NodeOsFiles(),
        logger: createJsonLogger({
          write: (line) => process.stderr.write(line),
          minLevel: level as (typeof LOG_LEVELS)[number],
        }),
        console,
        ...(cache ? { cache } : {}),
      },
      values.json === true,
      only as InventorySectionName[] | undefined,
    );
  } catch (err) {
    reportFailure(console, 'inventory', err);
  }
  return true;
}

function cacheIn(stateDir: string | undefined): InventoryCache | undefined {
  if (stateDir) return new StateFileCache(new StateDirectory(stateDir));
  try {
    // Run by hand as a user who cannot write there: no cache, rather than a warning per run.
    accessSync(DEFAULT_STATE_DIR, constants.W_OK);
    return new StateFileCache(new StateDirectory(DEFAULT_STATE_DIR));
  } catch {
    return undefined;
  }
}
