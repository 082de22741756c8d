import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Command, CommandRunner, Option } from 'nest-commander';
import { resolveLdapSettings } from '../auth/ldap-settings.js';
import { systemClock } from '../core/clock.js';
import { stdoutLogger } from '../core/logger.js';
import { DEFAULT_HTTP_PORT, DEFAULT_MQTT_PORT, DEFAULT_SSH_PORT } from '../core/settings.js';
import { parseDatabaseUrl } from '../database/database-location.js';
import { Hub } from '../hub.js';
import { HUB_VERSION } from '../version.js';
import { parsePort, resolveDataDir } from './common-options.js';
import {
  parseGlpiUrl,
  parseMqttPublicUrls,
  parseRedisUrl,
  parseRetentionDays,
  resolveRetention,
} from './serve-options.js';

interface ServeOptions {
  data?: string;
  host?: string;
  httpPort?: number;
  mqttPort?: number;
  sshPort?: number;
  publicHost?: string;
  tlsCert?: string;
  tlsKey?: string;
  glpiUrl?: string;
  glpiCa?: string;
  healthRawDays?: number;
  healthHourlyDays?: number;
  recordingRetentionDays?: number;
  ldapUrl?: string;
  ldapBaseDn?: string;
  ldapBindDn?: string;
  ldapBindPasswordFile?: string;
  ldapCa?: string;
  ldapRoleMap?: string;
  redisUrl?: string;
  mqttPublicUrls?: string[];
  databaseUrl?: string;
}

const UI_DIR = fileURLToPath(new URL('../../../admin-ui/dist', import.meta.url));

