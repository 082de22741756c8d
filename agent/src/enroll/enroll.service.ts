import { type EnrollRequest, enrollRequestSchema, type MachineIdentity } from '@bascule/protocol';
import type { Logger } from '../logging/logger.js';
import { type AgentIdentity, IdentityStore, mqttUrlsOf } from '../state/identity-store.js';
import type { StateDirectory } from '../system/state-directory.js';
import { certificateHash, findPinnedCertificate, parseCaHash } from './ca-pin.js';
import { EnrollError, fetchPresentedChain, postEnroll } from './hub-enroll-client.js';

export interface EnrollOptions {
  hubUrl: string;
  token: string;
  caHash: string;
  force: boolean;
}

export interface EnrollDeps {
  stateDir: StateDirectory;
  logger: Logger;
  readMachineIdentity: () => MachineIdentity;
  now: () => Date;
}

/**
 * Enrols this machine: pins the hub by the CA hash the operator was given (no trust on first use),
 * posts the token and the machine identity, and stores the answer 0600 in the state directory.
 */
export async function enrollDevice(options: EnrollOptions, deps: EnrollDeps): Promise<AgentIdentity> {
  const pinned = parseCaHash(options.caHash);
  const store = new IdentityStore(deps.stateDir);
  if (store.exists() && !options.force) {
    throw new EnrollError(`this machine is already enrolled (${store.file}); pass --force to enrol it again`);
  }
  const request: EnrollRequest = { token: options.token, identity: deps.readMachineIdentity() };
  const checked = enrollRequestSchema.safeParse(request);
  if (!checked.success) {
    const fields = checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new EnrollError(`cannot enrol with this input (${fields})`);
  }

  const chain = await fetchPresentedChain(options.hubUrl);
  const caPem = findPinnedCertificate(chain, pinned);
  if (!caPem) {
    const presented = chain.map((c) => `${c.subject} sha256:${certificateHash(c.der)}`).join(' | ');
    throw new EnrollError(
      `the hub at ${options.hubUrl} presented no certificate matching --ca-hash sha256:${pinned}; refusing to enrol (presented: ${presented || 'nothing'}). Check the hash printed by bascule-hub token create, or whether something intercepts the connection.`,
    );
  }
  deps.logger.info('enroll: hub certificate matches the pinned CA hash', { hub: options.hubUrl });

  const answer = await postEnroll(options.hubUrl, caPem, checked.data);
  const bundle = sameCertificate(answer.caCertPem, caPem) ? answer.caCertPem : `${answer.caCertPem.trim()}\n${caPem}`;
  const identity: AgentIdentity = {
    version: 1,
    deviceId: answer.deviceId,
    secret: answer.secret,
    hubUrl: options.hubUrl,
    mqttUrl: answer.mqttUrls?.[0] ?? answer.mqttUrl,
    ...(answer.mqttUrls ? { mqttUrls: answer.mqttUrls } : {}),
    caCertPem: bundle,
    enrolledAt: deps.now().toISOString(),
  };
  store.save(identity);
  deps.logger.info('enroll: enrolled', {
    deviceId: identity.deviceId,
    hub: options.hubUrl,
    mqttUrls: mqttUrlsOf(identity),
  });
  return identity;
}

function sameCertificate(a: string, b: string): boolean {
  const body = (pem: string) => pem.replace(/-----[A-Z ]+-----|\s/g, '');
  return body(a) === body(b);
}
