import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';

/** What a GLPI server answered to one inventory. */
export interface GlpiAnswer {
  status: number;
  body: string;
}

/** Posts a native-inventory document the way glpi-agent does. */
export interface GlpiPoster {
  post(document: object): Promise<GlpiAnswer>;
}

const TIMEOUT_MS = 60_000;
const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * POST of the JSON document to the configured URL (GLPI's `/` or `/front/inventory.php`, what one
 * would give glpi-agent as `server`), `Content-Type: application/json`. Credentials in the URL
 * (`https://user:pass@glpi/`) are sent as HTTP basic authentication. `caFile`: a PEM CA bundle that
 * signs GLPI's certificate, added to the system's.
 */
export class GlpiHttpClient implements GlpiPoster {
  private readonly url: URL;
  private readonly agent: http.Agent;

  constructor(url: string, caFile?: string) {
    this.url = new URL(url);
    this.agent =
      this.url.protocol === 'https:'
        ? new https.Agent({ ...(caFile ? { ca: [...tls.rootCertificates, fs.readFileSync(caFile, 'utf8')] } : {}) })
        : new http.Agent();
  }

  post(document: object): Promise<GlpiAnswer> {
    const body = Buffer.from(JSON.stringify(document));
    const request = this.url.protocol === 'https:' ? https.request : http.request;
    return new Promise<GlpiAnswer>((resolve, reject) => {
      const req = request(
        this.url,
        {
          method: 'POST',
          agent: this.agent,
          timeout: TIMEOUT_MS,
          headers: {
            'Content-Type': 'application/json',
            'Content-Length': body.length,
            'User-Agent': 'bascule-hub (GLPI native inventory)',
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size <= MAX_ANSWER_BYTES) chunks.push(c);
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Ends kept-alive connections (hub stopping). */
  close(): void {
    this.agent.destroy();
  }
}
