import type { CommandRunner } from '../system/command-runner.js';

/** Runs `bascule-agent apply --json`; resolves with the printed report, or null when there is no config. */
export interface ConfigApplySource {
  apply(source: 'pending' | 'last-good', signal?: AbortSignal): Promise<Record<string, unknown> | null>;
}

export interface ChildProcessApplyOptions {
  nodeBin: string;
  agentBin: string;
  stateDir: string;
  /** Passed on as `--cups-server` (agent setting `cupsServer`). */
  cupsServer?: string;
  /** Passed on as `--clamd-conf`, `--freshclam-conf`… when not Debian's (agent settings). */
  extraArgs?: readonly string[];
  /** Passed on as `--daemon-version`: the agent-update module compares it with the installed package. */
  daemonVersion?: string;
}

// A domain join and several IPP Everywhere queues each wait for a network peer.
const TIMEOUT_MS = 15 * 60_000;

/**
 * The apply runs in a short-lived child process: it loads zod and the modules, the daemon stays small,
 * and whatever the modules' commands leave behind goes away with the child.
 */
export class ChildProcessApply implements ConfigApplySource {
  constructor(
    private readonly runner: CommandRunner,
    private readonly options: ChildProcessApplyOptions,
  ) {}

  async apply(source: 'pending' | 'last-good', signal?: AbortSignal): Promise<Record<string, unknown> | null> {
    const { nodeBin, agentBin, stateDir, cupsServer, daemonVersion } = this.options;
    const args = [agentBin, 'apply', '--json', '--state', stateDir];
    if (source === 'last-good') args.push('--last-good');
    if (cupsServer) args.push('--cups-server', cupsServer);
    args.push(...(this.options.extraArgs ?? []));
    if (daemonVersion) args.push('--daemon-version', daemonVersion);
    const result = await this.runner.run(nodeBin, args, {
      timeout: TIMEOUT_MS,
      maxOutputBytes: 4 * 1024 * 1024,
      ...(signal ? { signal } : {}),
    });
    if (result.exitCode !== 0) {
      throw new Error(`apply process exited with ${result.exitCode}: ${result.stderr.trim().slice(-500)}`);
    }
    // The child validated the report against the protocol before printing it.
    const report = JSON.parse(result.stdout) as Record<string, unknown> | null;
    return report;
  }
}