@Command({ name: 'serve', description: 'Run the hub: MQTT broker (TLS), HTTPS API and admin UI' })
export class ServeCommand extends CommandRunner {
  async run(_args: string[], o: ServeOptions): Promise<void> {
    const logger = stdoutLogger((process.env.BASCULE_LOG_LEVEL as 'info') ?? 'info');
    const retention = resolveRetention({
      healthRawDays: o.healthRawDays,
      healthHourlyDays: o.healthHourlyDays,
      recordingDays: o.recordingRetentionDays,
    });
    const hub = new Hub(
      {
        dataDir: resolveDataDir(o.data),
        host: o.host ?? '0.0.0.0',
        httpPort: o.httpPort ?? DEFAULT_HTTP_PORT,
        mqttPort: o.mqttPort ?? DEFAULT_MQTT_PORT,
        sshPort: o.sshPort ?? DEFAULT_SSH_PORT,
        publicHost: o.publicHost ?? os.hostname(),
        tlsCertFile: o.tlsCert,
        tlsKeyFile: o.tlsKey,
        glpiUrl: o.glpiUrl,
        glpiCaFile: o.glpiCa,
        retention,
        ldap: resolveLdapSettings(o),
        // The environment keeps a Redis password out of `ps`.
        redisUrl:
          o.redisUrl ?? (process.env.BASCULE_REDIS_URL ? parseRedisUrl(process.env.BASCULE_REDIS_URL) : undefined),
        mqttPublicUrls: o.mqttPublicUrls,
        // Else BASCULE_DATABASE_URL, else DATA/database-url, else SQLite in the data directory.
        databaseUrl: o.databaseUrl,
        uiDir: process.env.BASCULE_UI_DIR ?? UI_DIR,
        version: HUB_VERSION,
      },
      systemClock,
      logger,
    );
    const started = await hub.start();
    if (started.initialAdminPassword) {
      // Printed once, to the console only, never as a log event.
      process.stderr.write(
        `\n  First start: an administrator account was created.\n` +
          `  user: admin\n  one-time password: ${started.initialAdminPassword}\n` +
          `  It must be changed at first login, at ${started.url}/\n\n`,
      );
    }
    await new Promise<void>((resolve) => {
      const stop = (signal: string) => {
        logger.info('stopping', { signal });
        resolve();
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
    await hub.stop();
  }

  @Option({ flags: '--data <dir>', description: 'data directory (default /var/lib/bascule-hub)' })
  parseData(v: string) {
    return v;
  }
  @Option({ flags: '--host <addr>', description: 'address to bind (default 0.0.0.0)' })
  parseHost(v: string) {
    return v;
  }
  @Option({ flags: '--http-port <port>', description: `HTTPS port (default ${DEFAULT_HTTP_PORT}; 0 = any free port)` })
  parseHttpPort(v: string) {
    return parsePort(v);
  }
  @Option({
    flags: '--mqtt-port <port>',
    description: `MQTT/TLS port (default ${DEFAULT_MQTT_PORT}; 0 = any free port)`,
  })
  parseMqttPort(v: string) {
    return parsePort(v);
  }
  @Option({
    flags: '--ssh-port <port>',
    description: `SSH gateway port (default ${DEFAULT_SSH_PORT}; 0 = any free port)`,
  })
  parseSshPort(v: string) {
    return parsePort(v);
  }
  @Option({ flags: '--public-host <name>', description: 'name desktops use to reach the hub (default: hostname)' })
  parsePublicHost(v: string) {
    return v;
  }
  @Option({
    flags: '--tls-cert <file>',
    description: "operator's certificate chain (PEM: server certificate first, root CA last) instead of the private CA",
  })
  parseTlsCert(v: string) {
    return v;
  }
  @Option({ flags: '--tls-key <file>', description: "operator's private key (PEM)" })
  parseTlsKey(v: string) {
    return v;
  }
  @Option({
    flags: '--glpi-url <url>',
    description: 'forward inventories to this GLPI server (https://glpi.example.org/ or …/front/inventory.php)',
  })
  parseGlpiUrl(v: string) {
    return parseGlpiUrl(v);
  }
  @Option({
    flags: '--ldap-url <url>',
    description: 'sign in with AD credentials: ldaps://dc1.corp.test or ldap:// (StartTLS)',
  })
  parseLdapUrl(v: string) {
    return v;
  }
  @Option({ flags: '--ldap-base-dn <dn>', description: 'where users are searched (DC=corp,DC=test)' })
  parseLdapBaseDn(v: string) {
    return v;
  }
  @Option({ flags: '--ldap-bind-dn <dn>', description: 'search account (a plain user that may read users and groups)' })
  parseLdapBindDn(v: string) {
    return v;
  }
  @Option({ flags: '--ldap-bind-password-file <file>', description: "file holding the search account's password" })
  parseLdapBindPasswordFile(v: string) {
    return v;
  }
  @Option({ flags: '--ldap-ca <file>', description: "CA (PEM) that signs the domain controller's certificate" })
  parseLdapCa(v: string) {
    return v;
  }
  @Option({
    flags: '--ldap-role-map <map>',
    description:
      'AD groups to roles, first match wins: "CN=DSI,OU=Groupes,DC=corp,DC=test=admin;CN=Support,…=helpdesk"',
  })
  parseLdapRoleMap(v: string) {
    return v;
  }
  @Option({
    flags: '--redis-url <url>',
    description:
      'share the fleet with the other hubs of a cluster through this Redis (redis://host:6379/0; or BASCULE_REDIS_URL)',
  })
  parseRedisUrl(v: string) {
    return parseRedisUrl(v);
  }
  @Option({
    flags: '--database-url <url>',
    description:
      'keep the data in PostgreSQL (postgres://user:password@host:5432/bascule; or BASCULE_DATABASE_URL, ' +
      'or the URL in DATA/database-url); default: SQLite in the data directory',
  })
  parseDatabaseUrl(v: string) {
    return parseDatabaseUrl(v);
  }
  @Option({
    flags: '--mqtt-public-urls <urls>',
    description: 'MQTT URLs desktops get at enrolment, tried in turn (mqtts://hub1:8883,mqtts://hub2:8883)',
  })
  parseMqttPublicUrls(v: string) {
    return parseMqttPublicUrls(v);
  }
  @Option({ flags: '--glpi-ca <file>', description: "CA (PEM) that signs the GLPI server's certificate" })
  parseGlpiCa(v: string) {
    return v;
  }
  @Option({
    flags: '--health-raw-days <days>',
    description: 'keep raw health samples this many days (default 7; the 24 h chart reads them)',
  })
  parseHealthRawDays(v: string) {
    return parseRetentionDays('--health-raw-days', v);
  }
  @Option({
    flags: '--health-hourly-days <days>',
    description: 'keep hourly health roll-ups this many days (default 400; the 7-day and 1-year charts)',
  })
  parseHealthHourlyDays(v: string) {
    return parseRetentionDays('--health-hourly-days', v);
  }
  @Option({
    flags: '--recording-retention-days <days>',
    description: 'delete terminal session recordings older than this many days (default 90)',
  })
  parseRecordingRetentionDays(v: string) {
    return parseRetentionDays('--recording-retention-days', v);
  }
}
