import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { InventoryRefreshResult } from '@bascule/protocol';
import { createIdGenerator } from '@bascule/protocol/runtime';
import mqtt from 'mqtt';
import { AntivirusService } from '../antivirus/antivirus-service.js';
import { CLAMAV_PATH_OPTIONS, type ClamavPaths, clamavPathArgs, clamavPathsFrom } from '../antivirus/clamav-paths.js';
import { ChildProcessApply } from '../config/child-process-apply.js';
import { ConfigApplier } from '../config/config-applier.js';
import { storedAgentSettings } from '../config/config-envelope.js';
import { ConfigStore } from '../config/config-store.js';
import { DeviceEventQueue } from '../events/device-event-queue.js';
import { HealthReporter } from '../health/health-reporter.js';
import { HealthSampler } from '../health/health-sampler.js';
import { ChildProcessInventory } from '../inventory/child-process-inventory.js';
import { createStdoutLogger } from '../logging/logger.js';
import { METERED_MODES, type MeteredMode, MeteredPolicy, meteredModeFrom } from '../metered/metered-policy.js';
import { RESTART_REQUEST_FILE, restartDue, SELF_UPDATE_EXIT_CODE } from '../modules/agent-update/restart-request.js';
import { Backoff, DEFAULT_BACKOFF } from '../mqtt/backoff.js';
import { HubConnection } from '../mqtt/hub-connection.js';
import { Outbox } from '../outbox/outbox.js';
import { RpcDispatcher } from '../rpc/rpc-dispatcher.js';
import { RpcError } from '../rpc/rpc-error.js';
import { type AgentSettings, parseAgentSettings } from '../settings/agent-settings.js';
import { IdentityStore, mqttUrlsOf } from '../state/identity-store.js';
import { RuntimeStatusStore } from '../state/runtime-status-store.js';
import { StateError } from '../state/state-error.js';
import { daemonClockFrom } from '../system/accelerated-clock.js';
import { readBootId } from '../system/boot-id.js';
import { systemClock } from '../system/clock.js';
import { type CommandRunner, ProcessCommandRunner } from '../system/command-runner.js';
import { DesktopPrompts } from '../system/desktop-prompts.js';
import { DesktopSessions } from '../system/desktop-sessions.js';
import { FileChangeTrigger, PACKAGE_DATABASE_FILES } from '../system/file-change-trigger.js';
import { LinuxHostMetrics } from '../system/host-metrics.js';
import { SpawnLineProcessRunner } from '../system/line-process.js';
import { linuxNetworkFingerprint, NetworkChangeTrigger } from '../system/network-change-trigger.js';
import { LinuxNetworkLink } from '../system/network-link.js';
import { NodeOsFiles } from '../system/os-files.js';
import { PrefixedCommandRunner } from '../system/prefixed-command-runner.js';
import { systemRandom } from '../system/random.js';
import { SysfsSensors } from '../system/sensors.js';
import { StateDirectory } from '../system/state-directory.js';
import { StateDirectoryFile } from '../system/state-file.js';
import { readSystemLang } from '../system/system-locale.js';
import { SystemdUnits } from '../system/systemd-units.js';
import { SystemTerminalSpawner } from '../system/terminal-spawner.js';
import { UserAccounts } from '../system/user-accounts.js';
import { REMOTE_SHELL_POLICY_FILE } from '../terminal/remote-shell-policy.js';
import type { TerminalHost } from '../terminal/terminal-host.js';
import { TerminalManager } from '../terminal/terminal-manager.js';
import { parseTerminalOpenParams } from '../terminal/terminal-open-params.js';
import { FieldError } from '../validation/field-reader.js';
import { AGENT_VERSION } from '../version.js';
import { ConnectivityProbe } from '../wwan/connectivity-probe.js';
import { DATA_USE_FILE, DataUseMeter } from '../wwan/data-use-meter.js';
import { ModemManagerClient } from '../wwan/modem-manager-client.js';
import { NetworkManagerClient } from '../wwan/network-manager-client.js';
import { OPERATOR_OVERRIDE_FILE } from '../wwan/operator-override.js';
import { WwanOperatorsRpc } from '../wwan/wwan-operators-rpc.js';
import { WWAN_POLICY_FILE } from '../wwan/wwan-policy-file.js';
import { WwanWatcher } from '../wwan/wwan-watcher.js';
import { AgentDaemon } from './agent-daemon.js';
import { createHubMessageRouter } from './hub-message-router.js';
import { OutboxPublisher } from './outbox-publisher.js';

