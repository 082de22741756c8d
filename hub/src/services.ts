import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createIdGenerator, type IdGenerator } from '@bascule/protocol';
import { AdcliComputerAccounts } from './ad-join/computer-accounts.js';
import { JoinAccountStore, joinAccountsFile } from './ad-join/join-account.store.js';
import { ProcessRunner } from './ad-join/process-runner.js';
import { AgentPackageService } from './agent-packages/agent-package.service.js';
import { AgentPackageStore, agentPackagesDir } from './agent-packages/agent-package.store.js';
import { readDebControl } from './agent-packages/deb-control.js';
import { AlertRepository } from './alerts/alert.repository.js';
import { AlertService } from './alerts/alert.service.js';
import { AntivirusStatusRepository } from './antivirus/antivirus-status.repository.js';
import { AntivirusStatusService } from './antivirus/antivirus-status.service.js';
import { AuditRepository } from './audit/audit.repository.js';
import { AccountSettingsRepository } from './auth/account-settings.repository.js';
import { AuthService } from './auth/auth.service.js';
import { DepartmentScopeService } from './auth/department-scope.service.js';
import { LdapAccounts } from './auth/ldap-accounts.js';
import { LdapDirectory } from './auth/ldap-directory.js';
import type { LdapSettings } from './auth/ldap-settings.js';
import { LoginChallenges } from './auth/login-challenges.js';
import { LoginLimiter } from './auth/login-limiter.js';
import { PasswordHasher } from './auth/password-hasher.js';
import { PasswordPolicy, parseBlocklist } from './auth/password-policy.js';
import { SessionRepository } from './auth/session.repository.js';
import { TotpRepository } from './auth/totp.repository.js';
import { TotpService } from './auth/totp.service.js';
import { loadOrCreateTotpKey, SecretBox, totpKeyFile } from './auth/totp-secret-box.js';
import { UserRepository } from './auth/user.repository.js';
import { DeviceAuthenticator } from './broker/device-authenticator.js';
import { DeviceLink } from './broker/device-link.js';
import { IngestRepository } from './broker/ingest.repository.js';
import { IngestService } from './broker/ingest.service.js';
import { type Configuration, createConfiguration } from './config-publisher/configuration.js';
import type { Clock } from './core/clock.js';
import type { Logger } from './core/logger.js';
import { dataPaths } from './core/settings.js';
import { type OpenedDatabase, openDatabase } from './database/database.js';
import { databaseLocation } from './database/database-location.js';
import { DeviceHealthService } from './device-health/device-health.service.js';
import { HealthRepository } from './device-health/health.repository.js';
import { DEFAULT_HEALTH_SETTINGS, type HealthSettings } from './device-health/health-settings.js';
import { DeviceRepository } from './devices/device.repository.js';
import { DeviceService } from './devices/device.service.js';
import { EnrolmentService } from './enrolment/enrolment.service.js';
import { TokenRepository } from './enrolment/token.repository.js';
import { DeviceEventRepository } from './events/device-event.repository.js';
import { DeviceEventsService } from './events/device-events.service.js';
import { FleetRepository } from './fleet/fleet.repository.js';
import { GlpiExportService } from './glpi/glpi-export.service.js';
import { GlpiForwardRepository } from './glpi/glpi-forward.repository.js';
import {
  DEFAULT_GLPI_FORWARD_TIMING,
  displayUrl,
  GlpiForwarder,
  type GlpiForwardTiming,
} from './glpi/glpi-forwarder.js';
import { GlpiHttpClient } from './glpi/glpi-http.client.js';
import { Metrics } from './metrics/metrics.js';
import { MetricsAccess } from './metrics/metrics-access.js';
import { createRegistry, type Registry } from './registry/registry.js';
import type { ReportSink } from './reports/report.service.js';
import { RpcService } from './rpc/rpc.service.js';
import { RecordingStore } from './terminal/recording.store.js';
import { DEFAULT_TERMINAL_SETTINGS, TerminalService, type TerminalSettings } from './terminal/terminal.service.js';
import { TerminalSessionRepository } from './terminal/terminal-session.repository.js';
// ssh keys
import { SshKeyRepository } from './users/ssh-key.repository.js';
import { SshKeyService } from './users/ssh-key.service.js';
import { UserService } from './users/user.service.js';
import type { VolunteerService } from './volunteers/volunteer.service.js';
import { createVolunteers } from './volunteers/volunteers.js';

const BLOCKLIST_FILE = fileURLToPath(new URL('../assets/password-blocklist.txt', import.meta.url));

/**
 * The composition root: every repository and service of the hub, wired by hand from one open
 * database. `serve` and the CLI commands both start here, so they behave the same.
 */
