import type { StateFile } from '../../system/state-file.js';

/** In the state directory: left by the agent-update module once a new version is installed. */
export const RESTART_REQUEST_FILE = 'agent-update/restart.json';

/** Exit code of a daemon that replaced itself: systemd (Restart=on-failure) starts the new version. */
export const SELF_UPDATE_EXIT_CODE = 75;

/** The daemon of version `from` must restart: `to` is installed. */
export interface RestartRequest {
  from: string;
  to: string;
  at: string;
}

export function formatRestartRequest(request: RestartRequest): string {
  return `${JSON.stringify(request)}\n`;
}

/** The request in the file, or null when there is none or it is unreadable (hand-written: no zod in the daemon). */
export function readRestartRequest(file: StateFile): RestartRequest | null {
  const text = file.read();
  if (text === null) return null;
  try {
    const json = JSON.parse(text) as Partial<RestartRequest> | null;
    if (typeof json?.from === 'string' && typeof json.to === 'string' && typeof json.at === 'string') {
      return { from: json.from, to: json.to, at: json.at };
    }
  } catch {
    // Unreadable: treated as no request (the daemon removes it).
  }
  return null;
}

/**
 * The daemon's side, after each apply: restart when a request names this daemon's version as the one to
 * leave and was made after it started. Any other request is stale (this daemon already is the new
 * version, or was started after the installation) and is removed, so a package whose agent reports
 * another version than its own can never make the daemon restart in a loop.
 */
export function restartDue(file: StateFile, runningVersion: string, startedAt: Date): RestartRequest | null {
  if (file.read() === null) return null;
  const request = readRestartRequest(file);
  if (request && request.from === runningVersion && Date.parse(request.at) >= startedAt.getTime()) return request;
  file.remove();
  return null;
}
