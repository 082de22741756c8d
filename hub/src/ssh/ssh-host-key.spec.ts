import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadOrCreateSshHostKey } from './ssh-host-key.js';

describe('loadOrCreateSshHostKey', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  // ssh2 writes an Ed25519 key its own parser refuses about 3 times in 1,000: 1,000 first starts all succeed.
  it('gives every fresh data directory a host key that loads, and the same one at the next start', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bascule-hostkey-'));
    dirs.push(dir);
    for (let i = 0; i < 1000; i++) {
      const file = path.join(dir, `k${i}`, 'host_ed25519_key');
      const first = loadOrCreateSshHostKey(file);
      expect(first.created).toBe(true);
      if (i % 100 === 0) {
        expect(fs.statSync(file).mode & 0o777).toBe(0o600);
        const again = loadOrCreateSshHostKey(file);
        expect(again).toMatchObject({ created: false, fingerprint: first.fingerprint });
      }
    }
  });

  it('refuses a damaged key rather than replacing it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bascule-hostkey-'));
    dirs.push(dir);
    const file = path.join(dir, 'host_ed25519_key');
    fs.writeFileSync(file, 'not a key', { mode: 0o600 });
    expect(() => loadOrCreateSshHostKey(file)).toThrow(/unreadable.*restore it from a backup, or delete it/);
  });
});