const USAGE =
  'usage: bascule-agent run [--state DIR] [--heartbeat-seconds N] [--metered auto|on|off] [--outbox-max-messages N] [--outbox-max-bytes N]' +
  ' [--log-level L] [--terminal-enabled true|false] [--terminal-consent never|when-signed-in|always]' +
  ' [--terminal-consent-timeout S] [--terminal-max-sessions N] [--package-change-delay S]' +
  ' [--config-apply-minutes M] [--cups-server HOST:PORT] [--clamd-conf F] [--freshclam-conf F] [--clamd-socket S]' +
  ' [--clamav-db-dir D] [--nm-dispatcher-dir D] [--command-prefix "CMD ARGS"] [--wwan-profile NAME]';
const FORCED_EXIT_MS = 10_000;
/** How often the addresses and default route are compared with the last look (no process spawned). */
const NETWORK_CHECK_MS = 60_000;
const FLAG_OF: Record<string, string> = {
  stateDir: 'state',
  heartbeatSeconds: 'heartbeat-seconds',
  outboxMaxMessages: 'outbox-max-messages',
  outboxMaxBytes: 'outbox-max-bytes',
  logLevel: 'log-level',
  terminalEnabled: 'terminal-enabled',
  terminalConsent: 'terminal-consent',
  terminalConsentTimeoutSeconds: 'terminal-consent-timeout',
  terminalMaxSessions: 'terminal-max-sessions',
  packageChangeDelaySeconds: 'package-change-delay',
  configApplyMinutes: 'config-apply-minutes',
  cupsServer: 'cups-server',
  commandPrefix: 'command-prefix',
  wwanProfile: 'wwan-profile',
};
const AGENT_BIN = fileURLToPath(new URL('../../bin/bascule-agent.js', import.meta.url));

/** `--metered`: `auto` (default) detects a mobile modem on the default route; `on`/`off` force it. */
export function parseMeteredMode(argv: string[]): MeteredMode {
  const i = argv.indexOf('--metered');
  const value = i >= 0 ? argv[i + 1] : (argv.find((a) => a.startsWith('--metered='))?.slice(10) ?? 'auto');
  if (!(METERED_MODES as readonly (string | undefined)[]).includes(value)) {
    throw new StateError(`--metered: expected ${METERED_MODES.join(', ')}\n${USAGE}`);
  }
  return value as MeteredMode;
}

/** ClamAV's files (`--clamd-conf`, `--clamav-db-dir`, …; Debian's by default), for scans and the apply child. */
export function parseClamavPaths(argv: string[]): ClamavPaths {
  const { values } = parseArgs({ args: argv, options: CLAMAV_PATH_OPTIONS, strict: false });
  try {
    return clamavPathsFrom(values);
  } catch (err) {
    throw new StateError(`${(err as Error).message}\n${USAGE}`);
  }
}

