import { Inject } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import { clamavPathsFrom, DEBIAN_CLAMAV_PATHS } from '../antivirus/clamav-paths.js';
import type { Logger } from '../logging/logger.js';
import { DEFAULT_STATE_DIR } from '../settings/agent-settings.js';
import type { Clock } from '../system/clock.js';
import type { CommandRunner as OsCommandRunner } from '../system/command-runner.js';
import { type ApplyFlags, parseDriverTimeout, runApply } from './run-apply.js';
import { CLOCK, type CliConsole, COMMAND_RUNNER, CONSOLE, LOGGER } from './tokens.js';

/**
 * `apply`: applies the stored config (or `--config FILE`) and prints the report; `--dry-run` prints the
 * plan and changes nothing. The daemon runs `apply --json` in a child process (it must not load zod)
 * and sends the report; with `--json` the exit code is 0 whenever a report was printed. Registered for
 * `--help`: main.ts runs `apply` without Nest (run-apply.ts).
 */
@Command({ name: 'apply', description: 'apply the configuration from the hub (--dry-run: print the plan only)' })
export class ApplyCommand extends CommandRunner {
  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CONSOLE) private readonly console: CliConsole,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(COMMAND_RUNNER) private readonly runner: OsCommandRunner,
  ) {
    super();
  }

  run(_args: string[], options: ApplyFlags & Record<string, unknown>): Promise<void> {
    const { clamdConf, freshclamConf, clamdSocket, clamavDbDir, nmDispatcherDir, ...flags } = options;
    const clamav = clamavPathsFrom({
      'clamd-conf': clamdConf,
      'freshclam-conf': freshclamConf,
      'clamd-socket': clamdSocket,
      'clamav-db-dir': clamavDbDir,
      'nm-dispatcher-dir': nmDispatcherDir,
    });
    return runApply(
      { ...flags, clamav },
      { runner: this.runner, clock: this.clock, logger: this.logger, console: this.console },
    );
  }

  @Option({ flags: '--json', description: 'print the report (or the plan) as JSON' })
  parseJson(): boolean {
    return true;
  }

  @Option({ flags: '--dry-run', description: 'print the plan; change nothing' })
  parseDryRun(): boolean {
    return true;
  }

  @Option({ flags: '--state <dir>', description: `state directory (default ${DEFAULT_STATE_DIR})` })
  parseState(value: string): string {
    return value;
  }

  @Option({ flags: '--config <file>', description: 'apply this config file instead of the one from the hub' })
  parseConfig(value: string): string {
    return value;
  }

  @Option({ flags: '--last-good', description: 'apply the last config that passed validation' })
  parseLastGood(): boolean {
    return true;
  }

  @Option({ flags: '--cups-server <host:port>', description: 'CUPS server for the printers module (default: local)' })
  parseCupsServer(value: string): string {
    return value;
  }

  @Option({
    flags: '--printer-driver-timeout <seconds>',
    description: 'how long CUPS may take to make an IPP Everywhere driver (default 30)',
  })
  parsePrinterDriverTimeout(value: string): number {
    return parseDriverTimeout(value);
  }

  @Option({
    flags: '--clamd-conf <file>',
    description: `clamd's configuration (default ${DEBIAN_CLAMAV_PATHS.clamdConf})`,
  })
  parseClamdConf(value: string): string {
    return value;
  }

  @Option({
    flags: '--freshclam-conf <file>',
    description: `freshclam's configuration (default ${DEBIAN_CLAMAV_PATHS.freshclamConf})`,
  })
  parseFreshclamConf(value: string): string {
    return value;
  }

  @Option({
    flags: '--clamd-socket <path>',
    description: `clamd's socket (default ${DEBIAN_CLAMAV_PATHS.clamdSocket})`,
  })
  parseClamdSocket(value: string): string {
    return value;
  }

  @Option({
    flags: '--clamav-db-dir <dir>',
    description: `ClamAV's database directory (default ${DEBIAN_CLAMAV_PATHS.databaseDir})`,
  })
  parseClamavDbDir(value: string): string {
    return value;
  }

  @Option({
    flags: '--nm-dispatcher-dir <dir>',
    description: `NetworkManager's pre-up dispatcher directory (default ${DEBIAN_CLAMAV_PATHS.dispatcherDir})`,
  })
  parseNmDispatcherDir(value: string): string {
    return value;
  }

  @Option({
    flags: '--daemon-version <version>',
    description: 'version of the running daemon, for the agent-update module (the daemon gives it)',
  })
  parseDaemonVersion(value: string): string {
    return value;
  }
}
