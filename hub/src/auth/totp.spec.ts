import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, matchTotp, otpauthUri } from './totp.js';

// RFC 6238 appendix B, SHA-1 seed "12345678901234567890" (8-digit values; we keep the last 6).
const SEED = Buffer.from('12345678901234567890', 'ascii');
const VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('totp', () => {
  it('gives the RFC 6238 test values', () => {
    for (const [t, expected] of VECTORS) {
      expect(hotp(SEED, Math.floor(t / 30))).toBe(expected.slice(2));
    }
  });

  it('accepts the previous and next step only', () => {
    const t = 1111111109_000;
    const step = Math.floor(t / 30_000);
    expect(matchTotp(SEED, hotp(SEED, step), t)).toBe(step);
    expect(matchTotp(SEED, hotp(SEED, step - 1), t)).toBe(step - 1);
    expect(matchTotp(SEED, hotp(SEED, step + 1), t)).toBe(step + 1);
    expect(matchTotp(SEED, hotp(SEED, step - 2), t)).toBeNull();
    expect(matchTotp(SEED, hotp(SEED, step + 2), t)).toBeNull();
    expect(matchTotp(SEED, '12345', t)).toBeNull();
    expect(matchTotp(SEED, 'abcdef', t)).toBeNull();
  });

  it('round-trips base32 (RFC 4648 vectors)', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Decode('MZXW6YTBOI').toString()).toBe('foobar');
    expect(base32Decode('mzxw 6ytb oi======').toString()).toBe('foobar');
    expect(() => base32Decode('MZ1')).toThrow(/base32/);
  });

  it('builds the otpauth URI apps read', () => {
    const uri = otpauthUri('Bascule', 'alice', SEED);
    expect(uri).toBe(
      'otpauth://totp/Bascule%3Aalice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Bascule&algorithm=SHA1&digits=6&period=30',
    );
  });
});
