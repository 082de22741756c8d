import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../logging/logger.js';
import { IdentityStore, mqttUrlsOf } from '../state/identity-store.js';
import { StateDirectory } from '../system/state-directory.js';
import { certificateHash, parseCaHash } from './ca-pin.js';
import { enrollDevice } from './enroll.service.js';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);
const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

async function keyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key as unknown as webcrypto.CryptoKey));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END PRIVATE KEY-----\n`;
}

/** A private CA and a leaf for 127.0.0.1, as the hub makes at first start. */
async function makePki(cn: string) {
  const caKeys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${cn}`,
    keys: caKeys as CryptoKeyPair,
    signingAlgorithm: alg,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true)],
  });
  const leafKeys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const leaf = await x509.X509CertificateGenerator.create({
    subject: 'CN=127.0.0.1',
    issuer: ca.subject,
    publicKey: leafKeys.publicKey as CryptoKey,
    signingKey: caKeys.privateKey as CryptoKey,
    signingAlgorithm: alg,
    extensions: [new x509.SubjectAlternativeNameExtension([{ type: 'ip', value: '127.0.0.1' }])],
  });
  return {
    caPem: ca.toString('pem'),
    caHash: `sha256:${certificateHash(Buffer.from(ca.rawData))}`,
    leafPem: leaf.toString('pem'),
    leafKeyPem: await keyPem(leafKeys.privateKey as CryptoKey),
  };
}

let pki: Awaited<ReturnType<typeof makePki>>;
let server: Server;
let hubUrl: string;
let answerStatus = 200;
let answerUrls: string[] | undefined;
let received: unknown[] = [];

beforeAll(async () => {
  pki = await makePki('Test Hub CA');
  server = createServer({ cert: `${pki.leafPem}\n${pki.caPem}`, key: pki.leafKeyPem }, (req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push(JSON.parse(body));
      res.writeHead(answerStatus, { 'content-type': 'application/json' });
      res.end(
        answerStatus === 200
          ? JSON.stringify({
              deviceId: '01JABCDEFGHJKMNPQRSTVWXYZ0',
              secret: 'dev-secret',
              caCertPem: pki.caPem,
              mqttUrl: 'mqtts://127.0.0.1:8883',
              ...(answerUrls ? { mqttUrls: answerUrls } : {}),
            })
          : JSON.stringify({ statusCode: answerStatus, message: 'token expired' }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hubUrl = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'enroll-'));
  answerStatus = 200;
  received = [];
  answerUrls = undefined;
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function deps() {
  return {
    stateDir: new StateDirectory(join(root, 'state')),
    logger: createMemoryLogger(),
    readMachineIdentity: () => ({
      hostname: 'pc-test',
      machineId: 'abc',
      dmiUuid: '',
      serial: '',
      macs: ['02:00:00:00:00:01'],
    }),
    now: () => new Date('2026-01-01T00:00:00Z'),
  };
}
const token = 'tok_0123456789abcdef';

describe('enrollDevice', () => {
  it('enrols when the hub presents the pinned CA, and stores the identity 0600', async () => {
    const d = deps();
    const identity = await enrollDevice({ hubUrl, token, caHash: pki.caHash, force: false }, d);
    expect(identity.deviceId).toBe('01JABCDEFGHJKMNPQRSTVWXYZ0');
    expect(received).toEqual([{ token, identity: d.readMachineIdentity() }]);
    expect(new IdentityStore(d.stateDir).load()).toMatchObject({
      secret: 'dev-secret',
      hubUrl,
      mqttUrl: 'mqtts://127.0.0.1:8883',
    });
    expect(statSync(join(root, 'state', 'identity.json')).mode & 0o777).toBe(0o600);
    expect(JSON.stringify(d.logger.events)).not.toContain('dev-secret');
  });

  it('keeps every hub of a cluster when the answer lists them (older hubs send mqttUrl alone)', async () => {
    answerUrls = ['mqtts://hub1.example:8883', 'mqtts://hub2.example:8883'];
    const d = deps();
    await enrollDevice({ hubUrl, token, caHash: pki.caHash, force: false }, d);
    const stored = new IdentityStore(d.stateDir).load();
    expect(stored.mqttUrls).toEqual(answerUrls);
    expect(stored.mqttUrl).toBe('mqtts://hub1.example:8883');
    expect(mqttUrlsOf(stored)).toEqual(answerUrls);
  });

  it('stores one hub for an answer without mqttUrls', async () => {
    const d = deps();
    await enrollDevice({ hubUrl, token, caHash: pki.caHash, force: false }, d);
    const stored = new IdentityStore(d.stateDir).load();
    expect(stored.mqttUrls).toBeUndefined();
    expect(mqttUrlsOf(stored)).toEqual(['mqtts://127.0.0.1:8883']);
  });

  it('refuses a hub whose chain holds no certificate with the given hash, before sending the token', async () => {
    const other = await makePki('Someone else');
    await expect(enrollDevice({ hubUrl, token, caHash: other.caHash, force: false }, deps())).rejects.toThrow(
      /presented no certificate matching --ca-hash.*refusing/,
    );
    expect(received).toEqual([]);
  });

  it('refuses when the hash matches but the leaf does not chain to it', async () => {
    // A server presenting our CA next to a leaf signed by another CA: the hash alone is not enough.
    const other = await makePki('Impostor');
    const impostor = createServer({ cert: `${other.leafPem}\n${pki.caPem}`, key: other.leafKeyPem }, (_q, r) =>
      r.end('{}'),
    );
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    try {
      const url = `https://127.0.0.1:${(impostor.address() as AddressInfo).port}`;
      await expect(enrollDevice({ hubUrl: url, token, caHash: pki.caHash, force: false }, deps())).rejects.toThrow(
        /refusing to enrol|pinned CA as the only trust/,
      );
      expect(received).toEqual([]);
    } finally {
      impostor.close();
    }
  });

  it('explains a 401 (wrong, expired or used-up token)', async () => {
    answerStatus = 401;
    await expect(enrollDevice({ hubUrl, token, caHash: pki.caHash, force: false }, deps())).rejects.toThrow(
      /refused the enrolment token.*token expired/,
    );
  });

  it('refuses to overwrite an enrolment without --force', async () => {
    await enrollDevice({ hubUrl, token, caHash: pki.caHash, force: false }, deps());
    await expect(enrollDevice({ hubUrl, token, caHash: pki.caHash, force: false }, deps())).rejects.toThrow(
      /already enrolled.*--force/,
    );
    await expect(enrollDevice({ hubUrl, token, caHash: pki.caHash, force: true }, deps())).resolves.toBeDefined();
  });

  it('refuses a malformed --ca-hash', () => {
    expect(() => parseCaHash('md5:abcd')).toThrow(/64 hexadecimal digits/);
    expect(parseCaHash(`sha256:${'AB:'.repeat(31)}AB`)).toBe('ab'.repeat(32));
  });

  it('refuses to start when the identity file is corrupt after a bad write elsewhere', () => {
    const d = deps();
    d.stateDir.ensure();
    writeFileSync(join(root, 'state', 'identity.json'), 'not json');
    expect(() => new IdentityStore(d.stateDir).load()).toThrow(/corrupt.*re-enrol/);
  });
});
