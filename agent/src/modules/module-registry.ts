import { ANTIVIRUS_POLICY_FILE } from '../antivirus/antivirus-policy.js';
import { type ClamavPaths, clamavPathArgs, DEBIAN_CLAMAV_PATHS } from '../antivirus/clamav-paths.js';
import type { ConfigModule, ModuleRecords, Wait } from '../config/config-module.js';
import { IdentityStore } from '../state/identity-store.js';
import { readBootId } from '../system/boot-id.js';
import { readDailyDatabaseHeader } from '../system/clamav-database.js';
import { clamdAnswers } from '../system/clamd-probe.js';
import type { CommandRunner } from '../system/command-runner.js';
import type { ConfigFiles } from '../system/config-files.js';
import { HttpsHubDownload } from '../system/hub-download.js';
import { DpkgAgentInstaller } from '../system/package-installer.js';
import { QuarantineStore } from '../system/quarantine-store.js';
import { ServiceManager } from '../system/service-manager.js';
import type { StateDirectory } from '../system/state-directory.js';
import { StateDirectoryFile } from '../system/state-file.js';
import { UserAccounts } from '../system/user-accounts.js';
import { LocalUserFiles, type UserFiles } from '../system/user-files.js';
import { REMOTE_SHELL_POLICY_FILE } from '../terminal/remote-shell-policy.js';
import { AGENT_VERSION } from '../version.js';
import { DATA_USE_FILE, DataUseMeter } from '../wwan/data-use-meter.js';
import { ModemManagerClient } from '../wwan/modem-manager-client.js';
import { NetworkManagerClient } from '../wwan/network-manager-client.js';
import { OPERATOR_OVERRIDE_FILE } from '../wwan/operator-override.js';
import { WWAN_POLICY_FILE } from '../wwan/wwan-policy-file.js';
import { AdJoinModule } from './ad-join/ad-join.module.js';
import { AgentUpdateModule } from './agent-update/agent-update.module.js';
import { RESTART_REQUEST_FILE } from './agent-update/restart-request.js';
import { AntivirusModule } from './antivirus/antivirus.module.js';
import { CupsClient } from './printers/cups-client.js';
import { PrintersModule } from './printers/printers.module.js';
import { RemoteAppsModule } from './remote-apps/remote-apps.module.js';
import { RemoteShellModule } from './remote-shell/remote-shell.module.js';
import { WwanFailoverModule } from './wwan-failover/wwan-failover.module.js';

export interface ModuleDeps {
  runner: CommandRunner;
  files: ConfigFiles;
  records: ModuleRecords;
  /** The agent's state directory, where the remote-shell module leaves its settings for the daemon. */
  state: StateDirectory;
  wait: Wait;
  /** host:port of a CUPS server other than the desktop's own (a test rig); default: CUPS_SERVER or local. */
  cupsServer?: string;
  /** How long an IPP Everywhere driver may take to appear; default 30 s. */
  printerDriverTimeoutMs?: number;
  /** ClamAV's files (agent settings); default Debian's. */
  clamav?: ClamavPaths;
  /** How a NetworkManager dispatcher script starts this agent: `[node, /…/bin/bascule-agent.js]`. */
  agentCommand?: readonly string[];
  /** The daemon's version (`apply --daemon-version`); default: this program's own. */
  daemonVersion?: string;
  /** Files in users' home directories (remote-apps); default: the real ones. */
  userFiles?: UserFiles;
}

/** The modules this agent has, in the order they apply: one explicit list. */
export function createModules(deps: ModuleDeps): ConfigModule[] {
  return [
    new AdJoinModule(deps.runner, deps.files, new ServiceManager(deps.runner)),
    new PrintersModule(new CupsClient(deps.runner, deps.cupsServer), deps.records, deps.wait, {
      ...(deps.printerDriverTimeoutMs !== undefined ? { driverTimeoutMs: deps.printerDriverTimeoutMs } : {}),
    }),
    new RemoteShellModule(new StateDirectoryFile(deps.state, REMOTE_SHELL_POLICY_FILE)),
    antivirusModule(deps),
    new AgentUpdateModule({
      installer: new DpkgAgentInstaller(deps.runner),
      download: new HttpsHubDownload(() => {
        const identity = new IdentityStore(deps.state).load();
        return {
          hubUrl: identity.hubUrl,
          caCertPem: identity.caCertPem,
          deviceId: identity.deviceId,
          secret: identity.secret,
        };
      }),
      restart: new StateDirectoryFile(deps.state, RESTART_REQUEST_FILE),
      downloadDir: deps.state.path('agent-update/downloads'),
      runningVersion: deps.daemonVersion ?? AGENT_VERSION,
      now: () => new Date(),
    }),
    new WwanFailoverModule(
      new NetworkManagerClient(deps.runner),
      new ModemManagerClient(deps.runner),
      deps.records,
      new StateDirectoryFile(deps.state, WWAN_POLICY_FILE),
      new StateDirectoryFile(deps.state, OPERATOR_OVERRIDE_FILE),
      new DataUseMeter(new StateDirectoryFile(deps.state, DATA_USE_FILE), readBootId),
      () => new Date(),
    ),
    remoteAppsModule(deps),
  ] as ConfigModule[];
}

function antivirusModule(deps: ModuleDeps): AntivirusModule {
  const clamav = deps.clamav ?? DEBIAN_CLAMAV_PATHS;
  return new AntivirusModule({
    runner: deps.runner,
    files: deps.files,
    services: new ServiceManager(deps.runner),
    policyFile: new StateDirectoryFile(deps.state, ANTIVIRUS_POLICY_FILE),
    quarantine: new QuarantineStore(deps.state.path('quarantine')),
    clamav,
    clamdAnswers: () => clamdAnswers(clamav.clamdSocket),
    databaseHeader: () => readDailyDatabaseHeader(clamav.databaseDir),
    agentCommand: deps.agentCommand ?? ['/usr/bin/bascule-agent'],
    agentArgs: ['--state', deps.state.root, ...clamavPathArgs(clamav)],
  });
}

function remoteAppsModule(deps: ModuleDeps): RemoteAppsModule {
  const accounts = new UserAccounts(deps.runner);
  return new RemoteAppsModule((name) => accounts.lookup(name), deps.userFiles ?? new LocalUserFiles(), deps.records);
}
