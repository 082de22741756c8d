import type { CommandRunner } from './command-runner.js';
import { CommandNotFoundError } from './command-runner.js';

const MAX_UNITS = 256;

/** Failed systemd units: `systemctl list-units --state=failed` (plain text: works on every systemd version). */
export class SystemdUnits {
  constructor(private readonly runner: CommandRunner) {}

  /**
   * Names of the failed units, or undefined when systemd cannot be asked (not installed, not PID 1 as in a
   * container): the sample then says nothing about units rather than "none failed".
   */
  async failed(): Promise<string[] | undefined> {
    try {
      const r = await this.runner.run(
        'systemctl',
        ['list-units', '--state=failed', '--plain', '--no-legend', '--no-pager', '--full'],
        { timeout: 5_000, maxOutputBytes: 256 * 1024 },
      );
      if (r.exitCode !== 0) return undefined;
      return parseFailedUnits(r.stdout);
    } catch (err) {
      if (err instanceof CommandNotFoundError) return undefined;
      throw err;
    }
  }
}

/** The unit names of `systemctl list-units --plain --no-legend` output (a leading `●` is dropped). */
export function parseFailedUnits(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const name = line.replace(/^[\s●*]+/, '').split(/\s+/)[0];
    if (name && /^[\w@:.\\-]+\.[a-z]+$/.test(name)) out.push(name.slice(0, 256));
  }
  return out.slice(0, MAX_UNITS);
}
