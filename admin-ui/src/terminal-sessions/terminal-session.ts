/** A terminal session as `GET /api/v1/terminal-sessions` returns it (docs/rest-api.md). */
export interface TerminalSession {
  id: string;
  userId: string;
  username: string;
  deviceId: string;
  hostname: string;
  via: 'ssh' | 'web';
  mode: 'shell' | 'exec';
  runAs: 'root' | 'user';
  command: string | null;
  clientAddress: string | null;
  startedAt: string;
  endedAt: string | null;
  durationSeconds: number;
  active: boolean;
  bytesIn: number;
  bytesOut: number;
  exitCode: number | null;
  exitSignal: string | null;
  endReason: string | null;
  endMessage: string | null;
  hasRecording: boolean;
}

/** `2:05`, `1:02:05`: elapsed time as a clock shows it. */
export function formatElapsed(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export const recordingUrl = (id: string) => `/api/v1/terminal-sessions/${encodeURIComponent(id)}/recording`;
