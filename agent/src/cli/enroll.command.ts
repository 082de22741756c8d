import type { MachineIdentity } from '@bascule/protocol';
import { Inject } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import { enrollDevice } from '../enroll/enroll.service.js';
import type { Logger } from '../logging/logger.js';
import { DEFAULT_STATE_DIR } from '../settings/agent-settings.js';
import type { Clock } from '../system/clock.js';
import { StateDirectory } from '../system/state-directory.js';
import { reportFailure } from './command-failure.js';
import { CLOCK, type CliConsole, CONSOLE, LOGGER, MACHINE_IDENTITY } from './tokens.js';

interface EnrollFlags {
  hub: string;
  token: string;
  caHash: string;
  state?: string;
  force?: boolean;
}

@Command({ name: 'enroll', description: 'enrol this machine into a Bascule hub' })
export class EnrollCommand extends CommandRunner {
  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(CONSOLE) private readonly console: CliConsole,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(MACHINE_IDENTITY) private readonly readIdentity: () => MachineIdentity,
  ) {
    super();
  }

  async run(_args: string[], flags: EnrollFlags): Promise<void> {
    try {
      const identity = await enrollDevice(
        { hubUrl: flags.hub, token: flags.token, caHash: flags.caHash, force: flags.force === true },
        {
          stateDir: new StateDirectory(flags.state ?? DEFAULT_STATE_DIR),
          logger: this.logger,
          readMachineIdentity: this.readIdentity,
          now: () => new Date(this.clock.now()),
        },
      );
      this.console.out(
        `enrolled as device ${identity.deviceId} (hub ${identity.hubUrl}); start the agent: bascule-agent run\n`,
      );
    } catch (err) {
      reportFailure(this.console, 'enroll', err);
    }
  }

  @Option({ flags: '--hub <url>', description: 'hub URL, e.g. https://hub.example:8443', required: true })
  parseHub(value: string): string {
    return value;
  }

  @Option({ flags: '--token <token>', description: 'enrolment token (bascule-hub token create)', required: true })
  parseToken(value: string): string {
    return value;
  }

  @Option({ flags: '--ca-hash <sha256:HEX>', description: 'sha256 of the hub CA certificate', required: true })
  parseCaHash(value: string): string {
    return value;
  }

  @Option({ flags: '--state <dir>', description: `state directory (default ${DEFAULT_STATE_DIR})` })
  parseState(value: string): string {
    return value;
  }

  @Option({ flags: '--force', description: 'replace an existing enrolment' })
  parseForce(): boolean {
    return true;
  }
}
