import { type AgentUpdateSettings, agentUpdateSettingsSchema, compareDebianVersions } from '@bascule/protocol';
import type { ConfigModule, PlannedStep } from '../../config/config-module.js';
import type { HubDownload } from '../../system/hub-download.js';
import type { AgentPackageInstaller } from '../../system/package-installer.js';
import type { StateFile } from '../../system/state-file.js';
import { formatRestartRequest, type RestartRequest, readRestartRequest } from './restart-request.js';

export interface AgentUpdateObservedState {
  /** The daemon's version (the one connected to the hub). */
  running: string;
  /** dpkg's version of bascule-agent; null when the agent was not installed from its package. */
  installed: string | null;
  /** A restart onto a newly installed version, on its way. */
  restartPending: RestartRequest | null;
}

export interface AgentUpdateDeps {
  installer: AgentPackageInstaller;
  download: HubDownload;
  restart: StateFile;
  /** Where the package is downloaded: a directory of the agent's state (0700). */
  downloadDir: string;
  /** The daemon's version, given by the daemon to the apply process; the apply's own when run by hand. */
  runningVersion: string;
  now: () => Date;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/**
 * `agent-update`: brings the bascule-agent package to the policy's version. Downloads the package from
 * the hub (TLS pinned to the hub's CA, authenticated as the device), checks its sha256 against the one
 * the hub put in the settings, and installs it outside the agent's own service (package-installer.ts).
 * Under systemd, the package's postinst restarts the agent; otherwise the module leaves a restart
 * request and the daemon exits with 75 after this apply, for systemd or the supervisor to start the new
 * version. The new daemon's first apply reports the new version. An older version than the installed
 * one is refused unless the policy allows a downgrade.
 */
export class AgentUpdateModule implements ConfigModule<AgentUpdateSettings, AgentUpdateObservedState> {
  readonly name = 'agent-update' as const;
  readonly tools = { 'dpkg-query': 'dpkg', dpkg: 'dpkg', 'systemd-run': 'systemd', setsid: 'util-linux' };

  constructor(private readonly deps: AgentUpdateDeps) {}

  parse(settings: unknown): AgentUpdateSettings {
    return agentUpdateSettingsSchema.parse(settings);
  }

  async observe(): Promise<AgentUpdateObservedState> {
    const request = readRestartRequest(this.deps.restart);
    return {
      running: this.deps.runningVersion,
      installed: await this.deps.installer.installedVersion(),
      // A request left by an older daemon is stale for this one (the daemon removes it after the apply).
      restartPending: request?.from === this.deps.runningVersion ? request : null,
    };
  }

  plan(settings: AgentUpdateSettings, observed: AgentUpdateObservedState): PlannedStep[] {
    const target = settings.version;
    const { installed, running } = observed;
    if (installed === null) {
      throw new Error(
        `this agent was not installed from the bascule-agent package (dpkg does not know it), so it cannot update itself to ${target}; install the package (bascule-hub's install script)`,
      );
    }
    if (installed === target) {
      if (running === target || observed.restartPending?.to === target) return [];
      throw new Error(
        `bascule-agent ${target} is installed but the agent still runs ${running}: restart it (systemctl restart bascule-agent)`,
      );
    }
    if (compareDebianVersions(target, installed) < 0 && !settings.allowDowngrade) {
      throw new Error(
        `refusing to downgrade the agent from ${installed} to ${target}: set allowDowngrade in the policy to go back to an older version`,
      );
    }
    // The schema refuses settings without a package: parse would not have let these through.
    const pkg = settings.package as NonNullable<AgentUpdateSettings['package']>;
    const file = `${this.deps.downloadDir}/${pkg.fileName}`;
    let downloaded: { sha256: string } | undefined;
    const how =
      this.deps.installer.method === 'systemd-run'
        ? 'in its own systemd unit, which survives the restart of the agent'
        : 'in a session of its own';
    return [
      {
        description: `download ${pkg.fileName} (${mib(pkg.bytes)}) from the hub`,
        run: async () => {
          downloaded = await this.deps.download.download(pkg.path, file, pkg.bytes);
        },
      },
      {
        description: `check its sha256 against the hub's (${pkg.sha256.slice(0, 16)}…)`,
        run: async () => {
          if (downloaded?.sha256 !== pkg.sha256) {
            this.deps.download.remove(file);
            throw new Error(
              `the downloaded package's sha256 is ${downloaded?.sha256 ?? 'unknown'}, not the ${pkg.sha256} the hub announced: removed, nothing installed`,
            );
          }
        },
      },
      {
        description: `${compareDebianVersions(target, installed) < 0 ? 'downgrade' : 'upgrade'} bascule-agent from ${installed} to ${target} (dpkg -i, ${how})`,
        run: async () => {
          try {
            await this.deps.installer.install(file);
          } finally {
            this.deps.download.remove(file);
          }
        },
      },
      {
        description: `restart the agent on ${target}`,
        run: async () => {
          this.deps.restart.write(
            formatRestartRequest({ from: running, to: target, at: this.deps.now().toISOString() }),
          );
        },
      },
    ];
  }

  verify(settings: AgentUpdateSettings, observed: AgentUpdateObservedState): string[] {
    return observed.installed === settings.version
      ? []
      : [`bascule-agent ${observed.installed ?? '(none)'} is installed, not ${settings.version}`];
  }

  /** Nothing to undo: without a policy, the agent stays on the version it has. */
  release(): PlannedStep[] {
    return [];
  }

  reportable(observed: AgentUpdateObservedState): unknown {
    return {
      running: observed.running,
      installed: observed.installed,
      ...(observed.restartPending ? { restartingTo: observed.restartPending.to } : {}),
    };
  }

  secrets(): string[] {
    return [];
  }

  fingerprint(settings: AgentUpdateSettings): unknown {
    return { version: settings.version, allowDowngrade: settings.allowDowngrade, sha256: settings.package?.sha256 };
  }
}
