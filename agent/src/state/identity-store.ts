import { z } from 'zod';
import type { StateDirectory } from '../system/state-directory.js';
import { StateError } from './state-error.js';

const IDENTITY_FILE = 'identity.json';

/** What enrolment leaves on the machine; the secret makes it 0600. */
export const agentIdentitySchema = z.object({
  version: z.literal(1),
  deviceId: z.string().min(1),
  secret: z.string().min(1),
  hubUrl: z.url(),
  mqttUrl: z.string().regex(/^mqtts?:\/\//, 'expected an mqtts:// URL'),
  /** PEM bundle the MQTT connection trusts: the CA returned by the hub (and the one pinned by --ca-hash). */
  caCertPem: z.string().includes('-----BEGIN CERTIFICATE-----'),
  enrolledAt: z.iso.datetime({ offset: true }),
});

export type AgentIdentity = z.infer<typeof agentIdentitySchema>;

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
    const parsed = agentIdentitySchema.safeParse(json);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
      throw new StateError(`${this.file} is corrupt (${fields}); ${REENROL}`);
    }
    return parsed.data;
  }

  save(identity: AgentIdentity): void {
    this.dir.ensure();
    this.dir.writeAtomic(IDENTITY_FILE, `${JSON.stringify(agentIdentitySchema.parse(identity), null, 2)}\n`);
  }
}
