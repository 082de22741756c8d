import { join } from 'node:path';
import { type AntivirusObserved, type AntivirusSettings, antivirusSettingsSchema } from '@bascule/protocol';
import { type AntivirusPolicy, formatAntivirusPolicy } from '../../antivirus/antivirus-policy.js';
import type { ClamavPaths } from '../../antivirus/clamav-paths.js';
import type { ConfigModule, PlannedStep } from '../../config/config-module.js';
import { parseClamavVersion, parseCvdHeader } from '../../inventory/clamav-parser.js';
import { CommandNotFoundError, type CommandRunner } from '../../system/command-runner.js';
import type { ConfigFiles } from '../../system/config-files.js';
import type { QuarantineRecord } from '../../system/quarantine-store.js';
import type { ServiceManager } from '../../system/service-manager.js';
import type { StateFile } from '../../system/state-file.js';
import { checksOf, privateMirrorOf, withSignatureSource } from './freshclam-conf.js';
import { VPN_SCRIPT_NAME, vpnDispatcherScript } from './vpn-dispatcher-script.js';

export const CLAMD_SERVICE = 'clamav-daemon';
export const FRESHCLAM_SERVICE = 'clamav-freshclam';
const TIMEOUT_MS = 20_000;

export interface AntivirusModuleObserved {
  installed: boolean;
  engineVersion?: string;
  signatureVersion?: string;
  signatureDate?: string;
  /** clamd answers on its socket. */
  daemonRunning: boolean;
  /** `systemctl is-active`; only looked at when a policy applies (not for a release). */
  services?: { clamd: boolean; freshclam: boolean };
  /** freshclam.conf's text, null when there is none. */
  freshclamConf: string | null;
  /** The scan-before-VPN script's text, null when there is none. */
  vpnScript: string | null;
  /** The policy file the daemon reads, null when there is none. */
  policyText: string | null;
  quarantine: QuarantineRecord[];
}

export interface AntivirusModuleDeps {
  runner: CommandRunner;
  files: ConfigFiles;
  services: Pick<ServiceManager, 'isActive' | 'enableNow' | 'disableNow' | 'restart'>;
  /** `config/antivirus.json` in the state directory: schedules and scan options, for the daemon. */
  policyFile: StateFile;
  quarantine: { list(): { records: QuarantineRecord[]; problems: string[] } };
  clamav: ClamavPaths;
  clamdAnswers(): Promise<boolean>;
  /** The first bytes of daily.cld/daily.cvd in the database directory. */
  databaseHeader(): Buffer | undefined;
  /** How the dispatcher script starts the agent (`node /…/bascule-agent.js`), and the flags it passes. */
  agentCommand: readonly string[];
  agentArgs: readonly string[];
}

/** The daemon's part of the settings, as `config/antivirus.json` holds it. */
export function policyOf(s: AntivirusSettings): AntivirusPolicy {
  return {
    schedules: s.schedules,
    exclusions: s.exclusions,
    action: s.action,
    onlyOnMainsPower: s.onlyOnMainsPower,
    lowPriority: s.lowPriority,
    maxFileSizeMiB: s.maxFileSizeMiB,
    scanBeforeVpn: s.scanBeforeVpn,
  };
}

/**
 * `antivirus`: ClamAV as the policy says. Signature source (freshclam.conf's PrivateMirror and Checks,
 * then clamav-freshclam running), clamd on or off (clamav-daemon), the scan-before-VPN dispatcher script,
 * and the schedules and scan options left for the daemon in `config/antivirus.json`. Scans themselves
 * belong to the daemon (agent/src/antivirus/). ClamAV missing fails the module, naming the package:
 * Bascule installs nothing by itself. Release removes the script and the policy file; the quarantine
 * stays (restorable from the hub).
 */
export class AntivirusModule implements ConfigModule<AntivirusSettings, AntivirusModuleObserved> {
  readonly name = 'antivirus' as const;
  readonly tools = { clamscan: 'clamav', clamdscan: 'clamdscan', freshclam: 'clamav-freshclam', systemctl: 'systemd' };

  constructor(private readonly deps: AntivirusModuleDeps) {}

  private get vpnScriptPath(): string {
    return join(this.deps.clamav.dispatcherDir, VPN_SCRIPT_NAME);
  }

  parse(settings: unknown): AntivirusSettings {
    return antivirusSettingsSchema.parse(settings);
  }

