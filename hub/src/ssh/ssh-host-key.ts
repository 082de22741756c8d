import fs from 'node:fs';
import path from 'node:path';
import ssh2 from 'ssh2';
import { sshFingerprint } from '../users/ssh-public-key.js';

export interface SshHostKey {
  /** OpenSSH private key, for ssh2's `hostKeys`. */
  privateKey: string;
  /** `SHA256:…`, what `ssh` shows on first connection. */
  fingerprint: string;
  /** True when this start generated it. */
  created: boolean;
}

/**
 * The gateway's Ed25519 host key, generated once and kept 0600 in the data directory, so clients that
 * trusted it keep trusting it across restarts and upgrades. A file that exists but does not parse
 * stops the start: replacing it silently would make every client shout "host key changed".
 */
export function loadOrCreateSshHostKey(file: string): SshHostKey {
  let created = false;
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const pair = generateParseableKeyPair();
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, pair.private, { mode: 0o600, flag: 'wx' });
    fs.renameSync(tmp, file);
    fs.writeFileSync(`${file}.pub`, `${pair.public}\n`, { mode: 0o644 });
    created = true;
  }
  const privateKey = fs.readFileSync(file, 'utf8');
  const parsed = ssh2.utils.parseKey(privateKey);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || key instanceof Error || !key.isPrivateKey()) {
    const reason = key instanceof Error ? key.message : 'not a private key';
    throw new Error(
      `SSH host key ${file} is unreadable (${reason}); restore it from a backup, or delete it to make a new one`,
    );
  }
  return { privateKey, fingerprint: sshFingerprint(key.getPublicSSH()), created };
}

/**
 * About 3 in 1,000 Ed25519 keys that ssh2's generateKeyPairSync writes are refused by its own parseKey
 * ("Malformed OpenSSH private key", measured with ssh2 1.17): a hub's first start failed that often.
 * Generate again until the key reads back; five failures in a row would be a broken library, said so.
 */
function generateParseableKeyPair(): { private: string; public: string } {
  for (let attempt = 0; attempt < 5; attempt++) {
    const pair = ssh2.utils.generateKeyPairSync('ed25519', { comment: 'bascule-hub ssh gateway' });
    if (!(ssh2.utils.parseKey(pair.private) instanceof Error)) return pair;
  }
  throw new Error('could not generate an SSH host key that ssh2 reads back (five attempts)');
}
