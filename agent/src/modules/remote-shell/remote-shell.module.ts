import { type RemoteShellSettings, remoteShellSettingsSchema } from '@bascule/protocol';
import type { ConfigModule, PlannedStep } from '../../config/config-module.js';
import type { StateFile } from '../../system/state-file.js';
import { formatRemoteShellPolicy } from '../../terminal/remote-shell-policy.js';

export interface RemoteShellObserved {
  /** The text of the policy file the daemon reads, null when there is none. */
  text: string | null;
}

const CONSENT_TEXT: Record<RemoteShellSettings['consent'], string> = {
  never: 'no consent asked',
  'when-signed-in': 'consent asked when someone is signed in',
  always: 'consent always asked',
};

/**
 * `remote-shell`: whether the remote shell is allowed on the desktop and whether the person at it must
 * accept each session. The daemon owns the sessions and never loads zod, so this module only leaves
 * the validated settings in the state directory (`config/remote-shell.json`, 0600); the daemon reads the
 * file at each session request, and the policy overrides agent.conf's terminal settings.
 */
export class RemoteShellModule implements ConfigModule<RemoteShellSettings, RemoteShellObserved> {
  readonly name = 'remote-shell' as const;
  readonly tools = {};

  constructor(private readonly file: StateFile) {}

  parse(settings: unknown): RemoteShellSettings {
    return remoteShellSettingsSchema.parse(settings);
  }

  async observe(): Promise<RemoteShellObserved> {
    return { text: this.file.read() };
  }

  plan(settings: RemoteShellSettings, observed: RemoteShellObserved): PlannedStep[] {
    const text = formatRemoteShellPolicy(settings);
    if (observed.text === text) return [];
    const what = settings.enabled
      ? `allow the remote shell, ${CONSENT_TEXT[settings.consent]}${settings.consent === 'never' ? '' : ` (refused after ${settings.consentTimeoutSeconds} s without an answer)`}`
      : 'switch the remote shell off';
    return [
      {
        description: `${what}, from the next session (${this.file.path})`,
        run: async () => this.file.write(text),
      },
    ];
  }

  verify(settings: RemoteShellSettings, observed: RemoteShellObserved): string[] {
    return observed.text === formatRemoteShellPolicy(settings)
      ? []
      : [`${this.file.path} does not hold the policy's settings`];
  }

  release(observed: RemoteShellObserved): PlannedStep[] {
    if (observed.text === null) return [];
    return [
      {
        description: `remove ${this.file.path}: no remote-shell policy any more, the agent's own terminal settings apply again`,
        run: async () => this.file.remove(),
      },
    ];
  }

  reportable(observed: RemoteShellObserved): unknown {
    if (observed.text === null) return { file: this.file.path, settings: null };
    try {
      return { file: this.file.path, settings: JSON.parse(observed.text) as unknown };
    } catch (err) {
      return { file: this.file.path, settings: null, error: `not JSON: ${(err as Error).message}` };
    }
  }

  secrets(): string[] {
    return [];
  }

  fingerprint(settings: RemoteShellSettings): unknown {
    return settings;
  }
}