/** `bascule-agent run`: parsed without NestJS so the daemon never loads it. Returns the exit code. */
export function parseRunSettings(argv: string[]): AgentSettings {
  const { values } = parseArgs({
    args: argv,
    options: {
      state: { type: 'string' },
      'heartbeat-seconds': { type: 'string' },
      'outbox-max-messages': { type: 'string' },
      'outbox-max-bytes': { type: 'string' },
      'log-level': { type: 'string' },
      'terminal-enabled': { type: 'string' },
      'terminal-consent': { type: 'string' },
      'terminal-consent-timeout': { type: 'string' },
      'terminal-max-sessions': { type: 'string' },
      'package-change-delay': { type: 'string' },
      'config-apply-minutes': { type: 'string' },
      'cups-server': { type: 'string' },
      'command-prefix': { type: 'string' },
      'wwan-profile': { type: 'string' },
      // read by parseMeteredMode
      metered: { type: 'string' },
      // read by parseClamavPaths
      ...CLAMAV_PATH_OPTIONS,
    },
    strict: true,
  });
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  // Anything but true/false is passed on as a string, so the error names the flag and the value.
  const bool = (v: string | undefined) => (v === 'true' ? true : v === 'false' ? false : v);
  try {
    return parseAgentSettings({
      stateDir: values.state,
      heartbeatSeconds: num(values['heartbeat-seconds']),
      outboxMaxMessages: num(values['outbox-max-messages']),
      outboxMaxBytes: num(values['outbox-max-bytes']),
      logLevel: values['log-level'],
      terminalEnabled: bool(values['terminal-enabled']),
      terminalConsent: values['terminal-consent'],
      terminalConsentTimeoutSeconds: num(values['terminal-consent-timeout']),
      terminalMaxSessions: num(values['terminal-max-sessions']),
      packageChangeDelaySeconds: num(values['package-change-delay']),
      configApplyMinutes: num(values['config-apply-minutes']),
      cupsServer: values['cups-server'],
      commandPrefix: values['command-prefix'],
      wwanProfile: values['wwan-profile'],
    });
  } catch (err) {
    if (!(err instanceof FieldError)) throw err;
    throw new StateError(
      `${err.issues.map((i) => `--${FLAG_OF[i.path] ?? i.path}: ${i.message}`).join('; ')}\n${USAGE}`,
    );
  }
}

