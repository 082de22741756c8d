import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createIdGenerator } from '@bascule/protocol/runtime';
import { CLAMAV_PATH_OPTIONS, type ClamavPaths, clamavPathsFrom } from '../antivirus/clamav-paths.js';
import { ApplyService, type ConfigSource, formatPlan, formatReport } from '../config/apply-service.js';
import { ConfigEngine } from '../config/config-engine.js';
import { ConfigStore } from '../config/config-store.js';
import { createJsonLogger, type Logger } from '../logging/logger.js';
import { createModules } from '../modules/module-registry.js';
import { DEFAULT_STATE_DIR } from '../settings/agent-settings.js';
import { type Clock, systemClock } from '../system/clock.js';
import { type CommandRunner, ProcessCommandRunner } from '../system/command-runner.js';
import { LocalConfigFiles } from '../system/config-files.js';
import { StateDirectory } from '../system/state-directory.js';
import { AGENT_VERSION } from '../version.js';
import { reportFailure } from './command-failure.js';
import type { CliConsole } from './tokens.js';

export interface ApplyFlags {
  json?: boolean;
  dryRun?: boolean;
  state?: string;
  config?: string;
  lastGood?: boolean;
  cupsServer?: string;
  /** Seconds. */
  printerDriverTimeout?: number;
  /** ClamAV's files (`--clamd-conf`, `--freshclam-conf`, …); default Debian's. */
  clamav?: ClamavPaths;
  /** The version of the daemon that runs this apply (agent-update). */
  daemonVersion?: string;
}

const AGENT_BIN = fileURLToPath(new URL('../../bin/bascule-agent.js', import.meta.url));

export interface ApplyDeps {
  runner: CommandRunner;
  clock: Clock;
  logger: Logger;
  console: CliConsole;
}

/** `bascule-agent apply`: what both the nest-commander command and the fast path run. */
export async function runApply(flags: ApplyFlags, deps: ApplyDeps): Promise<void> {
  try {
    const state = new StateDirectory(flags.state ?? DEFAULT_STATE_DIR);
    const store = new ConfigStore(state);
    const ids = createIdGenerator();
    const modules = createModules({
      runner: deps.runner,
      files: new LocalConfigFiles(),
      records: store,
      state,
      wait: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      ...(flags.cupsServer ? { cupsServer: flags.cupsServer } : {}),
      ...(flags.printerDriverTimeout !== undefined
        ? { printerDriverTimeoutMs: flags.printerDriverTimeout * 1000 }
        : {}),
      ...(flags.clamav ? { clamav: flags.clamav } : {}),
      agentCommand: [process.execPath, AGENT_BIN],
      ...(flags.daemonVersion ? { daemonVersion: flags.daemonVersion } : {}),
    });
    const engine = new ConfigEngine({
      modules,
      applied: store,
      clock: deps.clock,
      ids,
      logger: deps.logger,
      agentVersion: AGENT_VERSION,
    });
    const source: ConfigSource = flags.config
      ? { kind: 'file', raw: readFileSync(flags.config), name: flags.config }
      : flags.lastGood
        ? { kind: 'last-good' }
        : { kind: 'pending' };
    const outcome = await new ApplyService({ store, engine, clock: deps.clock, ids }).run(
      source,
      flags.dryRun === true,
    );
    if (outcome.kind === 'nothing') {
      deps.console.err(`bascule-agent apply: ${outcome.reason}\n`);
      if (flags.json) deps.console.out('null\n');
      process.exitCode = flags.json ? 0 : 1;
      return;
    }
    if (outcome.kind === 'plan') {
      deps.console.out(flags.json ? `${JSON.stringify(outcome.plans)}\n` : formatPlan(outcome.revision, outcome.plans));
      return;
    }
    const { report } = outcome;
    if (flags.json) {
      deps.console.out(`${JSON.stringify(report)}\n`);
      return;
    }
    deps.console.out(formatReport(report));
    const bad =
      report.refused || Object.values(report.modules).some((m) => m?.status === 'failed' || m?.status === 'invalid');
    if (bad) process.exitCode = 1;
  } catch (err) {
    reportFailure(deps.console, 'apply', err);
  }
}

/** A positive number of seconds, or a message naming the flag. */
export function parseDriverTimeout(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--printer-driver-timeout: expected seconds, got ${value}`);
  return n;
}

/**
 * `apply` without NestJS: the daemon runs it at start, on each config and every 30 minutes, and Nest's
 * start-up was most of its time (2.7 s against 0.23 s for a config with nothing to do, on a loaded
 * 2-core machine): time the hub waits for the report. `--help` and anything not understood fall back to
 * the nest-commander CLI. Returns false then.
 */
export async function runFastApply(args: string[]): Promise<boolean> {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(args).values;
  } catch {
    return false;
  }
  const console: CliConsole = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };
  let timeout: number | undefined;
  let clamav: ClamavPaths;
  try {
    clamav = clamavPathsFrom(values);
    timeout =
      values['printer-driver-timeout'] === undefined ? undefined : parseDriverTimeout(values['printer-driver-timeout']);
  } catch (err) {
    reportFailure(console, 'apply', err);
    return true;
  }
  await runApply(
    {
      json: values.json === true,
      dryRun: values['dry-run'] === true,
      lastGood: values['last-good'] === true,
      ...(values.state !== undefined ? { state: values.state } : {}),
      ...(values.config !== undefined ? { config: values.config } : {}),
      ...(values['cups-server'] !== undefined ? { cupsServer: values['cups-server'] } : {}),
      ...(timeout !== undefined ? { printerDriverTimeout: timeout } : {}),
      clamav,
      ...(values['daemon-version'] !== undefined ? { daemonVersion: values['daemon-version'] } : {}),
    },
    {
      runner: new ProcessCommandRunner(),
      clock: systemClock,
      // Logs go to stderr so that stdout carries only the report (`--json`).
      logger: createJsonLogger({ write: (line) => process.stderr.write(line) }),
      console,
    },
  );
  return true;
}

function parse(args: string[]) {
  return parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      json: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      'last-good': { type: 'boolean' },
      state: { type: 'string' },
      config: { type: 'string' },
      'cups-server': { type: 'string' },
      'printer-driver-timeout': { type: 'string' },
      ...CLAMAV_PATH_OPTIONS,
      'daemon-version': { type: 'string' },
    },
  });
}