  async observe(settings: AntivirusSettings | undefined): Promise<AntivirusModuleObserved> {
    const { deps } = this;
    let installed = true;
    let version: ReturnType<typeof parseClamavVersion> | undefined;
    try {
      const r = await deps.runner.run('clamscan', ['--version'], { timeout: TIMEOUT_MS });
      if (r.exitCode === 0) version = parseClamavVersion(r.stdout);
    } catch (err) {
      if (!(err instanceof CommandNotFoundError)) throw err;
      installed = false;
    }
    const header = deps.databaseHeader();
    const db = header ? parseCvdHeader(header) : undefined;
    const signature = db ?? version;
    const quarantine = deps.quarantine.list();
    return {
      installed,
      ...(version ? { engineVersion: version.version } : {}),
      ...(signature?.signatureVersion ? { signatureVersion: signature.signatureVersion } : {}),
      ...(signature?.signatureDate ? { signatureDate: signature.signatureDate } : {}),
      daemonRunning: await deps.clamdAnswers(),
      ...(settings && installed
        ? {
            services: {
              clamd: await deps.services.isActive(CLAMD_SERVICE),
              freshclam: await deps.services.isActive(FRESHCLAM_SERVICE),
            },
          }
        : {}),
      freshclamConf: deps.files.read(deps.clamav.freshclamConf),
      vpnScript: deps.files.read(this.vpnScriptPath),
      policyText: deps.policyFile.read(),
      quarantine: quarantine.records,
    };
  }

  plan(settings: AntivirusSettings, observed: AntivirusModuleObserved): PlannedStep[] {
    const { deps } = this;
    if (!observed.installed) {
      return [
        {
          description: 'check that ClamAV is installed',
          run: async () => {
            throw new Error(
              'clamscan is not installed: install the Debian package clamav (Bascule installs nothing by itself)',
            );
          },
        },
      ];
    }
    const steps: PlannedStep[] = [];
    const conf = deps.clamav.freshclamConf;
    const { mirrorUrl, checksPerDay } = settings.signatures;
    if (observed.freshclamConf === null) {
      steps.push({
        description: `set freshclam's signature source in ${conf}`,
        run: async () => {
          throw new Error(
            `${conf} does not exist: install the Debian package clamav-freshclam (Bascule installs nothing by itself)`,
          );
        },
      });
    } else {
      const wanted = withSignatureSource(observed.freshclamConf, mirrorUrl, checksPerDay);
      if (wanted !== observed.freshclamConf) {
        const restart = observed.services?.freshclam === true;
        steps.push({
          description: `set freshclam's signature source in ${conf}: ${mirrorUrl ? `private mirror ${mirrorUrl}` : 'no private mirror (ClamAV’s public mirrors)'}, ${checksPerDay} checks a day${restart ? `, then restart ${FRESHCLAM_SERVICE}` : ''}`,
          run: async () => {
            deps.files.writeAtomic(conf, wanted, 0o644);
            if (restart) await deps.services.restart(FRESHCLAM_SERVICE);
          },
        });
      }
    }
    if (observed.services?.freshclam === false) {
      steps.push({
        description: `enable and start ${FRESHCLAM_SERVICE} (signature updates)`,
        run: () => deps.services.enableNow(FRESHCLAM_SERVICE),
      });
    }
    if (settings.daemon && observed.services?.clamd === false) {
      steps.push({
        description: `enable and start ${CLAMD_SERVICE} (clamd, for fast repeated scans)`,
        run: () => deps.services.enableNow(CLAMD_SERVICE),
      });
    }
    if (!settings.daemon && observed.services?.clamd === true) {
      steps.push({
        description: `stop and disable ${CLAMD_SERVICE} (the policy does not use clamd; scans use clamscan)`,
        run: () => deps.services.disableNow(CLAMD_SERVICE),
      });
    }
    steps.push(...this.vpnScriptSteps(settings.scanBeforeVpn, observed));
    const policy = formatAntivirusPolicy(policyOf(settings));
    if (observed.policyText !== policy) {
      const n = settings.schedules.length;
      steps.push({
        description: `${n === 0 ? 'no scheduled scan' : `${n} scheduled scan${n > 1 ? 's' : ''} (${settings.schedules.map((s) => `${s.days.join(',')} ${s.windowStart}–${s.windowEnd}: ${s.paths.join(' ')}`).join('; ')})`}, infected files ${settings.action === 'quarantine' ? 'moved to the quarantine' : 'reported only'}, for the agent's scans (${deps.policyFile.path})`,
        run: async () => deps.policyFile.write(policy),
      });
    }
    return steps;
  }

