import path from 'node:path';
import type { LdapSettings } from '../auth/ldap-settings.js';

/** Everything `serve` and the other commands need to know, resolved once from flags. */
export interface HubSettings {
  dataDir: string;
  /** Address the HTTPS and MQTT servers bind to. */
  host: string;
  httpPort: number;
  mqttPort: number;
  /** SSH gateway port (`ssh -p 2222 USER+DEVICE@hub`); 0 = any free port. */
  sshPort: number;
  /** Name desktops use to reach the hub (goes into the server certificate and the enrolment command). */
  publicHost: string;
  /** Operator-supplied certificate chain and key (PEM); otherwise the hub's private CA issues one. */
  tlsCertFile?: string;
  tlsKeyFile?: string;
  /** Built admin UI to serve at `/`. */
  uiDir: string;
  /** GLPI server to forward inventories to (what glpi-agent would be given as `server`); none: off. */
  glpiUrl?: string;
  /** PEM CA bundle that signs the GLPI server's certificate, added to the system's. */
  glpiCaFile?: string;
  /** How long health samples and terminal recordings are kept (`serve --health-raw-days` and the like). */
  retention: RetentionSettings;
  /** Sign-in with Active Directory credentials (`--ldap-url` and the other `--ldap-*` flags); none: off. */
  ldap?: LdapSettings;
  /**
   * Redis shared by the hubs of one cluster (`serve --redis-url`, or BASCULE_REDIS_URL): aedes then
   * passes publications between hubs and keeps retained messages there. None: one hub, in memory.
   */
  redisUrl?: string;
  /** PostgreSQL instead of SQLite (`serve --database-url`); see database-location.ts for the other sources. */
  databaseUrl?: string;
  /** MQTT URLs given to desktops at enrolment, tried in turn (`--mqtt-public-urls`); none: this hub's own. */
  mqttPublicUrls?: string[];
  version: string;
}

/** Retention in days; defaults 7, 400 and 90 (DEFAULT_HEALTH_SETTINGS, DEFAULT_TERMINAL_SETTINGS). */
export interface RetentionSettings {
  healthRawDays: number;
  healthHourlyDays: number;
  recordingDays: number;
}

export const DEFAULT_HTTP_PORT = 8443;
export const DEFAULT_MQTT_PORT = 8883;
export const DEFAULT_SSH_PORT = 2222;

export function dataPaths(dataDir: string) {
  return {
    database: path.join(dataDir, 'bascule.db'),
    tlsDir: path.join(dataDir, 'tls'),
    runtime: path.join(dataDir, 'hub.json'),
    recordingsDir: path.join(dataDir, 'recordings'),
    sshHostKey: path.join(dataDir, 'ssh', 'host_ed25519_key'),
  };
}
