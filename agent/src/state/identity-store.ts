import type { StateDirectory } from '../system/state-directory.js';
import { FieldError, FieldReader } from '../validation/field-reader.js';
import { StateError } from './state-error.js';

const IDENTITY_FILE = 'identity.json';

/** What enrolment leaves on the machine; the secret makes it 0600. */
export interface AgentIdentity {
  version: 1;
  deviceId: string;
  secret: string;
  hubUrl: string;
  /** The first hub to try; kept for identities written before `mqttUrls`. */
  mqttUrl: string;
  /** Every hub of the cluster in the order to try them (enrolled from a hub with `--mqtt-public-urls`). */
  mqttUrls?: string[];
  /** PEM bundle the MQTT connection trusts: the CA returned by the hub (and the one pinned by --ca-hash). */
  caCertPem: string;
  enrolledAt: string;
}

const MQTT_URL = { pattern: /^mqtts?:\/\//, patternMessage: 'expected an mqtts:// URL' };

/** The hubs to try, in order: `mqttUrls`, or the one `mqttUrl` of an identity enrolled before clusters. */
export function mqttUrlsOf(identity: AgentIdentity): string[] {
  return identity.mqttUrls ?? [identity.mqttUrl];
}

/**
 * Checks an identity (parsed identity.json, or one about to be saved) and returns only its known
 * fields. Hand-written because the daemon, which loads it, must not load zod. Throws a FieldError.
 */
export function parseAgentIdentity(json: unknown): AgentIdentity {
  const r = new FieldReader(json);
  const identity: AgentIdentity = {
    version: r.literal('version', 1),
    deviceId: r.string('deviceId', { minLength: 1 }),
    secret: r.string('secret', { minLength: 1 }),
    hubUrl: r.url('hubUrl'),
    mqttUrl: r.string('mqttUrl', MQTT_URL),
    caCertPem: r.string('caCertPem', { includes: '-----BEGIN CERTIFICATE-----' }),
    enrolledAt: r.dateTime('enrolledAt'),
  };
  const mqttUrls = r.optionalStrings('mqttUrls', MQTT_URL);
  if (mqttUrls) identity.mqttUrls = mqttUrls;
  r.done();
  return identity;
}

const REENROL =
  're-enrol this machine: bascule-agent enroll --hub https://HUB:8443 --token TOKEN --ca-hash sha256:HEX --force';

export class IdentityStore {
  constructor(private readonly dir: StateDirectory) {}

  get file(): string {
    return this.dir.path(IDENTITY_FILE);
  }

  exists(): boolean {
    return this.dir.exists(IDENTITY_FILE);
  }

  /** The stored identity; a StateError saying what to do when it is missing, unreadable or corrupt. */
  load(): AgentIdentity {
    let raw: Buffer | null;
    try {
      raw = this.dir.read(IDENTITY_FILE);
    } catch (err) {
      throw new StateError(`cannot read ${this.file}: ${(err as Error).message} (run as root, or pass --state DIR)`);
    }
    if (raw === null) {
      throw new StateError(
        `this machine is not enrolled (no ${this.file}); enrol it first: bascule-agent enroll --hub https://HUB:8443 --token TOKEN --ca-hash sha256:HEX`,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch (err) {
      throw new StateError(`${this.file} is corrupt (not JSON: ${(err as Error).message}); ${REENROL}`);
    }
    try {
      return parseAgentIdentity(json);
    } catch (err) {
      if (!(err instanceof FieldError)) throw err;
      throw new StateError(`${this.file} is corrupt (${err.message}); ${REENROL}`);
    }
  }

  save(identity: AgentIdentity): void {
    this.dir.ensure();
    this.dir.writeAtomic(IDENTITY_FILE, `${JSON.stringify(parseAgentIdentity(identity), null, 2)}\n`);
  }
}
