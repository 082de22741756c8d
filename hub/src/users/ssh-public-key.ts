import { createHash, createPublicKey } from 'node:crypto';
import ssh2, { type ParsedKey } from 'ssh2';

// ssh2 is CommonJS: Node's ESM loader only offers its default export.
const { utils } = ssh2;

/** Key types the SSH gateway accepts. DSA is refused (OpenSSH dropped it), so are security-key types ssh2 cannot verify. */
const ACCEPTED = new Set([
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'ssh-rsa',
]);
export const MIN_RSA_BITS = 2048;
const MAX_COMMENT = 200;
const MAX_LINE = 16_384;

export type SshKeyErrorCode =
  | 'SSH_KEY_EMPTY'
  | 'SSH_KEY_PRIVATE'
  | 'SSH_KEY_INVALID'
  | 'SSH_KEY_SEVERAL'
  | 'SSH_KEY_OPTIONS'
  | 'SSH_KEY_DSA'
  | 'SSH_KEY_TYPE'
  | 'SSH_KEY_RSA_TOO_SHORT';

/** A public key that cannot be registered, with a sentence a person can act on. */
export class SshKeyError extends Error {
  override name = 'SshKeyError';
  constructor(
    readonly code: SshKeyErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface SshPublicKey {
  /** Key type as in the authorized_keys line: `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`… */
  algorithm: string;
  /** The key blob (SSH wire format) in base64, as in an authorized_keys line. */
  publicKey: string;
  /** `SHA256:…`, exactly as `ssh-keygen -l` prints it. */
  fingerprint: string;
  comment: string;
  /** Modulus length for RSA, curve size for ECDSA, 256 for Ed25519. */
  bits: number;
}

/** `SHA256:` + unpadded base64 of the SHA-256 of the key blob (what `ssh-keygen -lf` prints). */
export function sshFingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/**
 * Parses one public key as written in an authorized_keys file or a `.pub` file
 * (`TYPE BASE64 [comment]`). Blank lines and `#` comments around it are ignored.
 * Throws SshKeyError for anything else: a private key, options, DSA, short RSA, garbage.
 */
export function parseSshPublicKey(text: string): SshPublicKey {
  if (text.length > MAX_LINE) throw new SshKeyError('SSH_KEY_INVALID', 'this is too long for an SSH public key');
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text) || /PuTTY-User-Key-File/.test(text)) {
    throw new SshKeyError(
      'SSH_KEY_PRIVATE',
      'this is a private key: never share it; give the public key instead (the .pub file, e.g. ~/.ssh/id_ed25519.pub)',
    );
  }
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  if (lines.length === 0) throw new SshKeyError('SSH_KEY_EMPTY', 'no SSH public key given');
  if (lines.length > 1) {
    throw new SshKeyError('SSH_KEY_SEVERAL', `one key at a time, please (${lines.length} lines were given)`);
  }
  const line = lines[0] as string;
  const tokens = line.split(/\s+/);
  const typeAt = tokens.findIndex((t) => /^(ssh-|ecdsa-sha2-|sk-)/.test(t));
  if (typeAt > 0) {
    throw new SshKeyError(
      'SSH_KEY_OPTIONS',
      `authorized_keys options (${(tokens[0] ?? '').slice(0, 40)}) are not supported: give the key alone, starting with its type`,
    );
  }
  const first = tokens[0] ?? '';
  if (first === 'ssh-dss') {
    throw new SshKeyError(
      'SSH_KEY_DSA',
      'DSA keys are insecure and refused: create an Ed25519 key (ssh-keygen -t ed25519)',
    );
  }
  if (first.startsWith('sk-') || (first !== '' && /^(ssh-|ecdsa-)/.test(first) && !ACCEPTED.has(first))) {
    throw new SshKeyError(
      'SSH_KEY_TYPE',
      `${first} keys are not supported: use Ed25519 (ssh-keygen -t ed25519), ECDSA or RSA of ${MIN_RSA_BITS} bits or more`,
    );
  }
  const parsed = utils.parseKey(line);
  const key: ParsedKey | undefined = Array.isArray(parsed) ? parsed[0] : parsed instanceof Error ? undefined : parsed;
  if (!key) {
    throw new SshKeyError(
      'SSH_KEY_INVALID',
      'not an SSH public key: expected one line like "ssh-ed25519 AAAAC3Nza… you@machine" (the content of a .pub file)',
    );
  }
  if (key.isPrivateKey()) {
    throw new SshKeyError('SSH_KEY_PRIVATE', 'this is a private key: give the public key instead (the .pub file)');
  }
  if (!ACCEPTED.has(key.type)) {
    throw new SshKeyError('SSH_KEY_TYPE', `${key.type} keys are not supported: use Ed25519, ECDSA or RSA`);
  }
  const bits = keyBits(key);
  if (key.type === 'ssh-rsa' && bits < MIN_RSA_BITS) {
    throw new SshKeyError(
      'SSH_KEY_RSA_TOO_SHORT',
      `this RSA key has ${bits} bits; at least ${MIN_RSA_BITS} are needed (better: ssh-keygen -t ed25519)`,
    );
  }
  const blob = key.getPublicSSH();
  return {
    algorithm: key.type,
    publicKey: blob.toString('base64'),
    fingerprint: sshFingerprint(blob),
    comment: key.comment.trim().slice(0, MAX_COMMENT),
    bits,
  };
}

function keyBits(key: ParsedKey): number {
  if (key.type === 'ssh-ed25519') return 256;
  const details = createPublicKey(key.getPublicPEM()).asymmetricKeyDetails;
  if (key.type === 'ssh-rsa') return details?.modulusLength ?? 0;
  return Number(key.type.replace('ecdsa-sha2-nistp', ''));
}

/**
 * Checks a signature made with a registered key (the blob, base64). `algo` is the signature's hash
 * algorithm as ssh2 reports it (RSA keys sign with SHA-256 or SHA-512).
 */
export function verifySshSignature(publicKey: string, data: Buffer, signature: Buffer, algo?: string): boolean {
  const parsed = utils.parseKey(Buffer.from(publicKey, 'base64'));
  const key = Array.isArray(parsed) ? parsed[0] : parsed instanceof Error ? undefined : parsed;
  return key ? key.verify(data, signature, algo) === true : false;
}
