import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The first 512 bytes of the daily signature file in ClamAV's database directory (`daily.cld`, which
 * freshclam keeps up to date, else `daily.cvd`), which hold its version and build date; undefined
 * when there is neither (a database without the official signatures, as a test rig has).
 */
export function readDailyDatabaseHeader(dir: string): Buffer | undefined {
  for (const file of ['daily.cld', 'daily.cvd']) {
    let fd: number;
    try {
      fd = openSync(join(dir, file), 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    try {
      const buf = Buffer.alloc(512);
      const n = readSync(fd, buf, 0, 512, 0);
      return buf.subarray(0, n);
    } finally {
      closeSync(fd);
    }
  }
  return undefined;
}
