import { existsSync } from 'node:fs';
import type { CommandRunner } from './command-runner.js';
import { CommandNotFoundError } from './command-runner.js';

/** The unit `systemd-run` puts the installation in (journalctl -u bascule-agent-update). */
export const UPDATE_UNIT = 'bascule-agent-update';

// dpkg states in which the package's files are (being) in place; `config-files` and `not-installed` are not.
const PRESENT = new Set([
  'installed',
  'unpacked',
  'half-configured',
  'half-installed',
  'triggers-awaited',
  'triggers-pending',
]);
const INSTALL_TIMEOUT_MS = 15 * 60_000;

/** Reads and installs the agent's own Debian package. */
export interface AgentPackageInstaller {
  /** dpkg's version of bascule-agent; null when it is not installed (a checkout) or dpkg is absent. */
  installedVersion(): Promise<string | null>;
  /** How `install` will run, for the plan's wording. */
  readonly method: 'systemd-run' | 'setsid';
  /** `dpkg -i FILE`, outside the agent's own service; throws with dpkg's words when it fails. */
  install(file: string): Promise<void>;
}

/**
 * Under systemd the installation runs in a transient unit of its own (`systemd-run --unit
 * bascule-agent-update --collect --wait`): the package's postinst restarts bascule-agent.service, which
 * kills everything in the agent's control group, and dpkg must not be part of it. Without systemd (a
 * container, a chroot) dpkg runs in a session of its own (`setsid --wait`), so that a signal to the
 * agent's process group does not reach it; the agent then restarts itself (exit 75). Existing edited
 * configuration files are kept (`--force-confold`): dpkg must never stop to ask.
 */
export class DpkgAgentInstaller implements AgentPackageInstaller {
  readonly method: 'systemd-run' | 'setsid';

  constructor(
    private readonly runner: CommandRunner,
    systemdRunning: boolean = existsSync('/run/systemd/system'),
  ) {
    this.method = systemdRunning ? 'systemd-run' : 'setsid';
  }

  async installedVersion(): Promise<string | null> {
    let result: Awaited<ReturnType<CommandRunner['run']>>;
    try {
      // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query's own format, not a template
      result = await this.runner.run('dpkg-query', ['-W', '-f', '${db:Status-Status} ${Version}', 'bascule-agent'], {
        timeout: 30_000,
      });
    } catch (err) {
      if (err instanceof CommandNotFoundError) return null;
      throw err;
    }
    // Exit 1: "no packages found matching bascule-agent".
    if (result.exitCode !== 0) return null;
    const [status = '', version = ''] = result.stdout.trim().split(' ');
    return PRESENT.has(status) && version ? version : null;
  }

  async install(file: string): Promise<void> {
    const dpkg = ['env', 'DEBIAN_FRONTEND=noninteractive', 'dpkg', '--force-confdef', '--force-confold', '-i', file];
    const [bin, args] =
      this.method === 'systemd-run'
        ? ([
            'systemd-run',
            [
              '--unit',
              UPDATE_UNIT,
              '--description',
              'Bascule agent self-update',
              '--collect',
              '--wait',
              '--quiet',
              ...dpkg,
            ],
          ] as const)
        : (['setsid', ['--wait', ...dpkg]] as const);
    const result = await this.runner.run(bin, args, { timeout: INSTALL_TIMEOUT_MS });
    if (result.exitCode === 0) return;
    const said = `${result.stdout}\n${result.stderr}`
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .slice(-6)
      .join(' / ');
    throw new Error(
      `dpkg -i ${file} failed (exit ${result.exitCode})${said ? `: ${said}` : ''}${this.method === 'systemd-run' ? ` (journalctl -u ${UPDATE_UNIT})` : ''}`,
    );
  }
}
