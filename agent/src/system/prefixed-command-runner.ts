import type { CommandResult, CommandRunner, RunOptions } from './command-runner.js';

/**
 * Runs every command through a prefix (`nsenter -t PID -m -n bin args…`): how a test rig has the agent
 * act on a NetworkManager that lives in another network and mount namespace. The prefix is argv, never
 * a shell string.
 */
export class PrefixedCommandRunner implements CommandRunner {
  constructor(
    private readonly inner: CommandRunner,
    private readonly prefix: readonly string[],
  ) {}

  run(bin: string, args: readonly string[], options: RunOptions): Promise<CommandResult> {
    const [first, ...rest] = this.prefix;
    if (first === undefined) return this.inner.run(bin, args, options);
    return this.inner.run(first, [...rest, bin, ...args], options);
  }
}
