import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export type HostKeyVerdict = 'known' | 'new' | 'changed';

/**
 * An OpenSSH known_hosts file with the policy of `StrictHostKeyChecking=accept-new`: a host seen for
 * the first time is added, a known host must present the same key, a changed key is refused (a
 * reinstalled machine, or someone in the middle: IT removes the line after checking). Hashed entries
 * (`|1|salt|hash`, HashKnownHosts) are understood; new entries are written in clear.
 */
export class KnownHostsRepository {
  constructor(readonly file: string) {}

  /** `host` for port 22, `[host]:port` otherwise, as OpenSSH writes them. */
  static nameOf(host: string, port: number): string {
    return port === 22 ? host : `[${host}]:${port}`;
  }

  /** Checks `keyBlob` (the SSH wire format of the host's public key) and records a new host. */
  check(host: string, port: number, keyBlob: Buffer): HostKeyVerdict {
    const name = KnownHostsRepository.nameOf(host, port);
    const type = keyType(keyBlob);
    const keys = this.read()
      .filter((e) => e.matches(name) && e.type === type)
      .map((e) => e.key);
    if (keys.some((k) => k.equals(keyBlob))) return 'known';
    if (keys.length > 0) return 'changed';
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    // One short append per new host: concurrent connections do not interleave lines.
    fs.appendFileSync(this.file, `${name} ${type} ${keyBlob.toString('base64')}\n`, { mode: 0o600 });
    return 'new';
  }

  private read() {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return text.split('\n').flatMap((line) => {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 3 || fields[0]?.startsWith('#') || fields[0]?.startsWith('@')) return [];
      const [names, type, key] = fields as [string, string, string];
      return [{ type, key: Buffer.from(key, 'base64'), matches: (name: string) => matchesNames(names, name) }];
    });
  }
}

function matchesNames(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  return field.split(',').some((n) => n.toLowerCase() === name.toLowerCase());
}

/** The key type, the first string of the SSH public key blob (`ssh-ed25519`, `ecdsa-sha2-nistp256`, …). */
export function keyType(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const len = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + len).toString('latin1');
}
