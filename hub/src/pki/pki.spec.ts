import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Logger } from '../core/logger.js';
import { FakeClock } from '../test-support.js';
import { createCa, issueServerCert } from './certificate-authority.js';
import { loadOrCreatePki, splitPem } from './pki.js';

const logger = new Logger(() => {}, 'error');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'bascule-pki-'));

describe('hub PKI', () => {
  it('creates a CA once, keeps it across restarts and signs a server certificate for the hub names', async () => {
    const dir = tmp();
    const clock = new FakeClock();
    const first = await loadOrCreatePki(dir, { publicHost: 'hub.ville.test' }, clock, logger);
    const again = await loadOrCreatePki(dir, { publicHost: 'hub.ville.test' }, clock, logger);
    expect(again.caHash).toBe(first.caHash);
    expect(first.caHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    const [leafPem] = splitPem(first.serverCertChainPem);
    const leaf = new X509Certificate(leafPem as string);
    expect(leaf.verify(new X509Certificate(first.caCertPem).publicKey)).toBe(true);
    expect(leaf.subjectAltName).toContain('DNS:hub.ville.test');
    expect(leaf.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(fs.statSync(path.join(dir, 'ca.key')).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dir, 'server.key')).mode & 0o777).toBe(0o600);
  });

  it('re-issues the server certificate (same CA) when the hub gets a new name or nears expiry', async () => {
    const dir = tmp();
    const clock = new FakeClock();
    const a = await loadOrCreatePki(dir, { publicHost: 'hub-a.test' }, clock, logger);
    const b = await loadOrCreatePki(dir, { publicHost: 'hub-b.test' }, clock, logger);
    expect(b.caHash).toBe(a.caHash);
    expect(b.serverCertChainPem).not.toBe(a.serverCertChainPem);
    clock.advance(380 * 86_400_000);
    const c = await loadOrCreatePki(dir, { publicHost: 'hub-b.test' }, clock, logger);
    expect(c.serverCertChainPem).not.toBe(b.serverCertChainPem);
  });

  it("uses an operator's certificate and pins the last certificate of its chain", async () => {
    const dir = tmp();
    const now = new Date();
    const ca = await createCa('Ville Test Root', now);
    const leaf = await issueServerCert(
      ca,
      { commonName: 'hub', dnsNames: ['hub'], ipAddresses: [], validDays: 30 },
      now,
    );
    fs.writeFileSync(path.join(dir, 'chain.pem'), `${leaf.certPem}\n${ca.certPem}\n`);
    fs.writeFileSync(path.join(dir, 'key.pem'), leaf.keyPem);
    const pki = await loadOrCreatePki(
      path.join(dir, 'tls'),
      { publicHost: 'hub', certFile: path.join(dir, 'chain.pem'), keyFile: path.join(dir, 'key.pem') },
      new FakeClock(),
      logger,
    );
    expect(pki.caCertPem.trim()).toBe(ca.certPem.trim());
    expect(pki.serverKeyPem).toBe(leaf.keyPem);
    expect(fs.existsSync(path.join(dir, 'tls', 'ca.key'))).toBe(false); // no private CA made
    await expect(
      loadOrCreatePki(dir, { publicHost: 'hub', certFile: path.join(dir, 'chain.pem') }, new FakeClock(), logger),
    ).rejects.toThrow(/together/);
  });
});
