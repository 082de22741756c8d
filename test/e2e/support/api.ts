import https from 'node:https';
import type { HubProcess } from './hub.js';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
}

/** A REST client for the hub that trusts only the hub's CA and keeps the session cookie. */
export class ApiClient {
  cookie = '';

  constructor(
    readonly baseUrl: string,
    private readonly caPem?: string,
  ) {}

  request<T = unknown>(method: string, path: string, body?: unknown, raw?: string): Promise<ApiResponse<T>> {
    const payload = raw ?? (body === undefined ? undefined : JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = https.request(
        new URL(path, this.baseUrl),
        {
          method,
          ...(this.caPem ? { ca: this.caPem } : { rejectUnauthorized: false }),
          headers: {
            ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(this.cookie ? { cookie: this.cookie } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const setCookie = res.headers['set-cookie']?.[0];
            if (setCookie) this.cookie = setCookie.split(';')[0] ?? '';
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              /* not JSON: keep the text */
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed as T });
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  get<T = unknown>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = unknown>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body);
  }
}

export const ADMIN_PASSWORD = 'une phrase de passe pour les tests e2e';

/** Signs in as admin, replacing the one-time password on first use. */
export async function adminClient(hub: HubProcess): Promise<ApiClient> {
  const api = new ApiClient(hub.url);
  let r = await api.post('/api/v1/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
  if (r.status === 401 && hub.adminPassword) {
    r = await api.post('/api/v1/auth/login', { username: 'admin', password: hub.adminPassword });
    if (r.status !== 200) throw new Error(`login failed: ${r.status} ${JSON.stringify(r.body)}`);
    const c = await api.post('/api/v1/auth/password', {
      currentPassword: hub.adminPassword,
      newPassword: ADMIN_PASSWORD,
    });
    if (c.status !== 204) throw new Error(`password change failed: ${c.status} ${JSON.stringify(c.body)}`);
  } else if (r.status !== 200) {
    throw new Error(`login failed: ${r.status} ${JSON.stringify(r.body)}`);
  }
  return api;
}

/** Polls `probe` until it returns a truthy value. */
export async function eventually<T>(
  probe: () => Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
