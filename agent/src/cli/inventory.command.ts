import { Inject } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import type { Logger } from '../logging/logger.js';
import type { CommandRunner as OsCommandRunner } from '../system/command-runner.js';
import { NodeOsFiles } from '../system/os-files.js';
import type { SystemInfo } from '../system/system-info.js';
import { reportFailure } from './command-failure.js';
import { printInventory } from './print-inventory.js';
import { type CliConsole, COMMAND_RUNNER, CONSOLE, LOGGER, SYSTEM_INFO } from './tokens.js';

/** Registered for `--help`; main.ts runs `inventory` without Nest to keep it fast (see fast-inventory.ts). */
@Command({ name: 'inventory', description: 'collect and print the inventory (no enrolment needed)' })
export class InventoryCommand extends CommandRunner {
  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CONSOLE) private readonly console: CliConsole,
    @Inject(SYSTEM_INFO) private readonly si: SystemInfo,
    @Inject(COMMAND_RUNNER) private readonly runner: OsCommandRunner,
  ) {
    super();
  }

  async run(_args: string[], flags: { json?: boolean }): Promise<void> {
    try {
      await printInventory(
        { si: this.si, runner: this.runner, files: new NodeOsFiles(), logger: this.logger, console: this.console },
        flags.json === true,
      );
    } catch (err) {
      reportFailure(this.console, 'inventory', err);
    }
  }

  @Option({ flags: '--json', description: 'print the sections as JSON' })
  parseJson(): boolean {
    return true;
  }
}