export interface HubServices {
  database: OpenedDatabase;
  ids: IdGenerator;
  metrics: Metrics;
  /** Who may scrape /metrics: the hub's machine, or a holder of DATA/metrics-token. */
  metricsAccess: MetricsAccess;
  devices: DeviceRepository;
  deviceService: DeviceService;
  auth: AuthService;
  users: UserService;
  enrolment: EnrolmentService;
  ingest: IngestService;
  deviceAuth: DeviceAuthenticator;
  /** Attached to the broker once it listens; what services use to reach devices. */
  deviceLink: DeviceLink;
  rpc: RpcService;
  terminals: TerminalService;
  terminalSessions: TerminalSessionRepository;
  recordings: RecordingStore;
  // ssh keys and gateway
  sshKeys: SshKeyService;
  audit: AuditRepository;
  /** Failed SSH logins per client address. */
  sshLimiter: LoginLimiter;
  // health, alerts, fleet overview
  deviceHealth: DeviceHealthService;
  alerts: AlertService;
  fleet: FleetRepository;
  // desired-state configuration: policies, groups, device configs, reports, rollouts
  configuration: Configuration;
  /** Inventories forwarded to GLPI (off unless a URL is configured). */
  glpiForwarder: GlpiForwarder;
  /** What devices report on `event`: stored by ingest, listed by the API. */
  events: DeviceEventsService;
  /** The antivirus status of each device, kept from the module's events. */
  antivirus: AntivirusStatusService;
  /** The agent packages served for self-update (DATA/agent-packages/). */
  agentPackages: AgentPackageService;
  /** The fleet registry of the migration program (matching hooks into enrolment and inventory). */
  registry: Registry;
  /** Volunteer sign-up: campaign links, the public form, IT's triage. */
  volunteers: VolunteerService;
  /** TOTP second factor and the account settings (requireTotp). */
  totp: TotpService;
  accountSettings: AccountSettingsRepository;
  /** Departments an account is limited to (guard, device lists, terminal). */
  scope: DepartmentScopeService;
  close(): Promise<void>;
}

/** The reports' sink, plus the antivirus alerts re-evaluated when a report carries the module's state. */
function antivirusReports(reports: ReportSink, alerts: AlertService, logger: Logger): ReportSink {
  return {
    record: (tx, deviceId, msg, receivedAt) => reports.record(tx, deviceId, msg, receivedAt),
    recorded(deviceId, msg) {
      reports.recorded(deviceId, msg);
      if (!msg.modules.antivirus) return;
      void alerts
        .evaluateState(deviceId)
        .catch((err: Error) => logger.error('could not evaluate the alerts after a report', { deviceId, error: err }));
    },
  };
}

/** `serve --glpi-url URL [--glpi-ca FILE]`; timing is for tests. */
export interface GlpiForwardOptions {
  url?: string;
  caFile?: string;
  timing?: GlpiForwardTiming;
}

