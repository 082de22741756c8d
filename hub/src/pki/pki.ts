import { createHash, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { createCa, issueServerCert } from './certificate-authority.js';

/** What the TLS servers and the enrolment flow need. */
export interface Pki {
  /** Leaf certificate followed by its chain, PEM. */
  serverCertChainPem: string;
  serverKeyPem: string;
  /** The CA certificate desktops pin and trust. */
  caCertPem: string;
  /** `sha256:HEX` of the CA certificate's DER, as given to `bascule-agent enroll --ca-hash`. */
  caHash: string;
}

const SERVER_VALID_DAYS = 397;
const RENEW_BEFORE_DAYS = 30;

export function caHashOf(certPem: string): string {
  return `sha256:${createHash('sha256').update(new X509Certificate(certPem).raw).digest('hex')}`;
}

/** Splits a PEM bundle into its certificates. */
export function splitPem(bundle: string): string[] {
  return bundle.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

function writeSecret(file: string, content: string): void {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, content, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** Names and addresses the hub answers on, for the server certificate. */
export function localNames(publicHost: string): { dnsNames: string[]; ipAddresses: string[] } {
  const ips = new Set(['127.0.0.1', '::1']);
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) ips.add(a.address.replace(/%.*$/, ''));
  }
  const dns = new Set(['localhost', os.hostname()]);
  if (/^[\d.]+$|:/.test(publicHost)) ips.add(publicHost);
  else dns.add(publicHost);
  return { dnsNames: [...dns].filter(Boolean), ipAddresses: [...ips] };
}

/**
 * The hub's certificates. With an operator's certificate and key, those are used as they are (the last
 * certificate of the chain file is what desktops pin). Otherwise a private CA is created once in
 * `DATA/tls/` and a server certificate is (re)issued when missing, near expiry, or missing a name.
 */
export async function loadOrCreatePki(
  tlsDir: string,
  opts: { publicHost: string; certFile?: string; keyFile?: string },
  clock: Clock,
  logger: Logger,
): Promise<Pki> {
  if (opts.certFile || opts.keyFile) {
    if (!opts.certFile || !opts.keyFile) throw new Error('--tls-cert and --tls-key must be given together');
    const chain = fs.readFileSync(opts.certFile, 'utf8');
    const certs = splitPem(chain);
    const root = certs.at(-1);
    if (!root) throw new Error(`${opts.certFile} holds no PEM certificate`);
    const key = fs.readFileSync(opts.keyFile, 'utf8');
    logger.info('using the operator-supplied TLS certificate', { certFile: opts.certFile });
    return { serverCertChainPem: chain, serverKeyPem: key, caCertPem: root, caHash: caHashOf(root) };
  }

  fs.mkdirSync(tlsDir, { recursive: true, mode: 0o700 });
  const caCertFile = path.join(tlsDir, 'ca.pem');
  const caKeyFile = path.join(tlsDir, 'ca.key');
  const certFile = path.join(tlsDir, 'server.pem');
  const keyFile = path.join(tlsDir, 'server.key');
  const now = clock.now();

  if (!fs.existsSync(caCertFile) || !fs.existsSync(caKeyFile)) {
    const ca = await createCa(`Bascule hub CA ${os.hostname()}`, now);
    writeSecret(caKeyFile, ca.keyPem);
    fs.writeFileSync(caCertFile, `${ca.certPem.trim()}\n`, { mode: 0o644 });
    logger.info('created the hub certificate authority', { caHash: caHashOf(ca.certPem) });
  }
  const ca = { certPem: fs.readFileSync(caCertFile, 'utf8'), keyPem: fs.readFileSync(caKeyFile, 'utf8') };
  const names = localNames(opts.publicHost);

  if (needsNewServerCert(certFile, names, now)) {
    const server = await issueServerCert(
      ca,
      { commonName: opts.publicHost, ...names, validDays: SERVER_VALID_DAYS },
      now,
    );
    writeSecret(keyFile, server.keyPem);
    fs.writeFileSync(certFile, `${server.certPem.trim()}\n${ca.certPem.trim()}\n`, { mode: 0o644 });
    logger.info('issued the hub server certificate', { names: [...names.dnsNames, ...names.ipAddresses] });
  }
  return {
    serverCertChainPem: fs.readFileSync(certFile, 'utf8'),
    serverKeyPem: fs.readFileSync(keyFile, 'utf8'),
    caCertPem: ca.certPem,
    caHash: caHashOf(ca.certPem),
  };
}

function needsNewServerCert(certFile: string, names: { dnsNames: string[]; ipAddresses: string[] }, now: Date) {
  if (!fs.existsSync(certFile)) return true;
  const leafPem = splitPem(fs.readFileSync(certFile, 'utf8'))[0];
  if (!leafPem) return true;
  const leaf = new X509Certificate(leafPem);
  if (new Date(leaf.validTo).getTime() - now.getTime() < RENEW_BEFORE_DAYS * 86_400_000) return true;
  const san = leaf.subjectAltName ?? '';
  return (
    names.dnsNames.some((n) => !san.includes(`DNS:${n}`)) ||
    names.ipAddresses.some((ip) => !san.toLowerCase().includes(`ip address:${ip.toLowerCase()}`))
  );
}

/** Reads the CA hash of an existing data directory (for `token create` while the hub runs). */
export function readCaHash(tlsDir: string, certFile?: string): string {
  if (certFile) {
    const root = splitPem(fs.readFileSync(certFile, 'utf8')).at(-1);
    if (!root) throw new Error(`${certFile} holds no PEM certificate`);
    return caHashOf(root);
  }
  const caFile = path.join(tlsDir, 'ca.pem');
  if (!fs.existsSync(caFile)) throw new Error(`no hub CA in ${tlsDir}: start the hub once with \`bascule-hub serve\``);
  return caHashOf(fs.readFileSync(caFile, 'utf8'));
}
