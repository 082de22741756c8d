import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PasswordPolicy, parseBlocklist } from './password-policy.js';

const shipped = parseBlocklist(
  fs.readFileSync(new URL('../../assets/password-blocklist.txt', import.meta.url), 'utf8'),
);
const policy = new PasswordPolicy(shipped);

describe('PasswordPolicy (NIST SP 800-63B)', () => {
  it('accepts a long passphrase with no composition rules', () => {
    expect(policy.check('le chat dort sur le radiateur')).toEqual({ ok: true });
  });

  it('counts Unicode characters, not bytes, and accepts any script', () => {
    expect(policy.check('été à l’hôpital ✓✓').ok).toBe(true);
    expect(policy.check('àéîõü ç'.repeat(2)).ok).toBe(false); // 14 characters, 28 bytes
  });

  it('refuses fewer than 15 characters and more than 256', () => {
    const short = policy.check('Tr0ub4dor&3xyz');
    expect(short.ok).toBe(false);
    expect(!short.ok && short.reason).toMatch(/at least 15/);
    expect(policy.check('a b c d '.repeat(40)).ok).toBe(false);
  });

  it('refuses blocklisted passwords, also hidden behind digits, separators or repetition', () => {
    for (const pw of [
      'motdepassemotdepasse',
      'password12345678',
      'azertyuiopqsdfghjklm',
      'mot-de-passe-2026!!!',
      'iloveyouiloveyou',
    ]) {
      expect(policy.check(pw), pw).toMatchObject({ ok: false });
    }
  });

  it('refuses a password containing the user name, or made of one or two characters', () => {
    expect(policy.check('martine.dupont-2026-bureau', { username: 'martine.dupont' }).ok).toBe(false);
    expect(policy.check('abababababababababab').ok).toBe(false);
  });
});
