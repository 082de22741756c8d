import type { CommandRunner } from './command-runner.js';

const TIMEOUT_MS = 90_000;

/** System services through systemctl (package systemd). */
export class ServiceManager {
  constructor(private readonly runner: CommandRunner) {}

  async isActive(service: string): Promise<boolean> {
    const r = await this.runner.run('systemctl', ['is-active', service], { timeout: TIMEOUT_MS });
    return r.exitCode === 0;
  }

  async restart(service: string): Promise<void> {
    const r = await this.runner.run('systemctl', ['restart', service], { timeout: TIMEOUT_MS });
    if (r.exitCode !== 0) {
      throw new Error(`systemctl restart ${service} failed (exit ${r.exitCode}): ${r.stderr.trim().slice(-500)}`);
    }
  }

  /** `systemctl enable --now`: started now and at each boot. */
  async enableNow(service: string): Promise<void> {
    await this.systemctl(['enable', '--now', service]);
  }

  /** `systemctl disable --now`: stopped now and not started at boot. */
  async disableNow(service: string): Promise<void> {
    await this.systemctl(['disable', '--now', service]);
  }

  private async systemctl(args: string[]): Promise<void> {
    const r = await this.runner.run('systemctl', args, { timeout: TIMEOUT_MS });
    if (r.exitCode !== 0) {
      throw new Error(`systemctl ${args.join(' ')} failed (exit ${r.exitCode}): ${r.stderr.trim().slice(-500)}`);
    }
  }
}
