import { Inject } from '@nestjs/common';
import { Command, CommandRunner, Option } from 'nest-commander';
import { outboxStatsOf } from '../outbox/outbox.js';
import { DEFAULT_STATE_DIR } from '../settings/agent-settings.js';
import { IdentityStore } from '../state/identity-store.js';
import { RuntimeStatusStore } from '../state/runtime-status-store.js';
import { isProcessAlive } from '../system/process-probe.js';
import { StateDirectory } from '../system/state-directory.js';
import { reportFailure } from './command-failure.js';
import { type CliConsole, CONSOLE } from './tokens.js';

interface StatusFlags {
  json?: boolean;
  state?: string;
}

@Command({ name: 'status', description: 'show enrolment and connection state' })
export class StatusCommand extends CommandRunner {
  constructor(@Inject(CONSOLE) private readonly console: CliConsole) {
    super();
  }

  async run(_args: string[], flags: StatusFlags): Promise<void> {
    try {
      const dir = new StateDirectory(flags.state ?? DEFAULT_STATE_DIR);
      const identity = new IdentityStore(dir).load();
      const { status: runtime, problem } = new RuntimeStatusStore(dir).read();
      const running = runtime !== null && isProcessAlive(runtime.pid);
      const status = {
        deviceId: identity.deviceId,
        hub: identity.hubUrl,
        running,
        connected: running && runtime.connected,
        lastConnectedAt: runtime?.lastConnectedAt ?? null,
        outbox: outboxStatsOf(dir),
      };
      if (problem) this.console.err(`bascule-agent status: ${problem}\n`);
      if (flags.json) {
        this.console.out(`${JSON.stringify(status)}\n`);
        return;
      }
      this.console.out(
        [
          `device:          ${status.deviceId}`,
          `hub:             ${status.hub}`,
          `daemon:          ${running ? `running (pid ${runtime.pid})` : 'not running'}`,
          `connected:       ${status.connected ? 'yes' : 'no'}`,
          `last connected:  ${status.lastConnectedAt ?? 'never'}`,
          `outbox:          ${status.outbox.messages} messages, ${status.outbox.bytes} bytes`,
          '',
        ].join('\n'),
      );
    } catch (err) {
      reportFailure(this.console, 'status', err);
    }
  }

  @Option({ flags: '--json', description: 'print JSON' })
  parseJson(): boolean {
    return true;
  }

  @Option({ flags: '--state <dir>', description: `state directory (default ${DEFAULT_STATE_DIR})` })
  parseState(value: string): string {
    return value;
  }
}