export async function runDaemon(argv: string[]): Promise<number> {
  let settings: AgentSettings;
  let meteredMode: MeteredMode;
  let clamav: ClamavPaths;
  try {
    settings = parseRunSettings(argv);
    meteredMode = parseMeteredMode(argv);
    clamav = parseClamavPaths(argv);
  } catch (err) {
    process.stderr.write(
      `bascule-agent run: ${(err as Error).message}\n${err instanceof StateError ? '' : `${USAGE}\n`}`,
    );
    return 2;
  }
  const logger = createStdoutLogger(settings.logLevel);
  const stateDir = new StateDirectory(settings.stateDir);
  let identity: ReturnType<IdentityStore['load']>;
  try {
    identity = new IdentityStore(stateDir).load();
  } catch (err) {
    if (!(err instanceof StateError)) throw err;
    logger.error('cannot start', { error: err.message });
    process.stderr.write(`bascule-agent run: ${err.message}\n`);
    return 1;
  }

  const ids = createIdGenerator();
  const runner: CommandRunner = settings.commandPrefix
    ? new PrefixedCommandRunner(new ProcessCommandRunner(), settings.commandPrefix.split(' '))
    : new ProcessCommandRunner();
  const configStore = new ConfigStore(stateDir);
  // The hub's word from the stored config first (ConfigApplier passes each new one), then the link is
  // known before the first connection, so that its keepalive fits.
  const link = new MeteredPolicy(
    new LinuxNetworkLink(runner),
    logger,
    meteredModeFrom(storedAgentSettings(configStore.readPending()).metered, meteredMode),
  );
  await link.refresh();
  const outbox = new Outbox(stateDir, logger, {
    maxMessages: settings.outboxMaxMessages,
    maxBytes: settings.outboxMaxBytes,
  });
  let daemon: AgentDaemon | undefined;
  let routeMessage: ((topic: string, payload: Buffer) => void) | undefined;
  const connection = new HubConnection(
    {
      mqttUrls: mqttUrlsOf(identity),
      caPem: identity.caCertPem,
      deviceId: identity.deviceId,
      secret: identity.secret,
      agentVersion: AGENT_VERSION,
      stableAfterMs: 60_000,
    },
    {
      // The keepalive is the heartbeat the hub sees between messages: longer on a metered link. A change of
      // link changes the default route, which ends the connection; the next one takes the new keepalive.
      connect: (url, options) => mqtt.connect(url, { ...options, keepalive: link.budget.keepaliveSeconds }),
      clock: systemClock,
      backoff: new Backoff(systemRandom, DEFAULT_BACKOFF),
      logger,
      ids,
      onConnected: () => daemon?.onConnected(),
      onDisconnected: () => daemon?.onDisconnected(),
      onMessage: (topic, payload) => routeMessage?.(topic, payload),
    },
  );
  const terminals = new TerminalManager({
    settings,
    policy: new StateDirectoryFile(stateDir, REMOTE_SHELL_POLICY_FILE),
    clock: systemClock,
    logger,
    host: systemTerminalHost(runner),
    publish: (sid, frame) => connection.publishTerminal(sid, frame),
  });
  const publisher = new OutboxPublisher(outbox, (topic, payload) => connection.publish(topic, payload), logger);
  const events = new DeviceEventQueue(outbox, publisher, ids, systemClock);
  const antivirus = new AntivirusService({
    state: stateDir,
    clamav,
    lines: new SpawnLineProcessRunner(),
    events,
    clock: systemClock,
    ids,
    logger,
  });
  const rpc = new RpcDispatcher({
    clock: systemClock,
    logger,
    ids,
    respond: (payload) => connection.publishRpcResponse(payload),
    handlers: {
      ...rpcHandlers(
        terminals,
        {
          refresh: () => {
            if (!daemon) throw new RpcError('internal', 'the agent is still starting');
            daemon.requestInventory('full');
            return { deferred: !link.budget.fullInventory };
          },
        },
        {
          scan: (params) => wwanOperators.scan(params),
          register: (params) => wwanOperators.register(params),
        },
      ),
      ...antivirus.handlers,
    },
  });
  const wwanNm = new NetworkManagerClient(runner);
  const wwanPolicy = new StateDirectoryFile(stateDir, WWAN_POLICY_FILE);
  const wwan = new WwanWatcher(
    wwanNm,
    wwanPolicy,
    new DataUseMeter(new StateDirectoryFile(stateDir, DATA_USE_FILE), readBootId),
    events,
    systemClock,
    logger,
    // On or off the 4G link: the metered mode follows at once, not at the next heartbeat.
    () => {
      void link.refresh().then((changed) => {
        if (changed && !link.metered) daemon?.requestInventory('delta');
      });
    },
    settings.wwanProfile ? { profile: settings.wwanProfile } : {},
    new ConnectivityProbe(runner),
  );
  const wwanOperators = new WwanOperatorsRpc(
    new ModemManagerClient(runner),
    wwanNm,
    wwanPolicy,
    new StateDirectoryFile(stateDir, OPERATOR_OVERRIDE_FILE),
    systemClock,
    logger,
  );
  // Self-update: once the agent-update module installed a new version (without systemd to restart the
  // service), this daemon stops and exits 75; systemd (Restart=on-failure) starts the new version.
  const startedAt = new Date(systemClock.now());
  const restartRequest = new StateDirectoryFile(stateDir, RESTART_REQUEST_FILE);
  let selfUpdate: ((to: string) => void) | undefined;
  const config = new ConfigApplier({
    store: configStore,
    source: new ChildProcessApply(runner, {
      nodeBin: process.execPath,
      agentBin: AGENT_BIN,
      stateDir: settings.stateDir,
      ...(settings.cupsServer ? { cupsServer: settings.cupsServer } : {}),
      extraArgs: clamavPathArgs(clamav),
      daemonVersion: AGENT_VERSION,
    }),
    outbox,
    publisher,
    clock: systemClock,
    ids,
    logger,
    intervalMs: settings.configApplyMinutes * 60_000,
    afterApply: () => {
      try {
        const due = restartDue(restartRequest, AGENT_VERSION, startedAt);
        if (due) selfUpdate?.(due.to);
      } catch (err) {
        logger.error('self-update: the restart request cannot be read', {
          file: restartRequest.path,
          error: err as Error,
        });
      }
    },
    // The keepalive follows at the next connection; samples and inventory at once.
    onAgentSettings: ({ metered }) => {
      const changed = link.setMode(meteredModeFrom(metered, meteredMode));
      // Back to a fixed line: what waited (large sections) goes now, as after a change of route.
      if (changed && !link.metered) daemon?.requestInventory('delta');
      // Back to auto: detect again (the route may have moved while the hub decided).
      void link.refresh().then((again) => {
        if (again && !link.metered) daemon?.requestInventory('delta');
      });
    },
  });
  routeMessage = createHubMessageRouter(identity.deviceId, { rpc, terminals, config }, logger);
  daemon = new AgentDaemon({
    settings,
    logger,
    // The system clock; tests may speed it up (system/accelerated-clock.ts).
    clock: daemonClockFrom(process.env),
    ids,
    outbox,
    publisher,
    connection,
    health: new HealthReporter(
      new HealthSampler(new LinuxHostMetrics(), new SysfsSensors(), new SystemdUnits(runner), logger),
      link,
      ids,
      () => outbox.isDiskFull,
    ),
    link,
    inventory: new ChildProcessInventory(runner, process.execPath, AGENT_BIN, settings.stateDir),
    runtime: new RuntimeStatusStore(stateDir),
    pid: process.pid,
    terminals,
    config,
    inventoryTriggers: [
      {
        trigger: new FileChangeTrigger(
          PACKAGE_DATABASE_FILES,
          settings.packageChangeDelaySeconds * 1000,
          systemClock,
          logger,
        ),
        sections: ['software'],
      },
      {
        trigger: new NetworkChangeTrigger(
          linuxNetworkFingerprint(new NodeOsFiles()),
          NETWORK_CHECK_MS,
          systemClock,
          logger,
        ),
        sections: ['network'],
      },
    ],
  });

  logger.info('agent starting', {
    version: AGENT_VERSION,
    deviceId: identity.deviceId,
    hub: identity.hubUrl,
    stateDir: settings.stateDir,
  });
  try {
    daemon.start();
    antivirus.start();
    wwan.start();
  } catch (err) {
    logger.error('cannot start', { error: (err as Error).message, stateDir: settings.stateDir });
    process.stderr.write(
      `bascule-agent run: cannot start: ${(err as Error).message} (check that ${settings.stateDir} is writable by this user)\n`,
    );
    antivirus.stop();
    await Promise.all([wwan.stop(), daemon.stop()]);
    return 1;
  }

  const running = daemon;
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string, exitCode = 0) => {
      if (stopping) return;
      stopping = true;
      logger.info('agent stopping', { signal });
      // Should stop() ever hang (a stuck child process), do not keep systemd waiting forever.
      setTimeout(() => {
        logger.error('agent did not stop in time; exiting anyway', { afterMs: FORCED_EXIT_MS });
        process.exit(1);
      }, FORCED_EXIT_MS).unref();
      antivirus.stop();
      Promise.all([wwan.stop(), running.stop()]).then(
        () => {
          process.off('SIGHUP', onHup);
          logger.info('agent stopped', exitCode === 0 ? {} : { exitCode });
          resolve(exitCode);
        },
        (err: Error) => {
          logger.error('agent stop failed', { error: err });
          resolve(1);
        },
      );
    };
    const onHup = () => {
      logger.info('SIGHUP: full inventory requested');
      running.requestInventory('full');
    };
    selfUpdate = (to) => {
      logger.info('self-update: a new version is installed; restarting on it', {
        from: AGENT_VERSION,
        to,
        exitCode: SELF_UPDATE_EXIT_CODE,
      });
      stop('self-update', SELF_UPDATE_EXIT_CODE);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    process.on('SIGHUP', onHup);
  });
}

