import { Module } from '@nestjs/common';
import { createJsonLogger } from '../logging/logger.js';
import { systemClock } from '../system/clock.js';
import { ProcessCommandRunner } from '../system/command-runner.js';
import { readMachineIdentity } from '../system/machine-identity-reader.js';
import { SystemInformationAdapter } from '../system/system-info.js';
import { ApplyCommand } from './apply.command.js';
import { EnrollCommand } from './enroll.command.js';
import { InventoryCommand } from './inventory.command.js';
import { PrepareImageCommand } from './prepare-image.command.js';
import { StatusCommand } from './status.command.js';
import { CLOCK, type CliConsole, COMMAND_RUNNER, CONSOLE, LOGGER, MACHINE_IDENTITY, SYSTEM_INFO } from './tokens.js';

const processConsole: CliConsole = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** The CLI's commands and the edges they use; tests build their own module with fakes. */
@Module({
  providers: [
    EnrollCommand,
    StatusCommand,
    InventoryCommand,
    PrepareImageCommand,
    ApplyCommand,
    // CLI logs go to stderr so that stdout carries only the command's result (`--json`).
    { provide: LOGGER, useValue: createJsonLogger({ write: (line) => process.stderr.write(line) }) },
    { provide: CONSOLE, useValue: processConsole },
    { provide: CLOCK, useValue: systemClock },
    { provide: COMMAND_RUNNER, useValue: new ProcessCommandRunner() },
    { provide: SYSTEM_INFO, useValue: new SystemInformationAdapter() },
    { provide: MACHINE_IDENTITY, useValue: () => readMachineIdentity() },
  ],
})
export class CliModule {}
