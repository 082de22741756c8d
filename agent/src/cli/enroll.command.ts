import type { MachineIdentity } from '@bascule/protocol';
import { Inject } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import { enrollDevice } from '../enroll/enroll.service.js';
import { EnrollError } from '../enroll/enroll-error.js';
import type { Logger } from '../logging/logger.js';
import { DEFAULT_STATE_DIR } from '../settings/agent-settings.js';
import type { Clock } from '../system/clock.js';
import { StateDirectory } from '../system/state-directory.js';
import { readTokenFile } from '../system/token-file.js';
import { reportFailure } from './command-failure.js';
import { CLOCK, type CliConsole, CONSOLE, LOGGER, MACHINE_IDENTITY } from './tokens.js';

interface EnrollFlags {
  hub: string;
  token?: string;
  tokenFile?: string;
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
      if ((flags.token === undefined) === (flags.tokenFile === undefined)) {
        throw new EnrollError('give the enrolment token with either --token or --token-file');
      }
      const token = flags.token ?? tokenFromFile(flags.tokenFile as string);
      const identity = await enrollDevice(
        { hubUrl: flags.hub, token, caHash: flags.caHash, force: flags.force === true },
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

  @Option({ flags: '--token <token>', description: 'enrolment token (bascule-hub token create)' })
  parseToken(value: string): string {
    return value;
  }

  @Option({
    flags: '--token-file <file>',
    description: 'read the token from a file (the token alone, or a token= line), keeping it out of the process list',
  })
  parseTokenFile(value: string): string {
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

/** A token file that cannot be read is a refusal a person can act on, not a crash. */
function tokenFromFile(file: string): string {
  try {
    return readTokenFile(file);
  } catch (err) {
    throw new EnrollError((err as Error).message);
  }
}
