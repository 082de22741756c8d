// The REST side of the benchmarks: one keep-alive HTTPS connection to a hub, a JSON (or raw) request that
// resolves with its round trip in ms, and the timing of a route over R runs with the hub's CPU per request.
import { Agent, request } from 'node:https';
import { cpuSecondsOf, stats } from '../lib.mjs';

export class RestClient {
  cookie = '';

  constructor(hub, ca) {
    this.hub = hub;
    this.ca = ca;
    this.agent = new Agent({ keepAlive: true, maxSockets: 1 });
  }

  /** A fresh connection (after a setup that outlived the server's keep-alive timeout). */
  reconnect() {
    this.agent.destroy();
    this.agent = new Agent({ keepAlive: true, maxSockets: 1 });
  }

  close() {
    this.agent.destroy();
  }

  async login(username, password) {
    const r = await this.request('POST', '/api/v1/auth/login', { username, password });
    this.cookie = r.cookie ?? '';
    return r;
  }

  request(method, path, body, type = 'application/json') {
    const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const t0 = performance.now();
      const req = request(
        `${this.hub.url}${path}`,
        {
          method,
          ca: this.ca,
          agent: this.agent,
          headers: { ...(payload ? { 'content-type': type } : {}), ...(this.cookie ? { cookie: this.cookie } : {}) },
        },
        (res) => {
          const chunks = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => {
            const ms = performance.now() - t0;
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode >= 300)
              return reject(new Error(`${method} ${path}: HTTP ${res.statusCode}: ${text.slice(0, 500)}`));
            resolve({
              ms,
              bytes: text.length,
              headers: res.headers,
              body: text && res.headers['content-type']?.includes('json') ? JSON.parse(text) : text,
              cookie: res.headers['set-cookie']?.[0]?.split(';')[0],
            });
          });
        },
      );
      // How long the request lived says which side gave up (a server timeout has a round number).
      req.on('error', (err) =>
        reject(
          new Error(`${method} ${path}: ${err.message} (${err.code}) after ${(performance.now() - t0).toFixed(0)} ms`, {
            cause: err,
          }),
        ),
      );
      req.end(payload);
    });
  }

  /** GET `path` once to warm up, then `runs` times: round-trip stats, p95, hub CPU per request, body size. */
  async time(path, runs) {
    await this.request('GET', path);
    const times = [];
    let last;
    const cpuStart = cpuSecondsOf(this.hub.pid);
    for (let r = 0; r < runs; r++) {
      last = await this.request('GET', path);
      times.push(last.ms);
    }
    const sorted = [...times].sort((a, b) => a - b);
    return {
      ms: stats(times),
      p95: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))],
      hubCpuMsPerRequest: ((cpuSecondsOf(this.hub.pid) - cpuStart) * 1000) / runs,
      bytes: last.bytes,
      last,
    };
  }
}
