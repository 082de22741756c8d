import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Clock } from './core/clock.js';
import { Logger } from './core/logger.js';
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

/** Hub services on a fresh SQLite file in a temp directory, with logs collected in `lines`. */
export async function testServices(
  clock: Clock = new FakeClock(),
): Promise<HubServices & { lines: string[]; dir: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bascule-hub-spec-'));
  const lines: string[] = [];
  const services = await openHubServices(dir, clock, new Logger((l) => lines.push(l), 'debug'));
  return Object.assign(services, { lines, dir });
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