  verify(settings: AntivirusSettings, observed: AntivirusModuleObserved): string[] {
    if (!observed.installed) return ['clamscan is not installed: install the Debian package clamav'];
    const problems: string[] = [];
    const { mirrorUrl, checksPerDay } = settings.signatures;
    if (observed.freshclamConf === null) problems.push(`${this.deps.clamav.freshclamConf} does not exist`);
    else {
      if (privateMirrorOf(observed.freshclamConf) !== mirrorUrl) problems.push('freshclam.conf: PrivateMirror differs');
      if (checksOf(observed.freshclamConf) !== checksPerDay) problems.push('freshclam.conf: Checks differs');
    }
    if (observed.services?.freshclam === false) problems.push(`${FRESHCLAM_SERVICE} is not running`);
    if (observed.services && observed.services.clamd !== settings.daemon) {
      problems.push(`${CLAMD_SERVICE} is ${observed.services.clamd ? 'running' : 'not running'}`);
    }
    const script = this.vpnScript();
    if (settings.scanBeforeVpn && observed.vpnScript !== script)
      problems.push(`${this.vpnScriptPath} is missing or differs`);
    if (!settings.scanBeforeVpn && observed.vpnScript !== null) problems.push(`${this.vpnScriptPath} is still there`);
    if (observed.policyText !== formatAntivirusPolicy(policyOf(settings))) {
      problems.push(`${this.deps.policyFile.path} does not hold the policy's settings`);
    }
    return problems;
  }

  release(observed: AntivirusModuleObserved): PlannedStep[] {
    const steps = this.vpnScriptSteps(false, observed);
    if (observed.policyText !== null) {
      steps.push({
        description: `remove ${this.deps.policyFile.path}: no antivirus policy any more, no scheduled scan (the quarantine stays)`,
        run: async () => this.deps.policyFile.remove(),
      });
    }
    return steps;
  }

  reportable(observed: AntivirusModuleObserved): AntivirusObserved {
    const mirrorUrl = observed.freshclamConf === null ? undefined : privateMirrorOf(observed.freshclamConf);
    return {
      installed: observed.installed,
      ...(observed.engineVersion ? { engineVersion: observed.engineVersion.slice(0, 64) } : {}),
      ...(observed.signatureVersion ? { signatureVersion: observed.signatureVersion.slice(0, 64) } : {}),
      ...(observed.signatureDate ? { signatureDate: observed.signatureDate } : {}),
      daemonRunning: observed.daemonRunning,
      ...(mirrorUrl ? { mirrorUrl: mirrorUrl.slice(0, 1024) } : {}),
      quarantine: observed.quarantine.slice(-1000).map((q) => ({
        id: q.id,
        path: q.path.slice(0, 4096),
        signature: q.signature.slice(0, 512),
        quarantinedAt: q.quarantinedAt,
        sizeBytes: q.sizeBytes,
      })),
    };
  }

  secrets(): string[] {
    return [];
  }

  fingerprint(settings: AntivirusSettings): unknown {
    return settings;
  }

  private vpnScript(): string {
    return vpnDispatcherScript(this.deps.agentCommand, this.deps.agentArgs);
  }

  private vpnScriptSteps(wanted: boolean, observed: AntivirusModuleObserved): PlannedStep[] {
    const path = this.vpnScriptPath;
    const dir = this.deps.clamav.dispatcherDir;
    if (!wanted) {
      if (observed.vpnScript === null) return [];
      return [
        {
          description: `remove the scan-before-VPN script ${path}`,
          run: async () => this.deps.files.remove(path),
        },
      ];
    }
    const script = this.vpnScript();
    if (observed.vpnScript === script) return [];
    return [
      {
        description: `${observed.vpnScript === null ? 'install' : 'update'} the scan-before-VPN script ${path} (NetworkManager runs it before a VPN comes up: a scan of /home)`,
        run: async () => {
          if (!this.deps.files.exists(dir)) {
            throw new Error(
              `${dir} does not exist: is NetworkManager installed (Debian package network-manager)? Scan before VPN needs its dispatcher`,
            );
          }
          this.deps.files.writeAtomic(path, script, 0o755);
        },
      },
    ];
  }
}
