import { readFileSync } from 'node:fs';
import { createIdGenerator } from '@bascule/protocol/runtime';
import { Inject } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import { ApplyService, type ConfigSource, formatPlan, formatReport } from '../config/apply-service.js';
import { ConfigEngine } from '../config/config-engine.js';
import { ConfigStore } from '../config/config-store.js';
import type { Logger } from '../logging/logger.js';
import { createModules } from '../modules/module-registry.js';
import { DEFAULT_STATE_DIR } from '../settings/agent-settings.js';
import type { Clock } from '../system/clock.js';
import type { CommandRunner as OsCommandRunner } from '../system/command-runner.js';
import { LocalConfigFiles } from '../system/config-files.js';
import { StateDirectory } from '../system/state-directory.js';
import { AGENT_VERSION } from '../version.js';
import { reportFailure } from './command-failure.js';
import { CLOCK, type CliConsole, COMMAND_RUNNER, CONSOLE, LOGGER } from './tokens.js';

interface ApplyFlags {
  json?: boolean;
  dryRun?: boolean;
  state?: string;
  config?: string;
  lastGood?: boolean;
  cupsServer?: string;
  printerDriverTimeout?: number;
}

/**
 * `apply`: applies the stored config (or `--config FILE`) and prints the report; `--dry-run` prints the
 * plan and changes nothing. The daemon runs `apply --json` in a child process (it must not load zod)
 * and sends the report; with `--json` the exit code is 0 whenever a report was printed.
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

  async run(_args: string[], flags: ApplyFlags): Promise<void> {
    try {
      const store = new ConfigStore(new StateDirectory(flags.state ?? DEFAULT_STATE_DIR));
      const ids = createIdGenerator();
      const modules = createModules({
        runner: this.runner,
        files: new LocalConfigFiles(),
        records: store,
        wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
        ...(flags.cupsServer ? { cupsServer: flags.cupsServer } : {}),
        ...(flags.printerDriverTimeout !== undefined
          ? { printerDriverTimeoutMs: flags.printerDriverTimeout * 1000 }
          : {}),
      });
      const engine = new ConfigEngine({
        modules,
        applied: store,
        clock: this.clock,
        ids,
        logger: this.logger,
        agentVersion: AGENT_VERSION,
      });
      const source: ConfigSource = flags.config
        ? { kind: 'file', raw: readFileSync(flags.config), name: flags.config }
        : flags.lastGood
          ? { kind: 'last-good' }
          : { kind: 'pending' };
      const outcome = await new ApplyService({ store, engine, clock: this.clock, ids }).run(
        source,
        flags.dryRun === true,
      );
      if (outcome.kind === 'nothing') {
        this.console.err(`bascule-agent apply: ${outcome.reason}\n`);
        if (flags.json) this.console.out('null\n');
        process.exitCode = flags.json ? 0 : 1;
        return;
      }
      if (outcome.kind === 'plan') {
        this.console.out(
          flags.json ? `${JSON.stringify(outcome.plans)}\n` : formatPlan(outcome.revision, outcome.plans),
        );
        return;
      }
      const { report } = outcome;
      if (flags.json) {
        this.console.out(`${JSON.stringify(report)}\n`);
        return;
      }
      this.console.out(formatReport(report));
      const bad =
        report.refused || Object.values(report.modules).some((m) => m?.status === 'failed' || m?.status === 'invalid');
      if (bad) process.exitCode = 1;
    } catch (err) {
      reportFailure(this.console, 'apply', err);
    }
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
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--printer-driver-timeout: expected seconds, got ${value}`);
    return n;
  }
}
