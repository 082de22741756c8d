/** What the hub says when its data directory has no space left (REST 507, MQTT logs). */
export const DISK_FULL_MESSAGE =
  "The hub's disk is full: nothing was saved. Free space in the hub's data directory, then try again.";

/**
 * Whether an error means "no space left": SQLite's SQLITE_FULL (better-sqlite3 puts the code on the
 * error), PostgreSQL's disk_full (SQLSTATE 53100, on the server's disk) or the kernel's ENOSPC from a
 * file write, looked for down the `cause` chain.
 */
export function isDiskFull(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (code === 'SQLITE_FULL' || code === '53100' || code === 'ENOSPC') return true;
  }
  return false;
}
