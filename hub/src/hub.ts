import fs from 'node:fs';
import type { INestApplication } from '@nestjs/common';
import { inMemoryBackend, openRedisBackend, redactRedisUrl } from './broker/broker-backend.js';
import { MqttBroker } from './broker/mqtt-broker.js';
import type { Clock } from './core/clock.js';
import { HubInfo } from './core/hub-info.js';
import type { Logger } from './core/logger.js';
import { dataPaths, type HubSettings } from './core/settings.js';
import { DEFAULT_HEALTH_SETTINGS } from './device-health/health-settings.js';
import { startHttpServer } from './http/http-server.js';
import { FleetGaugesRepository } from './metrics/fleet-gauges.repository.js';
import { registerHubGauges } from './metrics/hub-gauges.js';
import { loadOrCreatePki } from './pki/pki.js';
import { type HubServices, openHubServices } from './services.js';
import { SshGateway } from './ssh/ssh-gateway.js';
import { DEFAULT_TERMINAL_SETTINGS } from './terminal/terminal.service.js';

const HOUSEKEEPING_MS = 3_600_000;
/**
 * The first housekeeping waits until a restarted hub's fleet is back: rolling up the hours of health
 * samples that piled up while it was down takes seconds of database work that would otherwise compete
 * with thousands of devices reconnecting and flushing their outboxes (docs/performance.md, reconnect storm).
 */
const FIRST_HOUSEKEEPING_MS = 300_000;

/** What `serve` reports once it accepts connections. */
export interface HubStarted {
  url: string;
  httpPort: number;
  mqttPort: number;
  sshPort: number;
  caHash: string;
  /** Set only on the very first start: the one-time admin password, to print once. */
  initialAdminPassword: string | null;
}

/** The running hub: database, certificates, MQTT broker and HTTPS server. start() and stop() own them all. */
export class Hub {
  private services?: HubServices;
  private broker?: MqttBroker;
  private http?: INestApplication;
  private ssh?: SshGateway;
  private housekeeping?: NodeJS.Timeout;
  private housekeepingRun?: Promise<void>;
  private stopGauges?: () => void;

