import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HealthSample } from '@bascule/protocol';
import { inject } from 'vitest';
import { runStatement } from '../../test/rigs/postgres-cluster.mjs';
import type { Clock } from './core/clock.js';
import { Logger } from './core/logger.js';
import { DATABASE_URL_FILE } from './database/database-location.js';
import { type HubServices, openHubServices } from './services.js';

/** A clock tests move by hand. */
export class FakeClock implements Clock {
  constructor(private t = new Date('2026-11-25T10:00:00Z').getTime()) {}
  now() {
    return new Date(this.t);
  }
  advance(ms: number) {
    this.t += ms;
  }
}

/**
 * Hub services on a fresh database with a temp data directory, logs collected in `lines`: a SQLite file,
 * or under the `hub-pg` project (its global setup provides `postgresUrl`) a fresh PostgreSQL database.
 */
export async function testServices(
  clock: Clock = new FakeClock(),
): Promise<HubServices & { lines: string[]; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bascule-hub-spec-'));
  const lines: string[] = [];
  const logger = new Logger((l) => lines.push(l), 'debug');
  const adminUrl = postgresUrl();
  // The data directory names its database, as an administrator's does (DATA/database-url): CLI code and
  // backups read it there.
  if (adminUrl)
    fs.writeFileSync(path.join(dir, DATABASE_URL_FILE), await freshPostgresDatabase(adminUrl), { mode: 0o600 });
  const services = await openHubServices(dir, clock, logger);
  return Object.assign(services, { lines, dir });
}

/** The admin URL of the hub-pg project's PostgreSQL; undefined in every other project (SQLite). */
export function postgresUrl(): string | undefined {
  return inject('postgresUrl' as never) as string | undefined;
}

let template: Promise<string> | undefined;
let databases = 0;

/**
 * A new database copied from this worker's template, which is migrated once (CREATE DATABASE … TEMPLATE
 * copies files: much faster than running every migration for each spec).
 */
async function freshPostgresDatabase(adminUrl: string): Promise<string> {
  const named = (name: string) => Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
  template ??= (async () => {
    const name = `bascule_template_${process.pid}`;
    await runStatement(adminUrl, `create database ${name}`);
    const migrated = await openHubServices(
      fs.mkdtempSync(path.join(os.tmpdir(), 'bascule-hub-spec-')),
      new FakeClock(),
      new Logger(() => {}, 'error'),
      undefined,
      undefined,
      undefined,
      undefined,
      named(name),
    );
    await migrated.close();
    return name;
  })();
  const source = await template;
  const name = `bascule_spec_${process.pid}_${++databases}`;
  await runStatement(adminUrl, `create database ${name} template ${source}`);
  return named(name);
}

/**
 * Enrols one device through the real enrolment service (a one-use token, then the enrolment) and returns
 * its id. The identity fields not given default to the hostname.
 */
export async function enrolTestDevice(
  services: HubServices,
  identity: { hostname: string; machineId?: string; dmiUuid?: string; serial?: string },
  department = 'mairie',
): Promise<string> {
  const { hostname } = identity;
  const { token } = await services.enrolment.createToken({
    department,
    uses: 1,
    expiresInMs: 3_600_000,
    createdBy: 'spec',
  });
  const r = await services.enrolment.enroll(
    {
      token,
      identity: {
        hostname,
        machineId: identity.machineId ?? hostname,
        dmiUuid: identity.dmiUuid ?? hostname,
        serial: identity.serial ?? hostname,
        macs: [],
      },
    },
    { ip: '127.0.0.1', caCertPem: 'CA', mqttUrls: ['mqtts://x:8883'] },
  );
  return r.deviceId;
}

/** One health sample as an agent takes it, at `ts`: a 4-core desktop, a quarter of its memory and half its disk used. */
export const healthSample = (ts: string): HealthSample => ({
  ts,
  load1: 0.5,
  load5: 0.4,
  load15: 0.3,
  cpuCount: 4,
  memTotalBytes: 8e9,
  memUsedBytes: 2e9,
  swapTotalBytes: 0,
  swapUsedBytes: 0,
  uptimeSeconds: 1000,
  disks: [{ mount: '/', sizeBytes: 1e11, usedBytes: 5e10 }],
});
