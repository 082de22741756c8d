import fs from 'node:fs';
import { dataPaths } from './settings.js';

/**
 * The pid in DATA/hub.json when that process is alive, else null (a hub that stopped leaves the file).
 * For the commands that need the hub stopped (restore, move-to-postgres).
 */
export function runningHubPid(dataDir: string): number | null {
  const runtime = dataPaths(dataDir).runtime;
  if (!fs.existsSync(runtime)) return null;
  let pid: unknown;
  try {
    pid = (JSON.parse(fs.readFileSync(runtime, 'utf8')) as { pid?: unknown }).pid;
  } catch (err) {
    throw new Error(`${runtime} is unreadable (${(err as Error).message}): delete it if no hub runs`);
  }
  if (typeof pid !== 'number' || !Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    // EPERM: alive, but another user's process (a hub run by its service user).
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}
