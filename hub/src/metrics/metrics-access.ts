import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 addresses. */
const isLoopback = (address: string) => address === '::1' || /^(::ffff:)?127\./.test(address);

/**
 * Who may scrape `/metrics`: anyone on the hub's own machine (a local Prometheus or node exporter), and
 * from elsewhere a scraper holding the bearer token kept in `DATA/metrics-token` (created on first use,
 * mode 0600; Prometheus reads it with `authorization.credentials_file`). The numbers are not secret, but a
 * fleet's size and its rollouts are nobody else's business.
 */
export class MetricsAccess {
  private token?: Buffer;

  constructor(private readonly file: string) {}

  static fileIn(dataDir: string): string {
    return path.join(dataDir, 'metrics-token');
  }

  /** The token, created on first use. */
  value(): string {
    return this.load().toString('utf8');
  }

  allows(remoteAddress: string | undefined, authorization: string | undefined): boolean {
    if (remoteAddress && isLoopback(remoteAddress)) return true;
    const presented = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (presented === undefined) return false;
    const given = Buffer.from(presented, 'utf8');
    const token = this.load();
    return given.length === token.length && crypto.timingSafeEqual(given, token);
  }

  private load(): Buffer {
    if (this.token) return this.token;
    try {
      this.token = Buffer.from(fs.readFileSync(this.file, 'utf8').trim(), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      const fresh = crypto.randomBytes(32).toString('base64url');
      fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
      // wx: two hubs of a cluster starting together keep the first one's token.
      try {
        fs.writeFileSync(this.file, `${fresh}\n`, { mode: 0o600, flag: 'wx' });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      this.token = Buffer.from(fs.readFileSync(this.file, 'utf8').trim(), 'utf8');
    }
    return this.token;
  }
}
