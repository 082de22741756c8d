import { request } from 'node:https';
import { isIP } from 'node:net';
import { connect, type DetailedPeerCertificate } from 'node:tls';
import { type EnrollRequest, type EnrollResponse, enrollResponseSchema } from '@bascule/protocol';
import type { PresentedCertificate } from './ca-pin.js';
import { EnrollError } from './enroll-error.js';

export { EnrollError } from './enroll-error.js';

const TIMEOUT_MS = 30_000;
const MAX_ANSWER_BYTES = 1024 * 1024;

interface HubAddress {
  host: string;
  port: number;
  servername: string | undefined;
}

export function hubAddress(hubUrl: string): HubAddress {
  let url: URL;
  try {
    url = new URL(hubUrl);
  } catch {
    throw new EnrollError(`--hub must be a URL such as https://hub.example:8443, got "${hubUrl}"`);
  }
  if (url.protocol !== 'https:') throw new EnrollError(`--hub must be an https:// URL, got "${hubUrl}"`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return { host, port: Number(url.port || 443), servername: isIP(host) ? undefined : host };
}

/**
 * The chain the hub presents, leaf first, read without verifying it: we only look for the pinned
 * certificate in it; the real request that follows trusts that certificate alone.
 */
export function fetchPresentedChain(hubUrl: string): Promise<PresentedCertificate[]> {
  const { host, port, servername } = hubAddress(hubUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, servername, rejectUnauthorized: false, timeout: TIMEOUT_MS }, () => {
      const chain: PresentedCertificate[] = [];
      let cert: DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
      const seen = new Set<string>();
      while (cert?.raw && !seen.has(cert.fingerprint256)) {
        seen.add(cert.fingerprint256);
        chain.push({ der: cert.raw, subject: formatSubject(cert.subject) });
        cert = cert.issuerCertificate;
      }
      socket.destroy();
      resolve(chain);
    });
    socket.on('timeout', () =>
      socket.destroy(new EnrollError(`no TLS answer from ${host}:${port} within ${TIMEOUT_MS / 1000} s`)),
    );
    socket.on('error', (err) => reject(new EnrollError(`cannot reach the hub at ${hubUrl}: ${err.message}`)));
  });
}

function formatSubject(subject: DetailedPeerCertificate['subject'] | undefined): string {
  return subject
    ? Object.entries(subject)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(', ')
    : '';
}

/** POST /api/v1/enroll over TLS trusting only `caPem`. */
export function postEnroll(hubUrl: string, caPem: string, body: EnrollRequest): Promise<EnrollResponse> {
  const { host, port, servername } = hubAddress(hubUrl);
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host,
        port,
        servername,
        path: '/api/v1/enroll',
        method: 'POST',
        ca: caPem,
        rejectUnauthorized: true,
        agent: false,
        timeout: TIMEOUT_MS,
        headers: { 'content-type': 'application/json', 'content-length': payload.length },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) req.destroy(new EnrollError('the hub answered more than 1 MiB; refusing'));
          else chunks.push(chunk);
        });
        res.on('error', reject);
        res.on('end', () => {
          try {
            resolve(interpretAnswer(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
          } catch (err) {
            reject(err);
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new EnrollError(`the hub did not answer within ${TIMEOUT_MS / 1000} s`)));
    req.on('error', (err) => {
      if (err instanceof EnrollError) return reject(err);
      reject(
        new EnrollError(
          `TLS to ${hubUrl} failed with the pinned CA as the only trust: ${err.message} (the hub's certificate does not chain to the CA of --ca-hash, or does not name ${host})`,
        ),
      );
    });
    req.end(payload);
  });
}

function interpretAnswer(status: number, text: string): EnrollResponse {
  const message = hubMessage(text);
  if (status === 401) {
    throw new EnrollError(
      `the hub refused the enrolment token (wrong, expired or used up)${message ? `: ${message}` : ''}; ask for a new token (bascule-hub token create)`,
    );
  }
  if (status < 200 || status >= 300) {
    throw new EnrollError(`the hub answered ${status} to the enrolment${message ? `: ${message}` : ''}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new EnrollError('the hub answered the enrolment with something that is not JSON');
  }
  const parsed = enrollResponseSchema.safeParse(json);
  if (!parsed.success) throw new EnrollError(`the hub's enrolment answer is incomplete: ${parsed.error.message}`);
  return parsed.data;
}

function hubMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body.message === 'string') return body.message;
    if (Array.isArray(body.message)) return body.message.join('; ');
  } catch {
    // Not JSON: show the start of the text below.
  }
  return text.slice(0, 200);
}