  constructor(
    private readonly settings: HubSettings,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<HubStarted> {
    const s = this.settings;
    const paths = dataPaths(s.dataDir);
    const services = await openHubServices(
      s.dataDir,
      this.clock,
      this.logger,
      { ...DEFAULT_TERMINAL_SETTINGS, recordingRetentionDays: s.retention.recordingDays },
      { url: s.glpiUrl, caFile: s.glpiCaFile },
      {
        ...DEFAULT_HEALTH_SETTINGS,
        rawRetentionDays: s.retention.healthRawDays,
        hourlyRetentionDays: s.retention.healthHourlyDays,
      },
      s.ldap,
      s.databaseUrl,
    );
    this.services = services;
    const pki = await loadOrCreatePki(
      paths.tlsDir,
      { publicHost: s.publicHost, certFile: s.tlsCertFile, keyFile: s.tlsKeyFile },
      this.clock,
      this.logger.child({ component: 'pki' }),
    );
    // One hub: nobody is connected yet. In a cluster the other hubs hold their devices' connections;
    // those of a hub that died are marked offline by its wills, or online again when they reconnect.
    if (!s.redisUrl) await services.devices.markAllOffline();
    await services.terminals.recover();
    this.scheduleHousekeeping(services, FIRST_HOUSEKEEPING_MS);

    this.broker = new MqttBroker(
      pki,
      services.deviceAuth,
      services.ingest,
      services.devices,
      this.logger.child({ component: 'mqtt' }),
      services.metrics,
      this.clock,
      {
        onRpcResponse: (deviceId, payload) => services.rpc.onResponse(deviceId, payload),
        onTerminalFrame: (deviceId, sid, payload) => services.terminals.onFrame(deviceId, sid, payload),
        onDeviceDisconnected: (deviceId) => services.terminals.onDeviceDisconnected(deviceId),
      },
      s.redisUrl ? await openRedisBackend(s.redisUrl, this.logger.child({ component: 'redis' })) : inMemoryBackend(),
    );
    if (s.redisUrl) this.logger.info('mqtt: clustered through Redis', { redis: redactRedisUrl(s.redisUrl) });
    const mqttPort = await this.broker.start(s.host, s.mqttPort);
    services.deviceLink.attach(this.broker);
    await services.configuration.start(); // desired-state configuration: republish retained configs, rollout timer
    services.glpiForwarder.start(); // GLPI forwarding: sends what was queued before a restart
    await services.registry.start(); // fleet registry: interrupted imports, daily snapshot timer
    const hub = new HubInfo(s.version, pki.caCertPem, this.clock.now(), s.publicHost, mqttPort, s.mqttPublicUrls);
    this.stopGauges = registerHubGauges(services.metrics, {
      connectedClients: () => this.broker?.connectedClients ?? 0,
      activeTerminalSessions: () => services.terminals.activeSessions,
      pendingRpcRequests: () => services.rpc.pendingRequests,
      fleet: new FleetGaugesRepository(services.database.db),
    });
    const { app, port: httpPort } = await startHttpServer({
      services,
      hub,
      pki,
      clock: this.clock,
      logger: this.logger,
      uiDir: s.uiDir,
      host: s.host,
      port: s.httpPort,
    });
    this.http = app;
    this.ssh = new SshGateway(
      services.sshKeys,
      services.terminals,
      services.sshLimiter,
      this.logger.child({ component: 'ssh' }),
      { host: s.host, port: s.sshPort, hostKeyFile: paths.sshHostKey },
    );
    const sshPort = await this.ssh.start();
    // Last, so that a start that failed earlier never swallows the one-time password.
    const initialAdminPassword = await services.users.ensureInitialAdmin();
    const url = `https://${s.publicHost}:${httpPort}`;
    // Lets `token create` print the right URL while the hub runs (ports may have been chosen by the OS).
    fs.writeFileSync(
      paths.runtime,
      JSON.stringify({
        url,
        httpPort,
        mqttPort,
        sshPort,
        publicHost: s.publicHost,
        tlsCertFile: s.tlsCertFile ?? null,
        pid: process.pid,
      }),
      { mode: 0o600 },
    );
    this.logger.info('hub ready', { url, httpPort, mqttPort, sshPort, caHash: pki.caHash, version: s.version });
    return { url, httpPort, mqttPort, sshPort, caHash: pki.caHash, initialAdminPassword };
  }

  async stop(): Promise<void> {
    const { http, broker, services, ssh } = this;
    clearTimeout(this.housekeeping);
    this.housekeeping = undefined;
    await this.housekeepingRun; // never rejects: housekeep() logs its own errors
    this.stopGauges?.();
    this.stopGauges = undefined;
    this.http = undefined;
    this.ssh = undefined;
    this.broker = undefined;
    this.services = undefined;
    if (http) {
      // Browsers and API clients keep connections alive; end them, or close() waits for their timeout.
      const closing = http.close();
      (http.getHttpServer() as import('node:https').Server).closeAllConnections();
      await closing;
    }
    await ssh?.stop();
    services?.terminals.stop();
    services?.rpc.stop();
    await services?.configuration.stop();
    await services?.glpiForwarder.stop();
    await services?.registry.stop();
    services?.deviceLink.detach();
    await broker?.stop();
    await services?.close();
    this.logger.info('hub stopped');
  }

  private scheduleHousekeeping(services: HubServices, delayMs: number): void {
    this.housekeeping = setTimeout(() => {
      this.housekeepingRun = this.housekeep(services).finally(() => {
        this.housekeepingRun = undefined;
        if (this.housekeeping) this.scheduleHousekeeping(services, HOUSEKEEPING_MS);
      });
    }, delayMs);
    this.housekeeping.unref();
  }

  private async housekeep(services: HubServices): Promise<void> {
    try {
      await services.auth.purgeExpiredSessions();
      await services.terminals.purgeRecordings();
      await services.deviceHealth.housekeep();
    } catch (err) {
      this.logger.error('housekeeping failed', { error: err as Error });
    }
  }
}
