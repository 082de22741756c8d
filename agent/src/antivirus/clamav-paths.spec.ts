import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clamavPathArgs, clamavPathsFrom, DEBIAN_CLAMAV_PATHS, databaseSignatureVersion } from './clamav-paths.js';

describe('ClamAV paths', () => {
  it("Debian's by default; others passed on to the apply child", () => {
    expect(clamavPathsFrom({})).toEqual(DEBIAN_CLAMAV_PATHS);
    const paths = clamavPathsFrom({ 'clamd-socket': '/rig/clamd.sock', 'clamav-db-dir': '/rig/db' });
    expect(clamavPathArgs(paths)).toEqual(['--clamd-socket', '/rig/clamd.sock', '--clamav-db-dir', '/rig/db']);
    expect(() => clamavPathsFrom({ 'clamd-conf': 'clamd.conf' })).toThrow('--clamd-conf: expected an absolute path');
  });

  it('reads the daily signature version from the database header, nothing without one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clamdb-'));
    try {
      expect(databaseSignatureVersion(dir)).toBeUndefined();
      writeFileSync(join(dir, 'daily.cld'), `ClamAV-VDB:02 Dec 2026 09-31 +0000:27840:2071322:90:${' '.repeat(400)}`);
      expect(databaseSignatureVersion(dir)).toBe('27840');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
