import { parseCvdHeader } from '../inventory/clamav-parser.js';
import { readDailyDatabaseHeader } from '../system/clamav-database.js';

/** The version of the daily signatures in `dir` (daily.cld / daily.cvd), undefined without them. */
export function databaseSignatureVersion(dir: string): string | undefined {
  const header = readDailyDatabaseHeader(dir);
  return header ? parseCvdHeader(header)?.signatureVersion : undefined;
}

/**
 * Where ClamAV's files are on this desktop: agent settings (flags of `run` and `apply`), Debian's by
 * default, so that a test rig can point the agent at its own clamd and database.
 */
export interface ClamavPaths {
  /** clamd's configuration; `clamdscan -c` reads the socket from it. */
  clamdConf: string;
  /** freshclam's configuration, which the `antivirus` module edits (PrivateMirror, Checks). */
  freshclamConf: string;
  /** clamd's local socket, pinged before a scan to choose clamdscan over clamscan. */
  clamdSocket: string;
  /** The signature database directory (`clamscan -d`, the signature version). */
  databaseDir: string;
  /** NetworkManager's pre-up dispatcher directory, where the scan-before-VPN script goes. */
  dispatcherDir: string;
}

export const DEBIAN_CLAMAV_PATHS: ClamavPaths = {
  clamdConf: '/etc/clamav/clamd.conf',
  freshclamConf: '/etc/clamav/freshclam.conf',
  clamdSocket: '/run/clamav/clamd.ctl',
  databaseDir: '/var/lib/clamav',
  dispatcherDir: '/etc/NetworkManager/dispatcher.d/pre-up.d',
};

/** The command-line flag of each path, the same for `run`, `apply` and `antivirus scan`. */
export const CLAMAV_PATH_FLAGS: Record<keyof ClamavPaths, string> = {
  clamdConf: 'clamd-conf',
  freshclamConf: 'freshclam-conf',
  clamdSocket: 'clamd-socket',
  databaseDir: 'clamav-db-dir',
  dispatcherDir: 'nm-dispatcher-dir',
};

/** parseArgs options for the flags above. */
export const CLAMAV_PATH_OPTIONS = Object.fromEntries(
  Object.values(CLAMAV_PATH_FLAGS).map((flag) => [flag, { type: 'string' as const }]),
) as Record<string, { type: 'string' }>;

/** The paths from parsed flags (absent ones: Debian's); a relative path is refused with the flag's name. */
export function clamavPathsFrom(values: Record<string, unknown>): ClamavPaths {
  const out = { ...DEBIAN_CLAMAV_PATHS };
  for (const [key, flag] of Object.entries(CLAMAV_PATH_FLAGS) as Array<[keyof ClamavPaths, string]>) {
    const v = values[flag];
    if (v === undefined) continue;
    if (typeof v !== 'string' || !v.startsWith('/')) throw new Error(`--${flag}: expected an absolute path`);
    out[key] = v;
  }
  return out;
}

/** The flags that pass non-default paths on to a child process (`apply`). */
export function clamavPathArgs(paths: ClamavPaths): string[] {
  const args: string[] = [];
  for (const [key, flag] of Object.entries(CLAMAV_PATH_FLAGS) as Array<[keyof ClamavPaths, string]>) {
    if (paths[key] !== DEBIAN_CLAMAV_PATHS[key]) args.push(`--${flag}`, paths[key]);
  }
  return args;
}
