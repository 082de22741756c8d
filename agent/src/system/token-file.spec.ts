import { describe, expect, it } from 'vitest';
import { parseTokenFile } from './token-file.js';

describe('parseTokenFile', () => {
  it('reads a token alone or from a token= line', () => {
    expect(parseTokenFile('bt_abc\n', 'f')).toBe('bt_abc');
    expect(parseTokenFile('# site token\nhub=https://hub:8443\ntoken=bt_xyz\nca-hash=sha256:00\n', 'f')).toBe('bt_xyz');
  });

  it('refuses a file without a token, naming the file', () => {
    expect(() => parseTokenFile('hub=https://hub:8443\n', '/etc/bascule/enroll.token')).toThrow(
      /\/etc\/bascule\/enroll.token holds no token/,
    );
    expect(() => parseTokenFile('\n', 'f')).toThrow(/holds no token/);
  });
});
