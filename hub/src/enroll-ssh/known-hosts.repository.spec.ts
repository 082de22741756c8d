import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KnownHostsRepository, keyType } from './known-hosts.repository.js';

/** An SSH public key blob: string type, then key bytes. */
function blob(type: string, key = randomBytes(32)): Buffer {
  const t = Buffer.from(type);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(t.length);
  const klen = Buffer.alloc(4);
  klen.writeUInt32BE(key.length);
  return Buffer.concat([len, t, klen, key]);
}

describe('KnownHostsRepository (accept-new)', () => {
  const file = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bascule-kh-')), 'known_hosts');

  it('records a new host, accepts the same key again, refuses another one', () => {
    const kh = new KnownHostsRepository(file());
    const key = blob('ssh-ed25519');
    expect(kh.check('pc1', 22, key)).toBe('new');
    expect(kh.check('pc1', 22, key)).toBe('known');
    expect(kh.check('pc1', 22, blob('ssh-ed25519'))).toBe('changed');
    // Another port is another entry, as in OpenSSH.
    expect(kh.check('pc1', 2222, blob('ssh-ed25519'))).toBe('new');
    expect(fs.readFileSync(kh.file, 'utf8')).toMatch(/^pc1 ssh-ed25519 \S+\n\[pc1\]:2222 ssh-ed25519 \S+\n$/);
  });

  it('understands hashed and comma-separated entries written by OpenSSH', () => {
    const f = file();
    const key = blob('ecdsa-sha2-nistp256');
    const salt = randomBytes(20);
    const hash = createHmac('sha1', salt).update('[10.0.0.7]:2200').digest('base64');
    fs.writeFileSync(
      f,
      `# comment\n|1|${salt.toString('base64')}|${hash} ecdsa-sha2-nistp256 ${key.toString('base64')}\n` +
        `pc2,10.0.0.8 ecdsa-sha2-nistp256 ${key.toString('base64')}\n`,
    );
    const kh = new KnownHostsRepository(f);
    expect(kh.check('10.0.0.7', 2200, key)).toBe('known');
    expect(kh.check('10.0.0.8', 22, key)).toBe('known');
    expect(kh.check('10.0.0.7', 2200, blob('ecdsa-sha2-nistp256'))).toBe('changed');
    expect(keyType(key)).toBe('ecdsa-sha2-nistp256');
  });
});
