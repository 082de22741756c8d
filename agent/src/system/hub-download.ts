import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { isIP } from 'node:net';
import { dirname } from 'node:path';

/** What a download from the hub authenticates with: the device's own credentials and the hub's CA. */
export interface HubCredentials {
  hubUrl: string;
  /** The CA the agent pins for every hub connection (identity.json's caCertPem). */
  caCertPem: string;
  deviceId: string;
  secret: string;
}

export interface DownloadResult {
  bytes: number;
  sha256: string;
}

/** Fetches a file from the hub into `dest`; the hash is computed while it arrives. */
export interface HubDownload {
  download(path: string, dest: string, maxBytes: number): Promise<DownloadResult>;
  /** Removes a downloaded file; nothing happens when it is already gone. */
  remove(dest: string): void;
}

const IDLE_TIMEOUT_MS = 60_000;

/**
 * HTTPS GET on the hub, trusting only its CA (as MQTT and the enrolment do) and authenticated as the
 * device (HTTP Basic with the device id and secret, the same credentials as on MQTT). The file is
 * written 0600; on any failure it is removed, so a partial download is never installed.
 */
export class HttpsHubDownload implements HubDownload {
  constructor(private readonly credentials: () => HubCredentials) {}

  remove(dest: string): void {
    rmSync(dest, { force: true });
  }

  download(path: string, dest: string, maxBytes: number): Promise<DownloadResult> {
    const c = this.credentials();
    const url = new URL(path, c.hubUrl);
    if (url.protocol !== 'https:') return Promise.reject(new Error(`the hub URL ${c.hubUrl} is not https`));
    const host = url.hostname.replace(/^\[|\]$/g, '');
    mkdirSync(dirname(dest), { recursive: true, mode: 0o700 });
    return new Promise<DownloadResult>((resolve, reject) => {
      const fail = (err: Error) => {
        rmSync(dest, { force: true });
        reject(err);
      };
      const req = request(
        {
          host,
          port: Number(url.port || 443),
          servername: isIP(host) ? undefined : host,
          path: url.pathname,
          method: 'GET',
          ca: c.caCertPem,
          rejectUnauthorized: true,
          agent: false,
          timeout: IDLE_TIMEOUT_MS,
          headers: { authorization: `Basic ${Buffer.from(`${c.deviceId}:${c.secret}`).toString('base64')}` },
        },
        (res) => {
          if (res.statusCode !== 200) {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              if (text.length < 2000) text += chunk;
            });
            res.on('end', () =>
              fail(new Error(`the hub answered ${res.statusCode} to GET ${url.pathname}: ${hubMessage(text)}`)),
            );
            res.on('error', fail);
            return;
          }
          const hash = createHash('sha256');
          const out = createWriteStream(dest, { mode: 0o600 });
          let bytes = 0;
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            if (bytes > maxBytes) {
              req.destroy(new Error(`the hub sent more than the ${maxBytes} bytes announced for ${url.pathname}`));
              return;
            }
            hash.update(chunk);
          });
          res.on('error', (err) => {
            out.destroy();
            fail(err);
          });
          out.on('error', (err) => {
            req.destroy();
            fail(new Error(`cannot write ${dest}: ${err.message}`));
          });
          out.on('finish', () => {
            if (!res.complete) return fail(new Error(`the download of ${url.pathname} was cut after ${bytes} bytes`));
            resolve({ bytes, sha256: hash.digest('hex') });
          });
          res.pipe(out);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`the hub sent nothing for ${IDLE_TIMEOUT_MS / 1000} s`)));
      req.on('error', (err) =>
        fail(
          new Error(
            `download from ${url.origin} failed: ${err.message}${/certificate|self.signed|verify/i.test(err.message) ? " (the hub's certificate does not chain to the CA this agent pins)" : ''}`,
          ),
        ),
      );
      req.end();
    });
  }
}

function hubMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown };
    if (typeof body.message === 'string') return body.message;
  } catch {
    // Not JSON: the start of the text below.
  }
  return text.slice(0, 200);
}
