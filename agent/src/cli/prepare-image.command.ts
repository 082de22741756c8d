import { Inject } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import { DEFAULT_STATE_DIR } from '../settings/agent-settings.js';
import { StateError } from '../state/state-error.js';
import type { CommandRunner as OsCommandRunner } from '../system/command-runner.js';
import { ImagePreparer } from '../system/image-preparer.js';
import { reportFailure } from './command-failure.js';
import { type CliConsole, COMMAND_RUNNER, CONSOLE } from './tokens.js';

interface PrepareImageFlags {
  root?: string;
  state?: string;
  tokenFile?: string;
  yes?: boolean;
}

@Command({
  name: 'prepare-image',
  description: 'make this machine a golden image: forget the agent identity and /etc/machine-id, leave a site token',
})
export class PrepareImageCommand extends CommandRunner {
  constructor(
    @Inject(CONSOLE) private readonly console: CliConsole,
    @Inject(COMMAND_RUNNER) private readonly runner: OsCommandRunner,
  ) {
    super();
  }

  async run(_args: string[], flags: PrepareImageFlags): Promise<void> {
    try {
      if (!flags.yes) {
        throw new StateError(
          'this deletes the device identity and empties /etc/machine-id: run it on the machine you image, with --yes',
        );
      }
      const done = await new ImagePreparer(this.runner).prepare({
        root: flags.root ?? '/',
        stateDir: flags.state ?? DEFAULT_STATE_DIR,
        tokenFile: flags.tokenFile,
      });
      this.console.out(`${done.map((line) => `- ${line}`).join('\n')}\nready to image: shut down now, do not reboot\n`);
    } catch (err) {
      reportFailure(this.console, 'prepare-image', err);
    }
  }

  @Option({ flags: '--token-file <file>', description: 'site token (hub=, token=, ca-hash=) for the first boot' })
  parseTokenFile(value: string): string {
    return value;
  }
  @Option({ flags: '--root <dir>', description: 'prepare a mounted image instead of this system (default /)' })
  parseRoot(value: string): string {
    return value;
  }
  @Option({ flags: '--state <dir>', description: `agent state directory (default ${DEFAULT_STATE_DIR})` })
  parseState(value: string): string {
    return value;
  }
  @Option({ flags: '--yes', description: 'confirm: this machine stops being an enrolled device' })
  parseYes(): boolean {
    return true;
  }
}
