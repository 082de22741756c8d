import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSshPublicKey, SshKeyError } from './ssh-public-key.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bascule-sshkey-spec-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A fresh key made by OpenSSH's own ssh-keygen, with the fingerprint it prints. */
function keygen(type: string, bits?: number): { pub: string; priv: string; fingerprint: string } {
  const file = path.join(dir, `${type}-${bits ?? 'default'}-${Math.random().toString(36).slice(2)}`);
  const args = ['-q', '-t', type, '-N', '', '-C', `alice@${type}`, '-f', file];
  if (bits) args.push('-b', String(bits));
  execFileSync('ssh-keygen', args);
  const listed = execFileSync('ssh-keygen', ['-lf', `${file}.pub`], { encoding: 'utf8' });
  return {
    pub: fs.readFileSync(`${file}.pub`, 'utf8'),
    priv: fs.readFileSync(file, 'utf8'),
    fingerprint: listed.split(' ')[1] as string,
  };
}

function refusal(text: string): string {
  try {
    parseSshPublicKey(text);
  } catch (err) {
    if (err instanceof SshKeyError) return err.code;
    throw err;
  }
  throw new Error('the key was accepted');
}

describe('parseSshPublicKey', () => {
  it.each([
    ['ed25519', undefined, 'ssh-ed25519'],
    ['ecdsa', 384, 'ecdsa-sha2-nistp384'],
    ['rsa', 3072, 'ssh-rsa'],
  ])('reads a %s key with the fingerprint ssh-keygen -l prints', (type, bits, algorithm) => {
    const k = keygen(type, bits);
    const parsed = parseSshPublicKey(k.pub);
    expect(parsed.algorithm).toBe(algorithm);
    expect(parsed.fingerprint).toBe(k.fingerprint);
    expect(parsed.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(parsed.comment).toBe(`alice@${type}`);
    expect(parsed.publicKey).toBe(k.pub.split(' ')[1]);
    if (bits) expect(parsed.bits).toBe(bits);
  });

  it('accepts a key without comment, with blank and comment lines around it', () => {
    const k = keygen('ed25519');
    const [type, blob] = k.pub.split(' ');
    const parsed = parseSshPublicKey(`# my key\n\n${type} ${blob}\n`);
    expect(parsed.comment).toBe('');
    expect(parsed.fingerprint).toBe(k.fingerprint);
  });

  it('refuses private keys, DSA, short RSA, options, several keys and garbage', () => {
    expect(refusal(keygen('ed25519').priv)).toBe('SSH_KEY_PRIVATE');
    expect(refusal(keygen('dsa').pub)).toBe('SSH_KEY_DSA');
    expect(refusal(keygen('rsa', 1024).pub)).toBe('SSH_KEY_RSA_TOO_SHORT');
    const ed = keygen('ed25519').pub.trim();
    expect(refusal(`from="10.0.0.0/8",no-pty ${ed}`)).toBe('SSH_KEY_OPTIONS');
    expect(refusal(`${ed}\n${keygen('ed25519').pub}`)).toBe('SSH_KEY_SEVERAL');
    expect(refusal('')).toBe('SSH_KEY_EMPTY');
    expect(refusal('ssh-ed25519 AAAAnotakey')).toBe('SSH_KEY_INVALID');
    expect(refusal('hello world')).toBe('SSH_KEY_INVALID');
    expect(refusal('sk-ssh-ed25519@openssh.com AAAA x')).toBe('SSH_KEY_TYPE');
    // A blob of one type presented as another does not pass.
    expect(refusal(ed.replace('ssh-ed25519', 'ssh-rsa'))).toBe('SSH_KEY_INVALID');
  });
});
