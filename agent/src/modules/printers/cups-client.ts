import type { CommandResult, CommandRunner } from '../../system/command-runner.js';
import {
  parseLpinfoModels,
  parseLpoptions,
  parseLpstatDefault,
  parseLpstatDevices,
  parsePpdDefaults,
} from './cups-output.js';

const TIMEOUT_MS = 30_000;

/**
 * The CUPS command-line tools (package cups-client), through the injected command runner. `server`
 * (host:port) targets a CUPS server other than the desktop's own, with `-h` on every command (a test
 * rig's cupsd on its own port); without it the tools use CUPS_SERVER or the local scheduler.
 */
export class CupsClient {
  constructor(
    private readonly runner: CommandRunner,
    private readonly server?: string,
  ) {}

  /** Every queue with its device URI. */
  async queues(): Promise<Map<string, string>> {
    const r = await this.run('lpstat', ['-v']);
    // No queue at all: lpstat exits 1 with "No destinations added."
    if (r.exitCode !== 0 && /no destinations/i.test(r.stderr)) return new Map();
    this.check('lpstat -v', r);
    return parseLpstatDevices(r.stdout);
  }

  async defaultQueue(): Promise<string | null> {
    const r = await this.run('lpstat', ['-d']);
    this.check('lpstat -d', r);
    return parseLpstatDefault(r.stdout);
  }

  /** The queue's attributes and default options, as `lpoptions -p Q` lists them. */
  async attributes(queue: string): Promise<Record<string, string>> {
    const r = await this.run('lpoptions', ['-p', queue]);
    this.check(`lpoptions -p ${queue}`, r);
    return parseLpoptions(r.stdout);
  }

  /** The defaults of the queue's driver (PPD) options; null for a queue without a PPD (raw). */
  async ppdDefaults(queue: string): Promise<Map<string, string> | null> {
    const r = await this.run('lpoptions', ['-p', queue, '-l']);
    if (r.exitCode !== 0 && /unable to get ppd/i.test(r.stderr)) return null;
    this.check(`lpoptions -p ${queue} -l`, r);
    return parsePpdDefaults(r.stdout);
  }

  /** The drivers (PPDs) the server has, by model name, with their make-and-model. */
  async models(): Promise<Map<string, string>> {
    const r = await this.run('lpinfo', ['-m']);
    this.check('lpinfo -m', r);
    return parseLpinfoModels(r.stdout);
  }

  /** `lpadmin -p Q …` (or `-x Q`, `-d Q`): the arguments after the server. */
  async lpadmin(args: string[]): Promise<void> {
    const r = await this.run('lpadmin', args);
    this.check(`lpadmin ${args.join(' ')}`, r);
  }

  private run(bin: string, args: string[]): Promise<CommandResult> {
    const server = this.server ? ['-h', this.server] : [];
    return this.runner.run(bin, [...server, ...args], { timeout: TIMEOUT_MS, maxOutputBytes: 8 * 1024 * 1024 });
  }

  private check(what: string, r: CommandResult): void {
    if (r.exitCode === 0) return;
    // lpadmin prints deprecation warnings for raw queues and PPDs; the error is the last line.
    const lines = r.stderr
      .trim()
      .split('\n')
      .filter((l) => !/deprecated/i.test(l));
    const reason = lines.at(-1) ?? r.stderr.trim();
    throw new Error(`${what} failed (exit ${r.exitCode}): ${reason || 'no message'}`);
  }
}
