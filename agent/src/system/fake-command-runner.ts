import { CommandNotFoundError, type CommandResult, type CommandRunner, type RunOptions } from './command-runner.js';

type Handler = CommandResult | Error | ((args: readonly string[]) => CommandResult);

/** A CommandRunner for tests: answers by binary name; a binary with no answer is "not installed". */
export class FakeCommandRunner implements CommandRunner {
  readonly calls: Array<{ bin: string; args: readonly string[]; options: RunOptions }> = [];

  constructor(private readonly answers: Record<string, Handler> = {}) {}

  async run(bin: string, args: readonly string[], options: RunOptions): Promise<CommandResult> {
    this.calls.push({ bin, args, options });
    const answer = this.answers[bin];
    if (answer === undefined) throw new CommandNotFoundError(`${bin} is not installed`);
    if (answer instanceof Error) throw answer;
    return typeof answer === 'function' ? answer(args) : answer;
  }
}