/** The RPC dispatch table: one entry per method of `RPC_METHODS`. */
function rpcHandlers(
  terminals: TerminalManager,
  inventory: { refresh(): InventoryRefreshResult },
  wwanOperators: { scan(params: unknown): Promise<unknown>; register(params: unknown): Promise<unknown> },
): Record<string, (params: unknown) => Promise<unknown>> {
  return {
    'terminal.open': (params) => terminals.open(parseTerminalOpenParams(params)),
    'inventory.refresh': async () => inventory.refresh(),
    'wwan.operators.scan': (params) => wwanOperators.scan(params),
    'wwan.operators.register': (params) => wwanOperators.register(params),
  };
}

function systemTerminalHost(runner: CommandRunner): TerminalHost {
  const sessions = new DesktopSessions(runner);
  const accounts = new UserAccounts(runner);
  const prompts = new DesktopPrompts(runner);
  const spawner = new SystemTerminalSpawner();
  return {
    activeDesktopUser: () => sessions.activeUser(),
    account: (name) => accounts.lookup(name),
    systemLang: () => readSystemLang(),
    spawn: (spec) => spawner.spawn(spec),
    notify: (user, summary, body) => prompts.notify(user, summary, body),
    ask: (user, title, text, timeout, signal) => prompts.ask(user, title, text, timeout, signal),
  };
}