export async function openHubServices(
  dataDir: string,
  clock: Clock,
  logger: Logger,
  terminalSettings: TerminalSettings = DEFAULT_TERMINAL_SETTINGS,
  glpiOptions: GlpiForwardOptions = {},
  healthSettings: HealthSettings = DEFAULT_HEALTH_SETTINGS,
  ldapSettings?: LdapSettings,
  databaseUrl?: string,
): Promise<HubServices> {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const database = await openDatabase(databaseLocation(dataDir, databaseUrl), logger.child({ component: 'database' }));
  const { db } = database;
  const ids = createIdGenerator();
  const metrics = new Metrics();
  const hasher = new PasswordHasher();
  const policy = new PasswordPolicy(parseBlocklist(fs.readFileSync(BLOCKLIST_FILE, 'utf8')));
  const audit = new AuditRepository(db);
  const userRepo = new UserRepository(db);
  const sessions = new SessionRepository(db);
  const devices = new DeviceRepository(db);
  // TOTP: secrets sealed with DATA/secrets/totp.key, so the database alone opens nothing
  const accountSettings = new AccountSettingsRepository(db);
  const scope = new DepartmentScopeService(db);
  const totp = new TotpService(
    userRepo,
    new TotpRepository(db),
    sessions,
    new SecretBox(loadOrCreateTotpKey(totpKeyFile(dataDir))),
    audit,
    clock,
    logger.child({ component: 'totp' }),
  );
  // health, alerts, fleet overview (thresholds and retention: healthSettings, serve --health-raw-days…)
  const alerts = new AlertService(
    new AlertRepository(db),
    audit,
    ids,
    healthSettings,
    clock,
    logger.child({ component: 'alerts' }),
  );
  const deviceHealth = new DeviceHealthService(
    new HealthRepository(db),
    devices,
    alerts,
    healthSettings,
    clock,
    logger.child({ component: 'health' }),
  );
  const limiter = new LoginLimiter(clock);
  const deviceLink = new DeviceLink();
  // agent packages for self-update; an addition computes the configs again (a policy may wait for it)
  const agentPackages = new AgentPackageService(
    new AgentPackageStore(db, agentPackagesDir(dataDir), readDebControl),
    audit,
    () => configuration.configs.recompute(),
    clock,
    logger.child({ component: 'agent-packages' }),
  );
  // desired-state configuration (AD computer accounts through adcli with the join account in DATA/secrets)
  const configuration = createConfiguration({
    db,
    devices,
    deviceLink,
    audit,
    computerAccounts: new AdcliComputerAccounts(new JoinAccountStore(joinAccountsFile(dataDir)), new ProcessRunner()),
    agentPackages,
    ids,
    clock,
    logger,
  });
  const rpc = new RpcService(deviceLink, ids, clock, logger.child({ component: 'rpc' }));
  // GLPI forwarding
  const deviceService = new DeviceService(devices);
  const glpiForwarder = new GlpiForwarder(
    glpiOptions.url ? new GlpiHttpClient(glpiOptions.url, glpiOptions.caFile) : undefined,
    glpiOptions.url ? displayUrl(glpiOptions.url) : undefined,
    new GlpiForwardRepository(db),
    new GlpiExportService(deviceService, clock),
    audit,
    clock,
    logger.child({ component: 'glpi' }),
    glpiOptions.timing ?? DEFAULT_GLPI_FORWARD_TIMING,
  );
  // antivirus status (a listener of the device events)
  const antivirus = new AntivirusStatusService(
    new AntivirusStatusRepository(db),
    deviceService,
    alerts,
    healthSettings.antivirusSignatureDays,
    clock,
    logger.child({ component: 'antivirus' }),
  );
  // device events (the listeners react to them once stored: alerts, module status)
  const events = new DeviceEventsService(
    new DeviceEventRepository(db),
    deviceService,
    logger.child({ component: 'events' }),
    [antivirus],
  );
  // fleet registry: devices are matched to their registry record after enrolment and each inventory
  const registry = createRegistry({ db, audit, ids, clock, logger });
  const matchRegistry = (deviceId: string) =>
    registry.matcher
      .deviceChanged(deviceId)
      .then(() => undefined)
      .catch((err: Error) =>
        logger.error('registry: matching failed', { component: 'registry', deviceId, error: err }),
      );
  const terminalSessions = new TerminalSessionRepository(db);
  const recordings = new RecordingStore(dataPaths(dataDir).recordingsDir);
  return {
    database,
    ids,
    metrics,
    metricsAccess: new MetricsAccess(MetricsAccess.fileIn(dataDir)),
    devices,
    deviceService,
    auth: new AuthService(
      userRepo,
      sessions,
      hasher,
      policy,
      limiter,
      audit,
      clock,
      logger.child({ component: 'auth' }),
      totp,
      new LoginChallenges(clock),
      accountSettings,
      ldapSettings
        ? new LdapAccounts(
            new LdapDirectory(ldapSettings),
            ldapSettings.roleMap,
            userRepo,
            audit,
            ids,
            clock,
            logger.child({ component: 'ldap' }),
          )
        : undefined,
    ),
    users: new UserService(userRepo, sessions, hasher, policy, audit, ids, clock, logger.child({ component: 'users' })),
    enrolment: new EnrolmentService(
      new TokenRepository(db),
      devices,
      audit,
      new LoginLimiter(clock),
      ids,
      clock,
      logger.child({ component: 'enrolment' }),
      [{ enrolled: matchRegistry }],
    ),
    ingest: new IngestService(
      new IngestRepository(db),
      clock,
      logger.child({ component: 'ingest' }),
      metrics,
      (deviceId, samples) => deviceHealth.onSamples(deviceId, samples),
      antivirusReports(configuration.reports, alerts, logger.child({ component: 'alerts' })),
      // New inventory data re-evaluates the state alerts at once (antivirus signatures), not at the next
      // hourly run, and matches the device to its registry record.
      async (deviceId) => {
        await matchRegistry(deviceId);
        await Promise.all([glpiForwarder.inventoryStored(deviceId), alerts.evaluateState(deviceId)]);
      },
      events,
    ),
    deviceHealth,
    alerts,
    fleet: new FleetRepository(db),
    configuration,
    glpiForwarder,
    events,
    antivirus,
    agentPackages,
    registry,
    volunteers: createVolunteers({ db, registry, audit, ids, clock, logger }),
    totp,
    accountSettings,
    scope,
    deviceAuth: new DeviceAuthenticator(db),
    // ssh keys
    sshKeys: new SshKeyService(
      new SshKeyRepository(db),
      userRepo,
      audit,
      ids,
      clock,
      logger.child({ component: 'ssh-keys' }),
    ),
    audit,
    sshLimiter: new LoginLimiter(clock),
    deviceLink,
    rpc,
    terminalSessions,
    recordings,
    terminals: new TerminalService(
      deviceLink,
      rpc,
      devices,
      terminalSessions,
      recordings,
      audit,
      ids,
      clock,
      logger.child({ component: 'terminal' }),
      metrics,
      terminalSettings,
      scope,
    ),
    close: () => database.close(),
  };
}
